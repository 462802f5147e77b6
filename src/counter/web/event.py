"""A display state as the page receives it: one server-sent event of JSON.

Only what the state holds goes out, already worded: amounts as text (`$5.00`, `20,000៛`,
never a float), the validity in whole days, the KHQR as a picture and the seconds it has
left (counted from when the event is sent, so a tablet with a wrong clock still counts
down right; an expired code is not sent at all). The page adds the labels in Khmer,
English and Chinese.
"""

from __future__ import annotations

import json
from datetime import datetime

from counter.domain.display import DisplayState, Stage
from counter.domain.money import format_money
from counter.web.qr import qr_data_uri


def event_body(state: DisplayState, now: datetime, *, hold_seconds: float) -> dict[str, object]:
    """The JSON object for `state` at `now`; `hold_seconds`: how long "Thank you" stays."""
    body: dict[str, object] = {"stage": state.stage.value, "shop": state.shop_name}
    if state.stage in (Stage.TYPING, Stage.KHQR):
        body["number"] = state.number
        body["operator"] = (
            {"name": state.operator.name, "colour": state.operator.colour}
            if state.operator
            else None
        )
        body["amount"] = format_money(state.amount) if state.amount else None
        body["validity_days"] = state.validity_days
    if state.stage is Stage.KHQR and state.khqr is not None:
        left = state.khqr.seconds_left(now)
        body["khqr"] = {
            "qr": qr_data_uri(state.khqr.payload) if left else None,  # never an expired code
            "amount": format_money(state.khqr.amount),
            "seconds_left": left,
        }
    if state.stage is Stage.THANKS:
        body["receipt_no"] = state.receipt_no
        body["hold_seconds"] = hold_seconds
    return body


def sse_frame(body: dict[str, object]) -> bytes:
    """`data: {...}` and the blank line that ends a server-sent event (JSON has no newline)."""
    return b"data: " + json.dumps(body, ensure_ascii=False).encode("utf-8") + b"\n\n"
