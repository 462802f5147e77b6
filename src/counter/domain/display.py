"""What the customer's display may show: the sale in progress, and nothing else.

The customer facing the counter sees the shop's name, the number being topped up as the
clerk types it, the operator, the amount and the validity it adds; at KHQR the code to
scan; after the sale the receipt number. A `DisplayState` holds exactly that, so whatever
drives the display (the sale screen) cannot leak more: no history, no other customer's
number, no clerk, no controls. Each state replaces the one before; nothing accumulates.

Values are checked here, at the boundary: a state that could not be shown as it says is a
programming error (ValueError). Free text (the shop's and the operator's names) is shown
without control or direction-override characters rather than refused, so a stray character
in a setting never blanks the customer's screen.
"""

from __future__ import annotations

import ipaddress
import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from counter.domain.errors import DisplayError
from counter.domain.money import Money
from counter.domain.operators import Operator
from counter.domain.phone import group_national
from counter.i18n import _


class Stage(StrEnum):
    """Where the sale is, as the customer sees it."""

    IDLE = "idle"  # no sale: the shop's name only
    TYPING = "typing"  # the clerk is typing the number and the amount
    KHQR = "khqr"  # the code to scan, with the amount to pay
    THANKS = "thanks"  # sold: "Thank you" and the receipt number


# Characters that reorder or hide text: a name must read as it is, on every screen.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_RECEIPT = re.compile(r"^[A-Z][A-Z0-9]{0,7}-\d{6,12}$")
_NATIONAL = re.compile(r"^[0-9]{0,15}$")
NAME_LIMIT = 60  # characters of a shop's or operator's name shown
PAYLOAD_LIMIT = 512  # an EMV payload is at most 512 characters
VALIDITY_LIMIT_DAYS = 3660


def shown_text(text: str, limit: int = NAME_LIMIT) -> str:
    """`text` on one line, without control or bidi-override characters, cut at `limit`."""
    kept = []
    for char in text:
        if char in _BIDI_CONTROLS:
            continue
        category = unicodedata.category(char)
        if category == "Cc" or category in ("Zl", "Zp"):
            kept.append(" ")
        else:
            kept.append(char)
    return " ".join("".join(kept).split())[:limit]


@dataclass(frozen=True)
class OperatorShown:
    """The operator as the customer sees it: its name, in its colour."""

    name: str
    colour: str  # "#5BB946"

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", shown_text(self.name))
        if not _COLOUR.match(self.colour):
            raise ValueError(f"an operator colour is #RRGGBB, not {self.colour!r}")

    @classmethod
    def of(cls, operator: Operator) -> OperatorShown:
        return cls(operator.name, operator.colour)


@dataclass(frozen=True)
class KhqrShown:
    """The dynamic KHQR for this sale: its payload, the amount to pay, when it expires."""

    payload: str
    amount: Money
    expires_at: datetime  # aware, UTC

    def __post_init__(self) -> None:
        if not self.payload or len(self.payload) > PAYLOAD_LIMIT:
            raise ValueError(f"a KHQR payload is 1 to {PAYLOAD_LIMIT} characters")
        if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in self.payload):
            raise ValueError("a KHQR payload has no control characters")
        if self.amount.minor <= 0:
            raise ValueError("the amount to pay by KHQR is more than zero")
        if self.expires_at.utcoffset() != timedelta(0):
            raise ValueError("a KHQR expiry is an aware UTC time")

    def seconds_left(self, now: datetime) -> int:
        """Whole seconds until the code expires (0 once it has), rounded up."""
        return max(0, math.ceil((self.expires_at - now).total_seconds()))


