"""The rows of an SDK table (tests/sdk/*_calls.py): each call registered with @call runs at once;
`report()` prints one JSON line per call: {"call", "ok", "detail"}."""
import json
import traceback

results = []


def call(name):
    def register(fn):
        try:
            detail = fn()
            results.append({"call": name, "ok": True, "detail": detail or ""})
        except Exception as e:  # noqa: BLE001 - every failure is a row of the table
            results.append({"call": name, "ok": False,
                            "detail": f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=4)}"})
        return fn
    return register


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def report():
    for row in results:
        print(json.dumps(row))
