"""The table of stripe-python calls tests/sdk.rs runs against the mock (stripe==15.4.0, pinned to
2026-07-29.dahlia). Prints one JSON line per call: {"call", "ok", "detail"}; a call is ok when it
returns the typed object it should, or raises the typed exception with the expected attributes.

Usage: python stripe_calls.py BASE_URL API_KEY
"""
import sys

import stripe
from table import call, expect, report

BASE, KEY = sys.argv[1], sys.argv[2]
stripe.api_key = KEY
stripe.api_base = BASE
stripe.max_network_retries = 0
stripe.enable_telemetry = False

state = {}


def expect_error(fn, cls, status, code=None, param=None):
    try:
        fn()
    except cls as e:
        expect(e.http_status == status, f"http_status {e.http_status} != {status}")
        expect(e.code == code, f"code {e.code!r} != {code!r}")
        # Only InvalidRequestError carries `param`.
        expect(getattr(e, "param", None) == param, f"param {getattr(e, 'param', None)!r} != {param!r}")
        expect((e.request_id or "").startswith("req_"), f"request_id {e.request_id!r}")
        return f"{cls.__name__} {status} {code} {param}"
    raise AssertionError(f"no {cls.__name__} raised")


@call("price.create")
def _():
    price = stripe.Price.create(currency="usd", unit_amount=1500, lookup_key="tee",
                                product_data={"name": "T-shirt"}, metadata={"sku": "T1"})
    expect(isinstance(price, stripe.Price), type(price))
    expect(price.unit_amount == 1500 and price.lookup_key == "tee", price)
    state["price"] = price.id
    state["product_of_price"] = price.product


@call("price.retrieve")
def _():
    price = stripe.Price.retrieve(state["price"])
    expect(price.metadata["sku"] == "T1", price)


@call("product.create")
def _():
    product = stripe.Product.create(name="Mug", description="Ceramic", shippable=True,
                                    metadata={"a": "1"})
    expect(isinstance(product, stripe.Product) and product.name == "Mug", product)
    state["product"] = product.id


@call("product.retrieve")
def _():
    expect(stripe.Product.retrieve(state["product"]).description == "Ceramic", "description")


@call("product.modify")
def _():
    product = stripe.Product.modify(state["product"], name="Big mug", metadata={"a": "", "b": "2"})
    expect(product.name == "Big mug" and product.metadata.to_dict() == {"b": "2"}, product)


@call("product.list")
def _():
    products = stripe.Product.list(limit=1)
    expect(products.object == "list" and len(products.data) == 1 and products.has_more, products)
    every = [p.id for p in stripe.Product.list(limit=1).auto_paging_iter()]
    expect(set(every) >= {state["product"], state["product_of_price"]}, every)


@call("shipping_rate.create")
def _():
    rate = stripe.ShippingRate.create(display_name="Ground", type="fixed_amount",
                                      fixed_amount={"amount": 500, "currency": "usd"},
                                      delivery_estimate={"minimum": {"unit": "business_day", "value": 2}})
    expect(isinstance(rate, stripe.ShippingRate) and rate.fixed_amount.amount == 500, rate)
    state["rate"] = rate.id


@call("shipping_rate.retrieve")
def _():
    expect(stripe.ShippingRate.retrieve(state["rate"]).display_name == "Ground", "display_name")


@call("tax_rate.create")
def _():
    rate = stripe.TaxRate.create(display_name="VAT", inclusive=False, percentage=19.0,
                                 country="DE", tax_type="vat")
    expect(isinstance(rate, stripe.TaxRate) and rate.percentage == 19.0, rate)
    state["tax_rate"] = rate.id


@call("tax_rate.retrieve")
def _():
    expect(stripe.TaxRate.retrieve(state["tax_rate"]).country == "DE", "country")


@call("checkout.session.create (common parameters)")
def _():
    session = stripe.checkout.Session.create(
        mode="payment", ui_mode="elements", return_url="https://example.com/return",
        line_items=[{"price": state["price"], "quantity": 2,
                     "adjustable_quantity": {"enabled": True, "maximum": 5}}],
        customer_email="buyer@example.com", locale="fr", client_reference_id="cart_42",
        allow_promotion_codes=True, billing_address_collection="required",
        automatic_tax={"enabled": True}, phone_number_collection={"enabled": True},
        payment_intent_data={"description": "order 42", "capture_method": "manual"},
        shipping_options=[{"shipping_rate": state["rate"]}],
        metadata={"order": "42"},
    )
    expect(isinstance(session, stripe.checkout.Session), type(session))
    expect(session.amount_subtotal == 3000 and session.locale == "fr", session)
    expect(session.automatic_tax.enabled is True and session.ui_mode == "elements", session)
    state["session"] = session.id


@call("checkout.session.create (hosted_page, form)")
def _():
    hosted = stripe.checkout.Session.create(mode="payment", success_url="https://example.com/ok",
                                            line_items=[{"price": state["price"], "quantity": 1}])
    expect(hosted.url and hosted.ui_mode == "hosted_page", hosted)
    form = stripe.checkout.Session.create(mode="payment", ui_mode="form",
                                          return_url="https://example.com/r",
                                          line_items=[{"price": state["price"], "quantity": 1}])
    expect(form.ui_mode == "form" and form.client_secret, form)
    state["hosted"] = hosted.id


