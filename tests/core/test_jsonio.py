"""JSON responses written by orjson: ISO 8601 dates, exact decimals, sorted keys, and valid
JSON where the standard library's was not (NaN)."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask import Flask, jsonify


def _sent(app: Flask, body: Any) -> tuple[bytes, Any]:
    with app.test_request_context("/"):
        response = jsonify(body)
    assert response.mimetype == "application/json"
    return response.data, json.loads(response.data)


def test_a_response_reads_back_as_flask_wrote_it(app: Flask) -> None:
    body = {"zeta": 1, "amount": Decimal("1234.50"), "opened": date(2026, 3, 1),
            "at": datetime(2026, 3, 1, 8, 30, tzinfo=UTC), "name": "Zoë’s line",
            "per_site": {3: "Plant 3"}, "items": [1.5, None, True]}
    raw, back = _sent(app, body)
    # The standard library's encoder with the same rules (the fallback) reads the same.
    expected = json.loads(app.json.dumps(body))
    assert back == expected
    assert back["amount"] == "1234.50"  # a Decimal is its exact text, never a float
    # ISO 8601, as the OpenAPI document says (Flask's own default wrote HTTP dates).
    assert back["opened"] == "2026-03-01"
    assert back["at"] == "2026-03-01T08:30:00+00:00"
    assert back["per_site"] == {"3": "Plant 3"}
    # Keys are sorted, as Flask sorts them, so equal documents are equal bytes.
    assert raw.index(b'"amount"') < raw.index(b'"zeta"')
    assert raw.endswith(b"\n")
    assert "Zoë’s line".encode() in raw  # UTF-8 text, not \u escapes


def test_nan_and_infinity_are_null_so_every_parser_reads_the_answer(app: Flask) -> None:
    raw, back = _sent(app, {"mean": math.nan, "upper": math.inf})
    assert back == {"mean": None, "upper": None}
    assert b"NaN" not in raw and b"Infinity" not in raw


def test_an_integer_beyond_64_bits_is_still_written(app: Flask) -> None:
    # orjson refuses such integers; the standard library writes them, dates as ever.
    _, back = _sent(app, {"big": 2**70, "on": date(2026, 3, 1)})
    assert back == {"big": 2**70, "on": "2026-03-01"}
