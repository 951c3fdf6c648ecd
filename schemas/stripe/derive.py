#!/usr/bin/env python3
"""Derive the JSON Schemas (draft 2020-12) in this directory from Stripe's OpenAPI excerpts.

Usage (from the repository root):

    python3 schemas/stripe/derive.py [SPECS_DIR] [DOC_REFERENCE_MD]

SPECS_DIR defaults to ../shared/specs/stripe (relative to the repository root) and must hold
checkout-session-schema.json, error-schema.json and fixtures3.json. DOC_REFERENCE_MD defaults to
SPECS_DIR/../../docs/stripe-update-checkout-session.reference.md.

Writes, deterministically (sorted keys, 2-space indent):
  schemas/stripe/{checkout.session,item.list,item,error,price,shipping_rate}.json
  tests/fixtures/stripe/{fixture.*,doc-example.update-response}.json

Standard library only. See DERIVATION.md for every decision taken here.
"""

import copy
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
FIXTURES_OUT = REPO / "tests" / "fixtures" / "stripe"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
SPEC_REF = "#/components/schemas/"
RELAXED_COMMENT = "relaxed: not in the spec excerpt; any object is accepted (see DERIVATION.md)"

# The error excerpt has no x-unresolved-refs list: these are the refs it leaves out.
ERROR_UNRESOLVED = ["bank_account", "card", "payment_intent", "payment_method", "setup_intent", "source"]

# The documentation wins where it is stricter than the spec excerpt (see DERIVATION.md).
DOC_OVERRIDES = [
    # (schema, path inside it, keys merged in, why)
    ("checkout.session", ("properties", "shipping_options"), {"maxItems": 5},
     "the documentation caps shipping options at 5; the spec states no maxItems"),
]


def _nullable_string(max_length=5000):
    return {"maxLength": max_length, "nullable": True, "type": "string"}


def _metadata():
    return {"additionalProperties": {"maxLength": 500, "type": "string"}, "type": "object"}


def _ref(name):
    return {"$ref": SPEC_REF + name}


_TAX_BEHAVIOR = {"enum": ["exclusive", "inclusive", "unspecified"], "nullable": True, "type": "string"}

