"""The table of gr4vy-python calls tests/sdk.rs runs against the mock (gr4vy==2.4.27), the mock
trusting the public half of PRIVATE_KEY. Prints one JSON line per call: {"call", "ok", "detail"}.

Usage: python gr4vy_calls.py BASE_URL PRIVATE_KEY_FILE OTHER_PRIVATE_KEY_FILE
"""
import sys

from gr4vy import Gr4vy, auth, errors
from table import call, expect, report

BASE = sys.argv[1]
KEY = open(sys.argv[2]).read()
OTHER = open(sys.argv[3]).read()


def client(private_key, scopes=None):
    return Gr4vy(server_url=BASE, bearer_auth=auth.with_token(private_key=private_key, scopes=scopes),
                 merchant_account_id="default")


gr4vy = client(KEY)
state = {}


def expect_error(fn, cls, status, code):
    try:
        fn()
    except cls as e:
        expect(e.data.status == status and e.data.code == code, e.data)
        expect(e.raw_response.status_code == status, e.raw_response.status_code)
        return f"{cls.__name__} {status} {code}"
    raise AssertionError(f"no {cls.__name__} raised")


CART_ITEM = {"name": "Joust Duffle Bag", "quantity": 1, "unit_amount": 1299}


@call("checkout_sessions.create")
def _():
    session = gr4vy.checkout_sessions.create(checkout_session_create={"metadata": {"a": "1"}})
    expect(session.id and session.metadata == {"a": "1"}, session)
    state["session"] = session.id


@call("checkout_sessions.update (cart_items, metadata)")
def _():
    session = gr4vy.checkout_sessions.update(session_id=state["session"], cart_items=[CART_ITEM],
                                             metadata={"order": "42"})
    expect(session.cart_items[0].name == "Joust Duffle Bag" and session.metadata == {"order": "42"}, session)


@call("checkout_sessions.update (buyer)")
def _():
    session = gr4vy.checkout_sessions.update(session_id=state["session"], buyer={
        "display_name": "Ada", "billing_details": {"first_name": "Ada", "email_address": "ada@example.com"}})
    expect(session.buyer.display_name == "Ada", session.buyer)


@call("checkout_sessions.update (airline)")
def _():
    session = gr4vy.checkout_sessions.update(session_id=state["session"], airline={
        "passenger_name_record": "JOHN L", "legs": [{"departure_airport": "LHR", "arrival_airport": "JFK"}]})
    expect(session.airline.legs[0].arrival_airport == "JFK", session.airline)


@call("checkout_sessions.update (null clears)")
def _():
    session = gr4vy.checkout_sessions.update(session_id=state["session"], metadata=None)
    expect(session.metadata is None and session.cart_items, session)


@call("checkout_sessions.get")
def _():
    session = gr4vy.checkout_sessions.get(session_id=state["session"])
    expect(session.id == state["session"] and session.cart_items[0].quantity == 1, session)


@call("error: validation (Error400)")
def _():
    return expect_error(lambda: gr4vy.checkout_sessions.update(
        session_id=state["session"], cart_items=[{**CART_ITEM, "quantity": 0}]),
        errors.Error400, 400, "bad_request")


@call("error: unknown session (Error404)")
def _():
    return expect_error(lambda: gr4vy.checkout_sessions.get(
        session_id="3a6ad4c2-51d5-4b5e-8f0c-0b0c2f7f0a11"), errors.Error404, 404, "not_found")


@call("error: token signed by a key the mock was not given (Error401)")
def _():
    return expect_error(lambda: client(OTHER).checkout_sessions.get(session_id=state["session"]),
                        errors.Error401, 401, "unauthorized")


@call("error: scope missing (Error403)")
def _():
    reader = client(KEY, scopes=["checkout-sessions.read"])
    return expect_error(lambda: reader.checkout_sessions.update(session_id=state["session"], metadata={}),
                        errors.Error403, 403, "forbidden")


@call("checkout_sessions.delete")
def _():
    gr4vy.checkout_sessions.delete(session_id=state["session"])
    return expect_error(lambda: gr4vy.checkout_sessions.get(session_id=state["session"]),
                        errors.Error404, 404, "not_found")


report()
