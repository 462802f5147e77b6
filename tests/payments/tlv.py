"""An independent KHQR reader for the tests: written from the specification, sharing no code
with `counter.payments`, so a bug in the builder cannot hide in the check.

`decode_khqr` reads every tag, checks each against KHQR's rules and the CRC (computed bit
by bit here, where the builder uses a table), and returns the values. `strict=True` adds
what the current NBC SDK requires of a dynamic code and how it writes one: the SDK's tag
order, known tags only, an expiry after the creation time, riel without decimals and
dollars as `5` or `5.50`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ORDER = ["00", "01", "15", "29", "30", "52", "53", "54", "58", "59", "60", "62", "64", "99", "63"]
TEMPLATES = {"29", "30", "62", "64", "99"}
SUBTAGS = {
    "29": {"00": 32, "01": 32, "02": 32},
    "30": {"00": 32, "01": 32, "02": 32},
    "62": {"01": 25, "02": 25, "03": 25, "07": 25, "08": 25},
    "64": {"00": 2, "01": 25, "02": 15},
    "99": {"00": 13, "01": 13},
}


class Invalid(AssertionError):
    """The payload breaks a rule; the message says which."""


@dataclass
class Khqr:
    tags: list[str]  # top-level tags in the order they came
    values: dict[str, str]
    sub: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def account(self) -> dict[str, str]:
        return self.sub.get("29") or self.sub["30"]

    @property
    def additional(self) -> dict[str, str]:
        return self.sub.get("62", {})


def crc16_ccitt_false(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        for bit in range(7, -1, -1):
            top = bool(crc & 0x8000) ^ bool((byte >> bit) & 1)
            crc = (crc << 1) & 0xFFFF
            if top:
                crc ^= 0x1021
    return crc


def split_tlv(text: str) -> list[tuple[str, str]]:
    fields, i = [], 0
    while i < len(text):
        head = text[i : i + 4]
        if len(head) < 4 or not head.isdigit():
            raise Invalid(f"no tag and length at {i}: {text[i : i + 8]!r}")
        tag, length = head[:2], int(head[2:])
        value = text[i + 4 : i + 4 + length]
        if len(value) != length or length == 0:
            raise Invalid(f"tag {tag} says {length} characters, has {len(value)}")
        fields.append((tag, value))
        i += 4 + length
    return fields


def decode_khqr(payload: str, *, strict: bool = False) -> Khqr:
    _check_crc(payload)
    fields = split_tlv(payload)
    tags = [tag for tag, _ in fields]
    if len(set(tags)) != len(tags):
        raise Invalid(f"a tag comes twice: {tags}")
    khqr = Khqr(tags=tags, values=dict(fields))
    for tag in TEMPLATES & set(khqr.values):
        khqr.sub[tag] = _template(tag, khqr.values[tag])
    _check_fields(khqr)
    if strict:
        _check_strict(khqr)
    return khqr


def _check_crc(payload: str) -> None:
    if not re.fullmatch(r".*6304[0-9A-F]{4}", payload, re.DOTALL):
        raise Invalid("the payload does not end with 6304 and four upper-case hex digits")
    expected = crc16_ccitt_false(payload[:-4].encode("utf-8"))
    if int(payload[-4:], 16) != expected:
        raise Invalid(f"CRC {payload[-4:]} but the payload gives {expected:04X}")


def _template(tag: str, value: str) -> dict[str, str]:
    sub = dict(split_tlv(value))
    for key, text in sub.items():
        if key not in SUBTAGS[tag]:
            raise Invalid(f"tag {tag} has an unknown field {key}")
        if len(text) > SUBTAGS[tag][key]:
            raise Invalid(f"tag {tag}.{key} is longer than {SUBTAGS[tag][key]}: {text!r}")
    return sub


def _check_fields(k: Khqr) -> None:
    v = k.values
    if k.tags[0] != "00" or v["00"] != "01":
        raise Invalid("the payload does not start with 000201")
    if k.tags[-1] != "63":
        raise Invalid("the CRC is not the last field")
    if v.get("01") not in ("11", "12"):
        raise Invalid(f"point of initiation {v.get('01')!r} is neither 11 nor 12")
    if ("29" in v) == ("30" in v):
        raise Invalid("exactly one of the account templates 29 and 30 is needed")
    account = k.account
    if account.get("00", "").count("@") != 1:
        raise Invalid(f"account id {account.get('00')!r} is not name@bank")
    if "30" in v and not ({"01", "02"} <= set(account)):
        raise Invalid("a merchant account needs its merchant id and acquiring bank")
    if not re.fullmatch(r"[0-9]{4}", v.get("52", "")):
        raise Invalid(f"merchant category code {v.get('52')!r}")
    if v.get("53") not in ("116", "840"):
        raise Invalid(f"currency {v.get('53')!r} is neither 116 nor 840")
    if "54" in v and not re.fullmatch(r"[0-9]+(\.[0-9]{1,2})?", v["54"]):
        raise Invalid(f"amount {v['54']!r}")
    if v.get("58") != "KH":
        raise Invalid(f"country {v.get('58')!r}")
    if not 0 < len(v.get("59", "")) <= 25 or not 0 < len(v.get("60", "")) <= 15:
        raise Invalid("merchant name (1-25) or city (1-15) missing or too long")
    for key, stamp in k.sub.get("99", {}).items():
        if not re.fullmatch(r"[0-9]{13}", stamp):
            raise Invalid(f"timestamp 99.{key} {stamp!r} is not 13 digits")


def _check_strict(k: Khqr) -> None:
    v = k.values
    unknown = [t for t in k.tags if t not in ORDER]
    if unknown:
        raise Invalid(f"tags KHQR does not define: {unknown}")
    if k.tags != sorted(k.tags, key=ORDER.index):
        raise Invalid(f"tags out of the SDK's order: {k.tags}")
    if v["01"] != "12" or "54" not in v:
        raise Invalid("a dynamic code needs 010212 and an amount")
    stamps = k.sub.get("99", {})
    if not {"00", "01"} <= set(stamps) or int(stamps["01"]) <= int(stamps["00"]):
        raise Invalid(f"a dynamic code needs a creation time and a later expiry: {stamps}")
    amount = v["54"]
    if v["53"] == "116" and "." in amount:
        raise Invalid(f"riel are whole: {amount!r}")
    if v["53"] == "840" and not re.fullmatch(r"[1-9][0-9]*(\.[0-9]{2})?|0\.[0-9]{2}", amount):
        raise Invalid(f"dollars are written 5 or 5.50: {amount!r}")
    for order in ("62", "64", "29", "30"):
        keys = list(k.sub.get(order, {}))
        if keys != sorted(keys):
            raise Invalid(f"fields of tag {order} out of order: {keys}")