# Hand-written schemas, in the spec's own OpenAPI 3.0 dialect so that they go through the same
# conversion. price and shipping_rate follow the shape of fixtures3.json (resources.price,
# resources.shipping_rate, and every other price in the file): `required` lists the keys that are
# present in every fixture occurrence. Refs they make to schemas we do not write are relaxed.
HAND_WRITTEN = {
    "line_items_adjustable_quantity": {
        "properties": {
            "enabled": {"type": "boolean"},
            "maximum": {"nullable": True, "type": "integer"},
            "minimum": {"nullable": True, "type": "integer"},
        },
        "required": ["enabled"],
        "title": "LineItemsAdjustableQuantity",
        "type": "object",
    },
    "price": {
        "description": "Prices define the unit cost, currency, and (optional) billing cycle for "
        "both recurring and one-time purchases of products. Hand-written from fixtures3.json.",
        "properties": {
            "active": {"type": "boolean"},
            "billing_scheme": {"enum": ["per_unit", "tiered"], "type": "string"},
            "created": {"format": "unix-time", "type": "integer"},
            "currency": {"format": "currency", "type": "string"},
            "currency_options": {"additionalProperties": _ref("currency_option"), "type": "object"},
            "custom_unit_amount": {"anyOf": [_ref("custom_unit_amount")], "nullable": True},
            "id": {"maxLength": 5000, "type": "string"},
            "livemode": {"type": "boolean"},
            "lookup_key": _nullable_string(),
            "metadata": _metadata(),
            "nickname": _nullable_string(),
            "object": {"const": "price", "type": "string"},
            "product": {
                "anyOf": [
                    {"maxLength": 5000, "type": "string"},
                    _ref("product"),
                    _ref("deleted_product"),
                ]
            },
            "recurring": {"anyOf": [_ref("recurring")], "nullable": True},
            "tax_behavior": _TAX_BEHAVIOR,
            "tiers": {"items": _ref("price_tier"), "type": "array"},
            "tiers_mode": {"enum": ["graduated", "volume"], "nullable": True, "type": "string"},
            "transform_quantity": {"anyOf": [_ref("transform_quantity")], "nullable": True},
            "type": {"enum": ["one_time", "recurring"], "type": "string"},
            "unit_amount": {"nullable": True, "type": "integer"},
            "unit_amount_decimal": {"format": "decimal", "nullable": True, "type": "string"},
        },
        "required": [
            "active", "billing_scheme", "created", "currency", "custom_unit_amount", "id",
            "livemode", "lookup_key", "metadata", "nickname", "object", "product", "recurring",
            "tax_behavior", "tiers_mode", "transform_quantity", "type", "unit_amount",
            "unit_amount_decimal",
        ],
        "title": "Price",
        "type": "object",
    },
    "custom_unit_amount": {
        "properties": {
            "maximum": {"nullable": True, "type": "integer"},
            "minimum": {"nullable": True, "type": "integer"},
            "preset": {"nullable": True, "type": "integer"},
        },
        "required": ["maximum", "minimum", "preset"],
        "title": "CustomUnitAmount",
        "type": "object",
    },
    "recurring": {
        "properties": {
            "interval": {"enum": ["day", "month", "week", "year"], "type": "string"},
            "interval_count": {"type": "integer"},
            "meter": _nullable_string(),
            "trial_period_days": {"nullable": True, "type": "integer"},
            "usage_type": {"enum": ["licensed", "metered"], "type": "string"},
        },
        "required": ["interval", "interval_count", "meter", "trial_period_days", "usage_type"],
        "title": "Recurring",
        "type": "object",
    },
    "transform_quantity": {
        "properties": {
            "divide_by": {"type": "integer"},
            "round": {"enum": ["down", "up"], "type": "string"},
        },
        "required": ["divide_by", "round"],
        "title": "TransformQuantity",
        "type": "object",
    },
    "shipping_rate": {
        "description": "Shipping rates describe the price of shipping presented to your customers "
        "and applied to a purchase. Hand-written from fixtures3.json.",
        "properties": {
            "active": {"type": "boolean"},
            "created": {"format": "unix-time", "type": "integer"},
            "delivery_estimate": {"anyOf": [_ref("shipping_rate_delivery_estimate")], "nullable": True},
            "display_name": _nullable_string(),
            "fixed_amount": {"anyOf": [_ref("shipping_rate_fixed_amount")], "nullable": True},
            "id": {"maxLength": 5000, "type": "string"},
            "livemode": {"type": "boolean"},
            "metadata": _metadata(),
            "object": {"const": "shipping_rate", "type": "string"},
            "tax_behavior": _TAX_BEHAVIOR,
            "tax_code": {
                "anyOf": [{"maxLength": 5000, "type": "string"}, _ref("tax_code")],
                "nullable": True,
            },
            "type": {"enum": ["fixed_amount"], "type": "string"},
        },
        "required": [
            "active", "created", "delivery_estimate", "display_name", "fixed_amount", "id",
            "livemode", "metadata", "object", "tax_behavior", "tax_code", "type",
        ],
        "title": "ShippingRate",
        "type": "object",
    },
    "shipping_rate_delivery_estimate": {
        "properties": {
            "maximum": {"anyOf": [_ref("shipping_rate_delivery_estimate_bound")], "nullable": True},
            "minimum": {"anyOf": [_ref("shipping_rate_delivery_estimate_bound")], "nullable": True},
        },
        "required": ["maximum", "minimum"],
        "title": "ShippingRateDeliveryEstimate",
        "type": "object",
    },
    "shipping_rate_delivery_estimate_bound": {
        "properties": {
            "unit": {"enum": ["business_day", "day", "hour", "month", "week"], "type": "string"},
            "value": {"type": "integer"},
        },
        "required": ["unit", "value"],
        "title": "ShippingRateDeliveryEstimateBound",
        "type": "object",
    },
    "shipping_rate_fixed_amount": {
        "properties": {
            "amount": {"type": "integer"},
            "currency": {"format": "currency", "type": "string"},
            "currency_options": {
                "additionalProperties": _ref("shipping_rate_currency_option"),
                "type": "object",
            },
        },
        "required": ["amount", "currency"],
        "title": "ShippingRateFixedAmount",
        "type": "object",
    },
}

# Refs made by HAND_WRITTEN that we deliberately do not write out.
HAND_WRITTEN_UNRESOLVED = [
    "currency_option", "deleted_product", "price_tier", "product", "shipping_rate_currency_option",
    "tax_code",
]


def convert(node, refs):
    """OpenAPI 3.0 schema object -> JSON Schema 2020-12; collects referenced names in `refs`."""
    if isinstance(node, list):
        return [convert(item, refs) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key.startswith("x-") or key == "nullable":
            continue
        if key == "$ref":
            if not value.startswith(SPEC_REF):
                raise SystemExit(f"unexpected $ref {value}")
            name = value[len(SPEC_REF):]
            refs.add(name)
            out[key] = "#/$defs/" + name
        elif key == "properties":
            out[key] = {prop: convert(sub, refs) for prop, sub in value.items()}
        elif key in ("enum", "required"):
            out[key] = list(value)
        else:
            out[key] = convert(value, refs)
    if node.get("nullable") is True:
        if "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"].append(None)
        elif "anyOf" in out:
            out["anyOf"].append({"type": "null"})
        elif "$ref" in out:
            out = {"anyOf": [{"$ref": out.pop("$ref")}, {"type": "null"}], **out}
        else:
            raise SystemExit(f"cannot make nullable: {node}")
    return out


