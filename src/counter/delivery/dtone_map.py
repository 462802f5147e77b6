"""DT One's Digital Value Services API (DVS, OpenAPI 1.23.0) in Counter's words.

Facts used, all from DT One's published specification (dvs-api-doc.dtone.com, the OpenAPI
document it offers for download, and developers.dtone.com/reference/transactions-1):

- a transaction's `status` is `{id, message, class: {id, message}}`; DT One advises
  logic on the class: CREATED 1, CONFIRMED 2, REJECTED 3, CANCELLED 4, SUBMITTED 5,
  COMPLETED 7, REVERSED 8, DECLINED 9. "SUBMITTED and CONFIRMED are NOT final";
  COMPLETED may, rarely, become REVERSED.
- errors are `{"errors": [{"code": int, "message": str}]}`, with documented codes such as
  1007001 "Transaction external ID has already been used" and 1006001 "Insufficient
  balance"; 500 (1009001) and 503 (1009503) are DT One's own failures.
- amounts are JSON numbers; a product's `destination` is what the beneficiary receives.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from counter.domain.delivery import Answer, Reason

CLASS_BY_ID = {
    1: "CREATED",
    2: "CONFIRMED",
    3: "REJECTED",
    4: "CANCELLED",
    5: "SUBMITTED",
    7: "COMPLETED",
    8: "REVERSED",
    9: "DECLINED",
}
ANSWER_BY_CLASS = {
    "CREATED": Answer.PENDING,
    "CONFIRMED": Answer.PENDING,
    "SUBMITTED": Answer.PENDING,
    "COMPLETED": Answer.DELIVERED,
    "REVERSED": Answer.REVERSED,
    "REJECTED": Answer.FAILED,
    "CANCELLED": Answer.FAILED,
    "DECLINED": Answer.FAILED,
}

# API error code -> (answer, reason). 1007001 (our reference used already) is not here:
# the channel looks the reference up instead.
ERROR_ANSWERS: dict[int, tuple[Answer, Reason]] = {
    1000400: (Answer.FAILED, Reason.REFUSED),
    1000401: (Answer.NOT_SENT, Reason.CREDENTIALS),
    1000429: (Answer.NOT_SENT, Reason.BUSY),
    1003001: (Answer.FAILED, Reason.NO_PRODUCT),
    1003002: (Answer.FAILED, Reason.NO_PRODUCT),
    1003003: (Answer.FAILED, Reason.NO_PRODUCT),
    1005003: (Answer.FAILED, Reason.INVALID_NUMBER),
    1005006: (Answer.FAILED, Reason.NO_PRODUCT),
    1006001: (Answer.FAILED, Reason.BALANCE_TOO_LOW),
    1007500: (Answer.FAILED, Reason.REFUSED),
    1009001: (Answer.UNKNOWN, Reason.NO_ANSWER),
    1009503: (Answer.UNKNOWN, Reason.NO_ANSWER),
}
EXTERNAL_ID_USED = 1007001
TRANSACTION_NOT_FOUND = 1008004


def status_class(transaction: Mapping[str, Any]) -> str | None:
    """The status class name of a transaction object (by message, else by id)."""
    status = transaction.get("status")
    if not isinstance(status, Mapping):
        return None
    klass = status.get("class")
    if isinstance(klass, Mapping):
        message = klass.get("message")
        if isinstance(message, str) and message.upper() in ANSWER_BY_CLASS:
            return message.upper()
        if isinstance(klass.get("id"), int):
            return CLASS_BY_ID.get(klass["id"])
    return None


def status_message(transaction: Mapping[str, Any]) -> str:
    status = transaction.get("status")
    message = status.get("message") if isinstance(status, Mapping) else None
    return message.upper() if isinstance(message, str) else ""


def reason_of(status: str) -> Reason | None:
    """The reason a REJECTED or DECLINED status names (DECLINED-INVALID-CREDIT-PARTY, ...)."""
    if status.endswith("INSUFFICIENT-BALANCE"):
        return Reason.BALANCE_TOO_LOW
    if status.endswith(("INVALID-CREDIT-PARTY", "BARRED-CREDIT-PARTY", "INELIGIBLE-CREDIT-PARTY")):
        return Reason.INVALID_NUMBER
    if status.endswith("OPERATOR-CURRENTLY-UNAVAILABLE"):
        return Reason.OPERATOR_UNAVAILABLE
    if status.endswith("DUPLICATED-TRANSACTION"):
        return Reason.DUPLICATE_AT_OPERATOR
    if status.startswith(("DECLINED", "REJECTED", "CANCELLED")):
        return Reason.DECLINED
    return None


def error_codes(body: Any) -> list[int]:
    """The `code`s of an error body, in order; empty when the body is not one."""
    if not isinstance(body, Mapping) or not isinstance(body.get("errors"), list):
        return []
    return [
        e["code"]
        for e in body["errors"]
        if isinstance(e, Mapping) and isinstance(e.get("code"), int)
    ]


# -- products ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Product:
    """A recharge product: a fixed amount, or a range with an increment (in cents)."""

    id: int
    name: str
    fixed_cents: int | None
    min_cents: int | None = None
    max_cents: int | None = None
    step_cents: int | None = None

    @property
    def ranged(self) -> bool:
        return self.fixed_cents is None

    def fits(self, cents: int) -> bool:
        if self.fixed_cents is not None:
            return self.fixed_cents == cents
        if self.min_cents is None or self.max_cents is None:
            return False
        step = self.step_cents or 1
        return self.min_cents <= cents <= self.max_cents and (cents - self.min_cents) % step == 0


def cents_of(value: Any) -> int | None:
    """A JSON amount (read as Decimal) in whole cents; None when it is not a cent amount."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    try:
        cents = Decimal(value) * 100
    except InvalidOperation:
        return None
    return int(cents) if cents == cents.to_integral_value() and cents >= 0 else None


def product_of(item: Mapping[str, Any], currency: str) -> Product | None:
    """A recharge product from DT One's product object, if its destination is `currency`."""
    kind = item.get("type")
    destination = item.get("destination")
    if not isinstance(destination, Mapping) or destination.get("unit") != currency:
        return None
    if not isinstance(item.get("id"), int):
        return None
    name = str(item.get("name", ""))
    amount = destination.get("amount")
    if kind == "FIXED_VALUE_RECHARGE":
        cents = cents_of(amount)
        return Product(item["id"], name, cents) if cents else None
    if kind == "RANGED_VALUE_RECHARGE" and isinstance(amount, Mapping):
        low, high = cents_of(amount.get("min")), cents_of(amount.get("max"))
        step = cents_of(amount.get("increment")) if amount.get("increment") is not None else 1
        if low is None or high is None or not step:
            return None
        return Product(item["id"], name, None, low, high, step)
    return None


def choose(products: list[Product], cents: int) -> Product | None:
    """A fixed product of exactly `cents`, else the first range that holds it."""
    fixed = [p for p in products if not p.ranged and p.fits(cents)]
    if fixed:
        return fixed[0]
    return next((p for p in products if p.ranged and p.fits(cents)), None)


# -- JSON without floats ------------------------------------------------------------------------


def loads(text: str) -> Any:
    """JSON with every non-integer number as Decimal (amounts never pass through float)."""
    return json.loads(text, parse_float=Decimal)


def dumps(value: Any) -> str:
    """JSON text where a Decimal is written as the exact number it is."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("a JSON amount must be finite")
        return format(value, "f")
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{json.dumps(str(k))}:{dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    if isinstance(value, float):
        raise TypeError("money is never a float: pass a Decimal")
    return json.dumps(value)
