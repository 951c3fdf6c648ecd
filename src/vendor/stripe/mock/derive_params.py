#!/usr/bin/env python3
"""Writes src/vendor/stripe/mock/param_table.rs: the parameters of the Stripe calls the mock
serves, as stripe-python's typed params declare them (the SDK's `stripe/params/**` are generated
from Stripe's OpenAPI spec, one TypedDict per object parameter).

    pip download stripe==15.4.0 --no-deps -d /tmp/sdk && unzip -q /tmp/sdk/stripe-*.whl -d /tmp/sdk
    python3 src/vendor/stripe/mock/derive_params.py /tmp/sdk ../shared/specs/stripe/fixtures3.json \
        > src/vendor/stripe/mock/param_table.rs
    cargo fmt

Standard library only; the output is deterministic. What is read: every field of the call's
`...Params` class and, recursively, of the TypedDicts it names. Types map to [`Kind`]s:
`str` -> Str, `bool` -> Bool, `int` -> Int, `float`/`Decimal` -> Decimal, `Literal[...]` (with or
without the SDK's forward-compatible `|str`) -> Enum, `List[X]` -> List, `Dict[str, str]` ->
Map, a TypedDict -> Object, `X|int` and the like -> AnyOf, and
`Literal['']|X` marks the parameter clearable (`key=` unsets it). `NotRequired[...]` is
optional; anything else required. The fixtures (one example object per resource, for objects
the mock builds generically) come from Stripe's fixtures3.json.
"""
import ast
import json
import sys
from pathlib import Path

CALLS = [
    # (Rust name, module path under stripe/params, class)
    ("SESSION_CREATE", "checkout/_session_create_params.py", "SessionCreateParams"),
    ("SESSION_LIST", "checkout/_session_list_params.py", "SessionListParams"),
    ("PRICE_CREATE", "_price_create_params.py", "PriceCreateParams"),
    ("PRODUCT_CREATE", "_product_create_params.py", "ProductCreateParams"),
    ("PRODUCT_UPDATE", "_product_update_params.py", "ProductUpdateParams"),
    ("PRODUCT_LIST", "_product_list_params.py", "ProductListParams"),
    ("SHIPPING_RATE_CREATE", "_shipping_rate_create_params.py", "ShippingRateCreateParams"),
    ("TAX_RATE_CREATE", "_tax_rate_create_params.py", "TaxRateCreateParams"),
]


def classes(path):
    tree = ast.parse(path.read_text())
    out = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            fields = []
            for stmt in node.body:
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    fields.append((stmt.target.id, stmt.annotation))
            out[node.name] = fields
    return out


def rust_str(s):
    return json.dumps(s)


