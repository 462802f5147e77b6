"""A code made to fit the room it is shown in, leaving out optional fields when it must.

At 80x24 a code with every label needs QR version 6 or 7, which fills the whole height or
does not fit (docs/payments.md has the figures). The specification makes the store label,
terminal label, mobile number and second-language names optional, so they go first, in
that order; the amount, account, merchant name and city, bill number and expiry always
stay. The payload is decided here, before it is shown and recorded: its MD5 is the
payment's key, so it is never changed afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from counter.domain.money import Money
from counter.payments.errors import QrTooLarge
from counter.payments.khqr import KhqrCode, Merchant, build_khqr
from counter.payments.qr import QrPicture, render_qr

__all__ = ["DROPPABLE", "ShownCode", "code_for_screen"]

# Optional fields, in the order they are left out to make the code fit.
DROPPABLE = (
    ("store_label",),
    ("terminal_label",),
    ("mobile_number",),
    ("alternate_language", "alternate_name", "alternate_city"),
)


@dataclass(frozen=True)
class ShownCode:
    code: KhqrCode
    picture: QrPicture
    left_out: tuple[str, ...]  # merchant fields dropped to fit, by name


def code_for_screen(
    merchant: Merchant,
    amount: Money,
    *,
    created_at: datetime,
    expires_at: datetime,
    bill_number: str | None,
    max_rows: int,
    max_cols: int,
) -> ShownCode:
    """The fullest code that fits `max_rows` x `max_cols`; QrTooLarge if none does."""
    left_out: list[str] = []
    current = merchant
    while True:
        code = build_khqr(
            current, amount, created_at=created_at, expires_at=expires_at, bill_number=bill_number
        )
        try:
            picture = render_qr(code.payload, max_rows=max_rows, max_cols=max_cols)
        except QrTooLarge:
            group = next((g for g in DROPPABLE if any(getattr(current, name) for name in g)), None)
            if group is None:
                raise
            current = replace(current, **dict.fromkeys(group, None))  # type: ignore[arg-type]
            left_out += [name for name in group if getattr(merchant, name)]
            continue
        return ShownCode(code, picture, tuple(left_out))