@call("checkout.session.retrieve (expand line_items)")
def _():
    session = stripe.checkout.Session.retrieve(state["session"], expand=["line_items"])
    expect(session.line_items.data[0].quantity == 2, session.line_items)
    state["line_item"] = session.line_items.data[0].id


@call("checkout.session.list_line_items")
def _():
    items = stripe.checkout.Session.list_line_items(state["session"], limit=1)
    expect(items.data[0].id == state["line_item"], items)


@call("checkout.session.modify (metadata)")
def _():
    session = stripe.checkout.Session.modify(state["session"], metadata={"order": "", "note": "x"})
    expect(session.metadata.to_dict() == {"note": "x"}, session.metadata)


@call("checkout.session.modify (shipping_options)")
def _():
    session = stripe.checkout.Session.modify(
        state["session"],
        shipping_options=[{"shipping_rate_data": {"display_name": "Express", "type": "fixed_amount",
                                                  "fixed_amount": {"amount": 1500, "currency": "usd"}}}])
    expect(session.shipping_cost.amount_total == 1500, session.shipping_cost)


@call("checkout.session.modify (line_items)")
def _():
    session = stripe.checkout.Session.modify(
        state["session"],
        line_items=[{"id": state["line_item"], "quantity": 3},
                    {"price_data": {"currency": "usd", "unit_amount": 250,
                                    "product_data": {"name": "Sticker"}}, "quantity": 4}],
        expand=["line_items"])
    expect(session.amount_subtotal == 5500 and len(session.line_items.data) == 2, session)


@call("checkout.session.modify (collected_information)")
def _():
    session = stripe.checkout.Session.modify(
        state["session"],
        collected_information={"shipping_details": {
            "name": "Ada", "address": {"country": "GB", "line1": "1 Road", "city": "London"}}})
    expect(session.collected_information.shipping_details.name == "Ada", session.collected_information)


@call("checkout.session.list (pagination)")
def _():
    page = stripe.checkout.Session.list(limit=1)
    expect(page.has_more and page.url == "/v1/checkout/sessions", page)
    every = [s.id for s in stripe.checkout.Session.list(limit=1).auto_paging_iter()]
    expect(len(every) == 3 and state["session"] in every, every)


@call("checkout.session.expire")
def _():
    session = stripe.checkout.Session.expire(state["hosted"])
    expect(session.status == "expired", session.status)


@call("idempotent replay")
def _():
    first = stripe.Price.create(currency="usd", unit_amount=700, product=state["product"],
                                idempotency_key="sdk-replay-1")
    again = stripe.Price.create(currency="usd", unit_amount=700, product=state["product"],
                                idempotency_key="sdk-replay-1")
    expect(first.id == again.id, (first.id, again.id))
    expect(again.last_response.headers.get("idempotent-replayed") == "true", again.last_response.headers)


@call("error: idempotency key reused (IdempotencyError)")
def _():
    return expect_error(lambda: stripe.Price.create(currency="usd", unit_amount=701,
                                                    product=state["product"],
                                                    idempotency_key="sdk-replay-1"),
                        stripe.IdempotencyError, 400)


@call("error: unknown parameter (InvalidRequestError)")
def _():
    return expect_error(lambda: stripe.checkout.Session.modify(state["session"], foo="bar"),
                        stripe.InvalidRequestError, 400, "parameter_unknown", "foo")


@call("error: sixth shipping option")
def _():
    return expect_error(lambda: stripe.checkout.Session.modify(
        state["session"], shipping_options=[{"shipping_rate": state["rate"]}] * 6),
        stripe.InvalidRequestError, 400, None, "shipping_options")


@call("error: invalid integer")
def _():
    return expect_error(lambda: stripe.checkout.Session.modify(
        state["session"], line_items=[{"id": state["line_item"], "quantity": "many"}]),
        stripe.InvalidRequestError, 400, "parameter_invalid_integer", "line_items[0][quantity]")


@call("error: missing parameter")
def _():
    return expect_error(lambda: stripe.TaxRate.create(display_name="VAT", inclusive=False),
                        stripe.InvalidRequestError, 400, "parameter_missing", "percentage")


@call("error: no such session (404)")
def _():
    return expect_error(lambda: stripe.checkout.Session.retrieve("cs_test_nope"),
                        stripe.InvalidRequestError, 404, "resource_missing", "id")


@call("error: closed session")
def _():
    return expect_error(lambda: stripe.checkout.Session.modify(state["hosted"], metadata={"a": "1"}),
                        stripe.InvalidRequestError, 400)


@call("error: invalid API key (AuthenticationError)")
def _():
    try:
        stripe.Price.retrieve(state["price"], api_key="sk_live_nope")
    except stripe.AuthenticationError as e:
        expect(e.http_status == 401, e.http_status)
        expect((e.request_id or "").startswith("req_"), e.request_id)
        return "AuthenticationError 401"
    raise AssertionError("no AuthenticationError")


report()