def build(root, pool, unresolved, comment):
    """A self-contained schema for `root`: its closure under $ref, copied into $defs."""
    refs = set()
    schema = convert(pool[root], refs)
    defs, todo, relaxed = {}, sorted(refs), []
    while todo:
        name = todo.pop()
        if name in defs:
            continue
        if name in pool:
            more = set()
            defs[name] = convert(pool[name], more)
            todo.extend(sorted(more - defs.keys()))
        elif name in unresolved:
            defs[name] = {"$comment": RELAXED_COMMENT, "type": "object"}
            relaxed.append(name)
        else:
            raise SystemExit(f"{root}: $ref to {name}, which is neither copied nor listed as unresolved")
    schema = {"$schema": DIALECT, "$comment": comment, **schema}
    if defs:
        schema["$defs"] = defs
    return schema, sorted(relaxed)


def apply_overrides(pool):
    for name, path, keys, _why in DOC_OVERRIDES:
        target = pool[name]
        for step in path:
            target = target[step]
        target.update(keys)


def dump(path, value, sort_keys):
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(value, indent=2, sort_keys=sort_keys, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)}")


def doc_example(md_path):
    text = md_path.read_text(encoding="utf-8")
    match = re.search(r"### Response\s*```json\s*(\{.*?\})\s*```", text, re.DOTALL)
    if not match:
        raise SystemExit(f"{md_path}: no '### Response ```json' block")
    return json.loads(match.group(1))


def main(argv):
    specs = Path(argv[1]) if len(argv) > 1 else REPO / ".." / "shared" / "specs" / "stripe"
    specs = specs.resolve()
    doc_md = Path(argv[2]) if len(argv) > 2 else specs.parent.parent / "docs" / "stripe-update-checkout-session.reference.md"

    session_file = json.loads((specs / "checkout-session-schema.json").read_text(encoding="utf-8"))
    error_file = json.loads((specs / "error-schema.json").read_text(encoding="utf-8"))
    fixtures = json.loads((specs / "fixtures3.json").read_text(encoding="utf-8"))["resources"]

    source = session_file["x-source"]
    version = f"Stripe API {source['info.version']}, {source['repository']}/{source['file']}@{source['commit'][:12]}"
    generated = "Generated by schemas/stripe/derive.py; do not edit by hand."

    pool = copy.deepcopy(session_file["components"]["schemas"])
    apply_overrides(pool)
    overlap = pool.keys() & HAND_WRITTEN.keys()
    if overlap:
        raise SystemExit(f"hand-written schemas shadow spec schemas: {sorted(overlap)}")
    pool.update(copy.deepcopy(HAND_WRITTEN))
    unresolved = set(session_file["x-unresolved-refs"]) - HAND_WRITTEN.keys()
    unresolved |= set(HAND_WRITTEN_UNRESOLVED)

    # item.list is the list object the spec inlines at checkout.session.properties.line_items.
    pool["item.list"] = pool["checkout.session"]["properties"]["line_items"]

    outputs = {
        "checkout.session": "/components/schemas/checkout.session",
        "item.list": "/components/schemas/checkout.session/properties/line_items",
        "item": "/components/schemas/item",
        "price": "hand-written (fixtures3.json /resources/price)",
        "shipping_rate": "hand-written (fixtures3.json /resources/shipping_rate)",
    }
    for name, pointer in outputs.items():
        comment = f"{generated} Source: checkout-session-schema.json#{pointer} ({version})."
        if pointer.startswith("hand-written"):
            comment = f"{generated} Source: {pointer}; shape as of {source['info.version']}."
        schema, relaxed = build(name, pool, unresolved, comment)
        dump(HERE / f"{name}.json", schema, sort_keys=True)
        print(f"  relaxed refs: {', '.join(relaxed) or '-'}")

    error_pool = copy.deepcopy(error_file["components"]["schemas"])
    comment = f"{generated} Source: error-schema.json#/components/schemas/error ({version})."
    schema, relaxed = build("error", error_pool, set(ERROR_UNRESOLVED), comment)
    if relaxed != ERROR_UNRESOLVED:
        raise SystemExit(f"error.json: relaxed refs changed: {relaxed}")
    dump(HERE / "error.json", schema, sort_keys=True)
    print(f"  relaxed refs: {', '.join(relaxed)}")

    for name in ("checkout.session", "item", "price", "shipping_rate"):
        dump(FIXTURES_OUT / f"fixture.{name}.json", fixtures[name], sort_keys=False)
    dump(FIXTURES_OUT / "doc-example.update-response.json", doc_example(doc_md), sort_keys=False)


if __name__ == "__main__":
    main(sys.argv)