class Resolver:
    def __init__(self, classes):
        self.classes = classes

    def kind(self, expr, seen):
        """(rust Kind expression, clearable)"""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return self.kind(ast.parse(expr.value, mode="eval").body, seen)
        if isinstance(expr, ast.Name):
            name = expr.id
            simple = {"str": "Kind::Str", "bool": "Kind::Bool", "int": "Kind::Int",
                      "float": "Kind::Decimal", "Decimal": "Kind::Decimal"}
            if name in simple:
                return simple[name], False
            if name in self.classes:
                if name in seen:
                    raise SystemExit(f"recursive params type {name}")
                return self.object(name, seen | {name}), False
            raise SystemExit(f"unknown type name {name}")
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
            return self.union(flatten_or(expr), seen)
        if isinstance(expr, ast.Subscript):
            head = expr.value.id if isinstance(expr.value, ast.Name) else None
            arg = expr.slice
            if head == "NotRequired":
                return self.kind(arg, seen)
            if head == "Literal":
                values = [e.value for e in (arg.elts if isinstance(arg, ast.Tuple) else [arg])]
                if values == [""]:
                    return "EMPTY", True
                return "Kind::Enum(&[" + ", ".join(rust_str(v) for v in values) + "])", False
            if head == "List":
                inner, _ = self.kind(arg, seen)
                return f"Kind::List(&{inner})", False
            if head in ("Dict", "UntypedStripeObject"):
                return "Kind::Map", False
            if head == "Union":
                return self.union(list(arg.elts), seen)
        raise SystemExit(f"unhandled annotation {ast.dump(expr)}")

    def union(self, alternatives, seen):
        kinds = []
        clearable = False
        for alt in alternatives:
            k, c = self.kind(alt, seen)
            if k == "EMPTY":
                clearable = True
                continue
            kinds.append(k)
        # The SDK's forward-compatible `Literal[...]|str`: the literal values are the API's.
        enums = [k for k in kinds if k.startswith("Kind::Enum")]
        if enums and all(k in ("Kind::Str",) or k.startswith("Kind::Enum") for k in kinds):
            values = []
            for k in enums:
                values += [v.strip() for v in k[len("Kind::Enum(&["):-2].split(", ")]
            return "Kind::Enum(&[" + ", ".join(dict.fromkeys(values)) + "])", clearable
        kinds = list(dict.fromkeys(kinds))
        if len(kinds) == 1:
            return kinds[0], clearable
        return "Kind::AnyOf(&[" + ", ".join(kinds) + "])", clearable

    def object(self, name, seen):
        return "Kind::Object(&[" + ", ".join(self.params(name, seen)) + "])"

    def params(self, name, seen):
        out = []
        for field, annotation in self.classes[name]:
            required = not (isinstance(annotation, ast.Subscript)
                            and isinstance(annotation.value, ast.Name)
                            and annotation.value.id == "NotRequired")
            kind, clearable = self.kind(annotation, seen)
            out.append(
                f"Param {{ name: {rust_str(field)}, kind: {kind}, required: {str(required).lower()}, clearable: {str(clearable).lower()} }}"
            )
        return out


# Objects the mock builds from the parameters alone: a new object is the fixture with every
# field blank (null, [] or {}), but for these, kept as the fixture has them.
BLANKS = [("PRODUCT", "product"), ("TAX_RATE", "tax_rate")]
KEEP = {"object", "livemode", "active", "type"}


def blank(resource):
    out = {}
    for key, value in resource.items():
        if key in KEEP:
            out[key] = value
        elif isinstance(value, list):
            out[key] = []
        elif key == "metadata":
            out[key] = {}
        else:
            out[key] = None
    return out


def flatten_or(expr):
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        return flatten_or(expr.left) + flatten_or(expr.right)
    return [expr]


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/sdk")
    params_dir = root / "stripe" / "params"
    version = (root / "stripe" / "_api_version.py").read_text()
    current = version.split('CURRENT = "')[1].split('"')[0]
    print("// @generated by src/vendor/stripe/mock/derive_params.py from stripe-python's typed params")
    print(f"// (API version {current}); do not edit: change the script and re-run it.")
    print("//! The parameters of the Stripe calls the mock serves, one table per call, generated")
    print("//! from stripe-python's typed params (see `derive_params.py`).")
    print()
    print("use super::param_kinds::{Kind, Param};")
    print()
    print(f"/// The API version the tables were derived for.")
    print(f"pub const DERIVED_FOR: &str = {rust_str(current)};")
    for rust, module, cls in CALLS:
        resolver = Resolver(classes(params_dir / module))
        print()
        print(f"/// `{cls}` (stripe-python `stripe/params/{module}`).")
        print(f"pub static {rust}: &[Param] = &[")
        for p in resolver.params(cls, {cls}):
            print(f"    {p},")
        print("];")
    fixtures = json.loads(Path(sys.argv[2]).read_text())["resources"] if len(sys.argv) > 2 else {}
    for rust, name in BLANKS:
        if name in fixtures:
            print()
            print(f"/// A new `{name}`: fixtures3.json's, every field blank but {sorted(KEEP)}.")
            print(f"pub const {rust}_BLANK: &str = r#\"{json.dumps(blank(fixtures[name]), sort_keys=True)}\"#;")


if __name__ == "__main__":
    main()