@dataclass(frozen=True)
class DisplayState:
    """Everything the customer's display shows at one moment. Build it with the classmethods."""

    shop_name: str
    stage: Stage = Stage.IDLE
    number: str = field(default="", repr=False)  # grouped as the screen groups it
    operator: OperatorShown | None = None
    amount: Money | None = None  # the top-up as typed: USD, or riel
    validity_days: int | None = None
    khqr: KhqrShown | None = field(default=None, repr=False)
    receipt_no: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "shop_name", shown_text(self.shop_name))
        object.__setattr__(self, "stage", Stage(self.stage))
        digits = self.number.replace(" ", "")
        if not _NATIONAL.match(digits) or group_national(digits) != self.number:
            raise ValueError("the number is at most 15 digits, grouped as on the screen")
        if self.amount is not None and self.amount.minor <= 0:
            raise ValueError("an amount shown is more than zero")
        if self.validity_days is not None and (
            isinstance(self.validity_days, bool)
            or not 0 <= self.validity_days <= VALIDITY_LIMIT_DAYS
        ):
            raise ValueError(f"validity is 0 to {VALIDITY_LIMIT_DAYS} days")
        if self.receipt_no is not None and not _RECEIPT.match(self.receipt_no):
            raise ValueError(f"a receipt number is like A-000042, not {self.receipt_no!r}")
        self._check_stage()

    def _check_stage(self) -> None:
        sale = bool(self.number) or any(
            value is not None for value in (self.operator, self.amount, self.validity_days)
        )
        if self.stage is Stage.IDLE and (sale or self.khqr or self.receipt_no):
            raise ValueError("the idle display shows the shop's name only")
        if self.stage is Stage.TYPING and (self.khqr or self.receipt_no):
            raise ValueError("while typing there is no code and no receipt yet")
        if self.stage is Stage.KHQR and (self.khqr is None or self.receipt_no):
            raise ValueError("the KHQR stage shows a code and no receipt yet")
        if self.stage is Stage.THANKS and (sale or self.khqr or not self.receipt_no):
            raise ValueError("after the sale the display shows the receipt number only")

    @classmethod
    def idle(cls, shop_name: str) -> DisplayState:
        """No sale: the shop's name."""
        return cls(shop_name)

    @classmethod
    def typing(
        cls,
        shop_name: str,
        *,
        national: str = "",
        operator: Operator | OperatorShown | None = None,
        amount: Money | None = None,
        validity_days: int | None = None,
    ) -> DisplayState:
        """The sale as typed so far. `national` is the number's digits with its trunk 0
        (`0123456`), as far as typed; it is grouped the way the sale screen groups it."""
        if not _NATIONAL.match(national):
            raise ValueError("the number typed is given as its digits only")
        shown = OperatorShown.of(operator) if isinstance(operator, Operator) else operator
        return cls(
            shop_name,
            Stage.TYPING,
            number=group_national(national) if national else "",
            operator=shown,
            amount=amount,
            validity_days=validity_days,
        )

    @classmethod
    def thanks(cls, shop_name: str, receipt_no: str) -> DisplayState:
        """Sold: the receipt number, and nothing else of the sale."""
        return cls(shop_name, Stage.THANKS, receipt_no=receipt_no)

    def paying_by_khqr(self, payload: str, amount: Money, expires_at: datetime) -> DisplayState:
        """This sale, now waiting for the customer to scan and pay `amount`."""
        if self.stage not in (Stage.TYPING, Stage.KHQR):
            raise ValueError("a KHQR code is shown for a sale being typed")
        return replace(self, stage=Stage.KHQR, khqr=KhqrShown(payload, amount, expires_at))

    def cleared(self) -> DisplayState:
        """The idle display of the same shop: what follows "Thank you"."""
        return DisplayState.idle(self.shop_name)


# -- where the display listens -------------------------------------------------------------
#
# Only an address literal is accepted (or `localhost`, meaning 127.0.0.1), so the server binds
# where it is told and nowhere else. Refused in words: a missing port, a name that is not an
# address, the wildcard addresses (they listen on every network the machine is on), public
# internet addresses (the page shows customers' numbers) and addresses nothing listens on.

EXAMPLE = "127.0.0.1:8765"
LAN_EXAMPLE = "192.168.1.20:8765"


@dataclass(frozen=True)
class DisplayAddress:
    """An IP address of this machine and a port (0: any free port, for tests)."""

    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        """What to type into the tablet's browser."""
        return f"http://{self}/"

    def with_port(self, port: int) -> DisplayAddress:
        return DisplayAddress(self.host, port)


def parse_display_address(text: str, *, any_port: bool = False) -> DisplayAddress:
    """`127.0.0.1:8765`, `192.168.1.20:8765`, `[::1]:8765`, `localhost:8765`.

    Raises DisplayError with the reason. `any_port` accepts port 0 (the system picks one).
    """
    raw = text.strip()
    if not raw:
        raise DisplayError(
            _("The customer's display needs an address and a port, for example {example}.").format(
                example=EXAMPLE
            )
        )
    host, sep, port_text = raw.rpartition(":")
    if not sep or not host:
        raise DisplayError(
            _(
                "{text!r} has no port: write the address and the port, for example {example}."
            ).format(text=raw, example=EXAMPLE)
        )
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        raise DisplayError(
            _("{text!r}: write an IPv6 address in brackets, for example [::1]:8765.").format(
                text=raw
            )
        )
    return DisplayAddress(_checked_host(host), _checked_port(port_text, any_port))


def _checked_port(text: str, any_port: bool) -> int:
    lowest = 0 if any_port else 1
    if not (text.isascii() and text.isdigit()) or not lowest <= int(text) <= 65535:
        raise DisplayError(
            _("{port!r} is not a port: use a number from 1 to 65535, for example 8765.").format(
                port=text
            )
        )
    return int(text)


def _checked_host(host: str) -> str:
    if host.lower() == "localhost":
        return "127.0.0.1"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        raise DisplayError(
            _(
                "{host!r} is not an IP address: write this machine's address on the shop's "
                "network, for example {lan}, or {example} for a screen on this machine."
            ).format(host=host, lan=LAN_EXAMPLE, example=EXAMPLE)
        ) from None
    if ip.is_unspecified:
        raise DisplayError(
            _(
                "{host} would listen on every network this machine is on: write its address "
                "on the shop's network, for example {lan}."
            ).format(host=host, lan=LAN_EXAMPLE)
        )
    if ip.is_multicast or (ip.version == 4 and ip.is_reserved):
        raise DisplayError(
            _("{host} is not an address this machine can listen on.").format(host=host)
        )
    if ip.is_global:
        raise DisplayError(
            _(
                "{host} is a public internet address: the customer's display shows customers' "
                "numbers, so it listens only on this machine or the shop's own network, "
                "for example {lan}."
            ).format(host=host, lan=LAN_EXAMPLE)
        )
    return str(ip)
