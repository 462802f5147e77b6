"""The drawer: the cash the sales brought in and gave back, what the drawer should hold, and
what was counted in it. Every figure is an integer of minor units.

The rules written once here:
- Payments received and change given come from the sales that stand (a voided sale's cash
  went back to the customer), line by line: a sale paid `$5 + 2,000៛` adds to both the
  dollars and the riel received. Only cash lines count in the drawer.
- Expected cash in the drawer = opening cash + payments received - change given.
- The rates used: every sale keeps its rate; the report lists each rate with its sales
  and the riel that came in at it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Protocol

from counter.domain.cash import Tender
from counter.domain.errors import DayEndRefused
from counter.domain.money import Currency, Money
from counter.domain.records import Sale
from counter.i18n import _, format_khr_for, format_usd_for

# Sanity limits: a typo of three extra zeros is refused, not recorded.
MAX_DRAWER_USD_CENTS = 10_000_000  # $100,000
MAX_DRAWER_KHR = 400_000_000
MAX_FLOAT_CENTS = 100_000_000  # $1,000,000


def check_drawer(usd_cents: int, khr: int, what: str) -> None:
    """DayEndRefused for a negative or unbelievable count of the drawer (`what` names it)."""
    if usd_cents < 0 or khr < 0:
        raise DayEndRefused(_("The {what} cannot be negative.").format(what=what))
    if usd_cents > MAX_DRAWER_USD_CENTS or khr > MAX_DRAWER_KHR:
        raise DayEndRefused(
            _("{usd} and {khr} is not a believable {what}: check the figures.").format(
                usd=format_usd_for(usd_cents), khr=format_khr_for(khr), what=what
            )
        )


class Cash(Protocol):
    """Anything holding a drawer's two totals (an opening cash, a count)."""

    @property
    def usd_cents(self) -> int: ...
    @property
    def khr(self) -> int: ...


@dataclass(frozen=True)
class Payments:
    """Cash of sold (not voided) sales: what came in and what went back, per currency."""

    received_usd_cents: int
    received_khr: int
    change_usd_cents: int
    change_khr: int
    paid_in_usd: int  # number of sales with a dollar payment line
    paid_in_khr: int  # number of sales with a riel payment line
    rounding_khr: int = 0  # what the rounding of riel change kept (+: the shop kept it)

    @property
    def net_usd_cents(self) -> int:
        return self.received_usd_cents - self.change_usd_cents

    @property
    def net_khr(self) -> int:
        return self.received_khr - self.change_khr


def _cash(sale: Sale, currency: Currency) -> int:
    return sale.payment.minor(currency, Tender.CASH)


def payments(sales: Iterable[Sale]) -> Payments:
    """Cash in and out of the sales that stand (voided ones left out)."""
    sold = [s for s in sales if not s.voided]
    return Payments(
        received_usd_cents=sum(_cash(s, Currency.USD) for s in sold),
        received_khr=sum(_cash(s, Currency.KHR) for s in sold),
        change_usd_cents=sum(s.change_usd_cents for s in sold),
        change_khr=sum(s.change_khr for s in sold),
        paid_in_usd=sum(1 for s in sold if _cash(s, Currency.USD)),
        paid_in_khr=sum(1 for s in sold if _cash(s, Currency.KHR)),
        rounding_khr=sum(s.rounding_khr for s in sold),
    )


@dataclass(frozen=True)
class KhqrLine:
    """One KHQR payment of a sale that stands: its receipt, amount and bank reference."""

    receipt_no: str
    money: Money
    reference: str  # the bank's reference (the line keeps `<md5>:<bank reference>`)


@dataclass(frozen=True)
class KhqrTakings:
    """KHQR payments of sold (not voided) sales: in the shop's bank account, never in the
    drawer. Per currency, with each payment's reference."""

    usd_cents: int = 0
    khr: int = 0
    lines: tuple[KhqrLine, ...] = ()

    @property
    def usd_count(self) -> int:
        return sum(1 for line in self.lines if line.money.currency is Currency.USD)

    @property
    def khr_count(self) -> int:
        return sum(1 for line in self.lines if line.money.currency is Currency.KHR)


def khqr_takings(sales: Iterable[Sale]) -> KhqrTakings:
    lines = tuple(
        KhqrLine(s.receipt_no, line.money, (line.reference or "").partition(":")[2])
        for s in sales
        if not s.voided
        for line in s.payment.lines
        if line.tender is Tender.KHQR
    )
    return KhqrTakings(
        usd_cents=sum(x.money.minor for x in lines if x.money.currency is Currency.USD),
        khr=sum(x.money.minor for x in lines if x.money.currency is Currency.KHR),
        lines=lines,
    )


@dataclass(frozen=True)
class CashCount:
    """The cash section of an X or Z report: the drawer expected against the drawer counted.

    `counted_*` is None on an X report (nothing counted yet). `counted_by` counted the
    drawer; `closed_by` approved the close (a supervisor), or is empty when nobody did.
    `state` says whether the report's shift and day are closed; `code` is the Z report's
    code (from the checkpoint its close wrote), empty on an X report. `blind`: the reader
    counts blind and the shift's count is not recorded yet, so the expected cash is
    withheld (0 here, never shown) and there is no difference (`withheld`).
    """

    opening_usd_cents: int
    opening_khr: int
    expected_usd_cents: int
    expected_khr: int
    counted_usd_cents: int | None = None
    counted_khr: int | None = None
    closed_by: str = ""
    counted_by: str = ""
    state: str = ""
    code: str = ""
    blind: bool = False

    @property
    def difference_usd_cents(self) -> int | None:
        if self.counted_usd_cents is None:
            return None
        return self.counted_usd_cents - self.expected_usd_cents

    @property
    def difference_khr(self) -> int | None:
        if self.counted_khr is None:
            return None
        return self.counted_khr - self.expected_khr


def withheld(cash: CashCount) -> CashCount:
    """The drawer as someone counting blind may see it before the count: the opening and
    the state, without the expected cash (or a count, and so a difference)."""
    return replace(
        cash,
        expected_usd_cents=0,
        expected_khr=0,
        counted_usd_cents=None,
        counted_khr=None,
        blind=True,
    )


def expected_cash(opening: Cash | None, sales: Iterable[Sale]) -> CashCount:
    """What the drawer should hold: opening cash + received - change, voided sales left out."""
    pay = payments(sales)
    open_usd, open_khr = (opening.usd_cents, opening.khr) if opening else (0, 0)
    return CashCount(open_usd, open_khr, open_usd + pay.net_usd_cents, open_khr + pay.net_khr)


def counted(
    cash: CashCount, usd_cents: int, khr: int, closed_by: str, counted_by: str = ""
) -> CashCount:
    """The same expected cash with what was counted in the drawer (a Z report)."""
    return CashCount(
        cash.opening_usd_cents,
        cash.opening_khr,
        cash.expected_usd_cents,
        cash.expected_khr,
        usd_cents,
        khr,
        closed_by,
        counted_by or closed_by,
    )


def added(counts: Iterable[CashCount]) -> CashCount:
    """A day's shifts as one drawer: the first shift's opening cash, then what each shift
    took and what each counted above its own opening.

    Shift 2 usually opens with the cash shift 1 left, so adding the openings (or the
    expected and counted totals) would count that cash once per shift. Each shift's
    difference is kept: the day's difference is their sum."""
    listed = list(counts)
    if not listed:
        return CashCount(0, 0, 0, 0, None, None)
    first = listed[0]

    def rolled(name: str, opening: str) -> int:
        base = int(getattr(first, opening))
        return base + sum(int(getattr(c, name)) - int(getattr(c, opening)) for c in listed)

    def counted(name: str, opening: str) -> int | None:
        if any(getattr(c, name) is None for c in listed):
            return None
        return rolled(name, opening)

    return CashCount(
        first.opening_usd_cents,
        first.opening_khr,
        rolled("expected_usd_cents", "opening_usd_cents"),
        rolled("expected_khr", "opening_khr"),
        counted("counted_usd_cents", "opening_usd_cents"),
        counted("counted_khr", "opening_khr"),
    )


@dataclass(frozen=True)
class RateUse:
    """One exchange rate used on a day: its sales, and the riel received at it (standing
    sales), with what that riel was worth in cents at the rate (rounded down)."""

    riel_per_usd: int
    count: int
    amount_cents: int
    received_khr: int

    @property
    def received_khr_cents(self) -> int:
        return self.received_khr * 100 // self.riel_per_usd


def rates_used(sales: Iterable[Sale]) -> tuple[RateUse, ...]:
    """The rates of the standing sales, lowest first."""
    count: dict[int, int] = {}
    amount: dict[int, int] = {}
    riel: dict[int, int] = {}
    for sale in sales:
        if sale.voided:
            continue
        rate = sale.riel_per_usd
        count[rate] = count.get(rate, 0) + 1
        amount[rate] = amount.get(rate, 0) + sale.amount_cents
        riel[rate] = riel.get(rate, 0) + _cash(sale, Currency.KHR)
    return tuple(RateUse(r, count[r], amount[r], riel[r]) for r in sorted(count))
