"""Day end: the daily sales report, the cash count and day close (X and Z reports), and the
operators' airtime float (restocks, corrections, balances).

The report is a pure read of one business day: the day's sales through the
(counter_code, business_date) and business_date indexes, their voids, shaped as the
`counter export` rows and handed to `reporting.summary.summarise`. It never writes to the
ledger, so it is the same however often it is printed, and its cost follows the size of
the day, not of the ledger.

A day close is append-only and hash-chained (`day_closes`); after it the day's sales and
voids at that counter are refused (see `services.dayrules` for why refused, not moved).
The operator balances are running rows kept in each sale's, void's, restock's and
correction's own transaction; `counter doctor` recomputes them from scratch.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from counter.domain.records import Role, User
from counter.files import new_partial, publish
from counter.i18n import _, format_khr_for, format_usd_for, use_language
from counter.reporting.pdf import render_day_report_pdf
from counter.reporting.summary import CashCount, DaySummary, summarise
from counter.reporting.tabular import write_csv, write_xlsx
from counter.services.dayrules import closed_day_sentence, float_warning_text
from counter.services.errors import NotAllowed, UserError
from counter.services.ledger import Ledger, utc_now
from counter.services.sales import business_date
from counter.services.uow import UnitOfWork
from counter.services.upkeep import export_row
from counter.services.users import authenticate, require_role
from counter.storage.chain import as_utc
from counter.storage.models import DayCloseRow

ReportFormat = Literal["pdf", "csv", "xlsx"]
FORMATS: tuple[str, ...] = ("pdf", "csv", "xlsx")
MAX_REASON = 200
# Sanity limits: a typo of three extra zeros is refused, not recorded.
MAX_DRAWER_USD_CENTS = 10_000_000  # $100,000
MAX_DRAWER_KHR = 400_000_000
MAX_FLOAT_CENTS = 100_000_000  # $1,000,000


class DayEndRefused(UserError):
    """A day-end action that cannot be recorded: day closed, float already entered, ..."""


@dataclass(frozen=True)
class DayClose:
    """A recorded day close of one counter, and where its Z report was written."""

    id: int
    counter_code: str
    business_date: date
    closed_at: datetime
    closed_by: str
    counted_by: str
    opening_usd_cents: int
    opening_khr: int
    expected_usd_cents: int
    expected_khr: int
    counted_usd_cents: int
    counted_khr: int
    sales_count: int
    sales_cents: int
    report_path: Path | None = None
    report_error: str | None = None

    @property
    def difference_usd_cents(self) -> int:
        return self.counted_usd_cents - self.expected_usd_cents

    @property
    def difference_khr(self) -> int:
        return self.counted_khr - self.expected_khr

    def cash(self) -> CashCount:
        return CashCount(
            self.opening_usd_cents,
            self.opening_khr,
            self.expected_usd_cents,
            self.expected_khr,
            self.counted_usd_cents,
            self.counted_khr,
            self.closed_by,
        )


@dataclass(frozen=True)
class XReport:
    """The day so far: the report's figures and the cash expected, nothing closed."""

    summary: DaySummary
    cash: CashCount
    closed: bool


# --- the daily sales report ----------------------------------------------------------------


def _name(user: User | str) -> str:
    return user.name if isinstance(user, User) else user


def _counters(uow: UnitOfWork, counter_code: str | None) -> list[str]:
    codes = uow.counters.codes()
    if counter_code is None:
        return codes
    if counter_code not in codes:
        raise DayEndRefused(
            _("There is no counter {code} in this ledger (counters: {codes}).").format(
                code=counter_code, codes=", ".join(codes) or _("none")
            )
        )
    return [counter_code]


def _summary(
    ledger: Ledger, uow: UnitOfWork, day: date, counters: list[str], printed_by: str, now: datetime
) -> tuple[DaySummary, list[dict[str, str]]]:
    shop = uow.shop.get()
    shop_name = shop.name if shop else ""
    rows = [
        export_row(row, clerk, reason) for row, clerk, reason in uow.dayend.sale_rows(day, counters)
    ]
    voids = uow.dayend.void_records(day, counters)
    summary = summarise(
        rows,
        voids,
        shop_name=shop_name,
        day=day,
        counters=counters,
        printed_by=printed_by,
        printed_at=now,
        commission_bp_by_operator={op.id: op.commission_bp for op in ledger.rules},
        operator_names={op.id: op.name for op in ledger.rules},
        zone=ledger.settings.zone,
    )
    return summary, rows


def day_report(
    ledger: Ledger,
    day: date,
    counter_code: str | None,
    *,
    printed_by: User | str,
    now: datetime | None = None,
) -> DaySummary:
    """Every figure of one business day at one counter (None: all counters). A pure read."""
    with ledger.uow(write=False) as uow:
        counters = _counters(uow, counter_code)
        return _summary(ledger, uow, day, counters, _name(printed_by), as_utc(now or utc_now()))[0]


def _stem(day: date, counter_code: str | None, kind: str) -> str:
    return f"{day.isoformat()}-{counter_code or 'all'}-{kind}"


def _targets(
    ledger: Ledger, output: Path | None, stem: str, suffixes: tuple[str, ...]
) -> list[Path]:
    """Where to write: the reports folder, a given folder, or a given file (csv: + -totals)."""
    if output is None or output.is_dir() or not output.suffix:
        folder = output or ledger.settings.reports_path
        first = folder / f"{stem}{suffixes[0]}"
    else:
        first = output
    paths = [first]
    if len(suffixes) > 1:
        base = first.stem.removesuffix("-sales")
        paths.append(first.with_name(f"{base}-totals{first.suffix}"))
    return paths


def _publish(pairs: list[tuple[Path, Path]]) -> list[Path]:
    """Every report file 0600 (they hold customers' numbers), each renamed into place."""
    return [publish(partial, final) for partial, final in pairs]


def _write_files(
    ledger: Ledger,
    paths: list[Path],
    fmt: str,
    summary: DaySummary,
    rows: list[dict[str, str]],
    *,
    title: str,
    cash: CashCount | None = None,
    language: str | None = None,
) -> list[Path]:
    pairs: list[tuple[Path, Path]] = []
    try:
        pairs = [(new_partial(p), p) for p in paths]  # 0600 before a byte is written
        if fmt == "pdf":
            pairs[0][0].write_bytes(
                render_day_report_pdf(summary, title=title, cash=cash, language=language)
            )
        elif fmt == "csv":
            write_csv(rows, summary, pairs[0][0], pairs[1][0])
        else:
            write_xlsx(rows, summary, pairs[0][0])
        return _publish(pairs)
    except OSError as exc:
        raise DayEndRefused(
            _("Cannot write {path}: {reason}.").format(path=paths[0], reason=exc.strerror or exc)
        ) from None
    finally:
        for partial, _unused in pairs:
            partial.unlink(missing_ok=True)


def write_report(
    ledger: Ledger,
    day: date,
    counter_code: str | None,
    fmt: str,
    output: Path | None = None,
    *,
    printed_by: User | str,
    now: datetime | None = None,
    language: str | None = None,
) -> list[Path]:
    """The day's report as PDF, CSV (sales + totals files) or XLSX; the paths written.

    `language` (`en`, `zh`; default: the active language) is the PDF's; CSV and XLSX
    headers stay English, they are a data contract.

    Default folder: `settings.reports_path`; names like `2026-11-25-A-sales.pdf`.
    """
    if fmt not in FORMATS:
        raise DayEndRefused(
            _("{format!r} is not a report format: use pdf, csv or xlsx.").format(format=fmt)
        )
    # The report's warnings are worded in the PDF's language.
    with ledger.uow(write=False) as uow:
        counters = _counters(uow, counter_code)
        with use_language(language):
            summary, rows = _summary(
                ledger, uow, day, counters, _name(printed_by), as_utc(now or utc_now())
            )
    suffixes = (".csv", ".csv") if fmt == "csv" else (f".{fmt}",)
    paths = _targets(ledger, output, _stem(day, counter_code, "sales"), suffixes)
    return _write_files(
        ledger, paths, fmt, summary, rows, title="Daily sales report", language=language
    )


# --- opening float and cash --------------------------------------------------------------


def _check_counter(uow: UnitOfWork, counter_code: str) -> None:
    _counters(uow, counter_code)


def _check_drawer(usd_cents: int, khr: int, what: str) -> None:
    if usd_cents < 0 or khr < 0:
        raise DayEndRefused(_("The {what} cannot be negative.").format(what=what))
    if usd_cents > MAX_DRAWER_USD_CENTS or khr > MAX_DRAWER_KHR:
        raise DayEndRefused(
            _("{usd} and {khr} is not a believable {what}: check the figures.").format(
                usd=format_usd_for(usd_cents), khr=format_khr_for(khr), what=what
            )
        )


def opening_float_needed(ledger: Ledger, day: date, counter_code: str) -> bool:
    """True until the day's opening float is entered at this counter (and the day is open)."""
    with ledger.uow(write=False) as uow:
        if uow.dayend.close(counter_code, day) is not None:
            return False
        return uow.dayend.opening_float(counter_code, day) is None


def record_opening_float(
    ledger: Ledger,
    day: date,
    counter_code: str,
    usd_cents: int,
    khr: int,
    *,
    by: User,
    now: datetime | None = None,
) -> None:
    """The cash in the drawer at the start of the day: once per day and counter, audited."""
    _check_drawer(usd_cents, khr, _("opening float"))
    now = as_utc(now or utc_now())
    with ledger.uow() as uow:
        user = require_role(uow, by, Role.CLERK, _("enter the opening float"))
        _check_counter(uow, counter_code)
        if uow.dayend.close(counter_code, day) is not None:
            raise DayEndRefused(closed_day_sentence(counter_code, day))
        existing = uow.dayend.opening_float(counter_code, day)
        if existing is not None:
            who = uow.users.get(existing.recorded_by)
            raise DayEndRefused(
                _(
                    "The opening float of {day} at counter {counter} is already entered "
                    "({usd} and {khr}, by {name}): it is entered once per day."
                ).format(
                    day=day.isoformat(),
                    counter=counter_code,
                    usd=format_usd_for(existing.usd_cents),
                    khr=format_khr_for(existing.khr),
                    name=who.name if who else "?",
                )
            )
        uow.dayend.add_opening_float(counter_code, day, usd_cents, khr, user.id, now)
        uow.audit.append(
            now,
            user.name,
            "opening_float",
            counter=counter_code,
            day=day.isoformat(),
            usd_cents=usd_cents,
            khr=khr,
        )
        uow.commit()


def _cash(uow: UnitOfWork, day: date, counter_code: str) -> tuple[int, int, int, int, int, int]:
    """(opening USD, opening KHR, expected USD, expected KHR, sales count, sales cents)."""
    opening = uow.dayend.opening_float(counter_code, day)
    open_usd, open_khr = (opening.usd_cents, opening.khr) if opening else (0, 0)
    totals = uow.dayend.cash_totals(day, counter_code)
    return (
        open_usd,
        open_khr,
        open_usd + totals.received_usd_cents - totals.change_usd_cents,
        open_khr + totals.received_khr - totals.change_khr,
        totals.sales_count,
        totals.sales_cents,
    )


def expected_cash(ledger: Ledger, day: date, counter_code: str) -> tuple[int, int]:
    """(USD cents, riel) that should be in the drawer: opening float + received - change,
    voided sales left out (their cash went back to the customer)."""
    with ledger.uow(write=False) as uow:
        _check_counter(uow, counter_code)
        _o_usd, _o_khr, usd, khr, _count, _cents = _cash(uow, day, counter_code)
        return usd, khr


def x_report(
    ledger: Ledger,
    day: date,
    counter_code: str,
    *,
    printed_by: User | str,
    now: datetime | None = None,
) -> XReport:
    """The report so far with the cash expected; nothing is closed or written."""
    with ledger.uow(write=False) as uow:
        counters = _counters(uow, counter_code)
        summary, _rows = _summary(
            ledger, uow, day, counters, _name(printed_by), as_utc(now or utc_now())
        )
        open_usd, open_khr, usd, khr, _count, _cents = _cash(uow, day, counter_code)
        closed = uow.dayend.close(counter_code, day) is not None
    return XReport(summary, CashCount(open_usd, open_khr, usd, khr), closed)


def write_x_report(
    ledger: Ledger,
    day: date,
    counter_code: str,
    output: Path | None = None,
    *,
    printed_by: User | str,
    now: datetime | None = None,
) -> tuple[XReport, Path]:
    """The X report as a PDF (default `reports/2026-11-25-A-x-report.pdf`)."""
    report = x_report(ledger, day, counter_code, printed_by=printed_by, now=now)
    paths = _targets(ledger, output, _stem(day, counter_code, "x-report"), (".pdf",))
    with ledger.uow(write=False) as uow:
        rows = [export_row(r, c, v) for r, c, v in uow.dayend.sale_rows(day, [counter_code])]
    written = _write_files(
        ledger,
        paths,
        "pdf",
        report.summary,
        rows,
        title="X report (day not closed)",
        cash=report.cash,
    )
    return report, written[0]


# --- day close (Z report) ------------------------------------------------------------------


def _to_close(row: DayCloseRow, closed_by: str) -> DayClose:
    return DayClose(
        id=row.id,
        counter_code=row.counter_code,
        business_date=row.business_date,
        closed_at=as_utc(row.closed_at),
        closed_by=closed_by,
        counted_by=row.counted_by,
        opening_usd_cents=row.opening_usd_cents,
        opening_khr=row.opening_khr,
        expected_usd_cents=row.expected_usd_cents,
        expected_khr=row.expected_khr,
        counted_usd_cents=row.counted_usd_cents,
        counted_khr=row.counted_khr,
        sales_count=row.sales_count,
        sales_cents=row.sales_cents,
    )


def day_close(ledger: Ledger, day: date, counter_code: str) -> DayClose | None:
    """The close of this day at this counter, if it is closed."""
    with ledger.uow(write=False) as uow:
        row = uow.dayend.close(counter_code, day)
        if row is None:
            return None
        who = uow.users.get(row.closed_by)
        return _to_close(row, who.name if who else "?")


def close_day(
    ledger: Ledger,
    day: date,
    counter_code: str,
    *,
    counted_usd_cents: int,
    counted_khr: int,
    supervisor_name: str,
    supervisor_pin: str,
    by: User,
    now: datetime | None = None,
    output: Path | None = None,
) -> DayClose:
    """Close a business day at a counter with a supervisor's PIN and write its Z report.

    The close row (expected, counted, who, when) is appended to its hash chain in the same
    transaction as the counter row lock, so no sale slips in between the figures and the
    close. The Z report PDF is written after the commit; if writing it fails the day is
    still closed and `report_error` says why (`counter report` can print it again).
    """
    _check_drawer(counted_usd_cents, counted_khr, _("counted cash"))
    now = as_utc(now or utc_now())
    if day > business_date(ledger, now):
        raise DayEndRefused(
            _("{day} has not started yet: a day is closed at its end.").format(day=day.isoformat())
        )
    supervisor = authenticate(ledger, supervisor_name, supervisor_pin)
    if not supervisor.role.at_least(Role.SUPERVISOR):
        raise NotAllowed(
            _("{name} is a {role}: only a supervisor or admin can close the day.").format(
                name=supervisor.name, role=supervisor.role.value
            )
        )
    with ledger.uow() as uow:
        require_role(uow, supervisor, Role.SUPERVISOR, _("close the day"))
        # Locked like a sale does: no sale of this counter slips in between figures and close.
        if uow.counters.lock(counter_code) is None:
            _check_counter(uow, counter_code)  # raises with the list of counters
        counter_user = require_role(uow, by, Role.CLERK, _("count the drawer"))
        if uow.dayend.close(counter_code, day) is not None:
            raise DayEndRefused(
                _(
                    "The day {day} at counter {counter} is already closed: a day is closed once."
                ).format(day=day.isoformat(), counter=counter_code)
            )
        open_usd, open_khr, usd, khr, count, cents = _cash(uow, day, counter_code)
        row = uow.dayend.add_close(
            DayCloseRow(
                counter_code=counter_code,
                business_date=day,
                closed_at=now,
                closed_by=supervisor.id,
                counted_by=counter_user.name,
                opening_usd_cents=open_usd,
                opening_khr=open_khr,
                expected_usd_cents=usd,
                expected_khr=khr,
                counted_usd_cents=counted_usd_cents,
                counted_khr=counted_khr,
                sales_count=count,
                sales_cents=cents,
            )
        )
        closed = _to_close(row, supervisor.name)
        uow.audit.append(
            now,
            supervisor.name,
            "day_closed",
            counter=counter_code,
            day=day.isoformat(),
            counted_by=counter_user.name,
            expected_usd_cents=usd,
            expected_khr=khr,
            counted_usd_cents=counted_usd_cents,
            counted_khr=counted_khr,
            difference_usd_cents=closed.difference_usd_cents,
            difference_khr=closed.difference_khr,
        )
        uow.commit()
    try:
        path = write_z_report(ledger, closed, output, printed_by=supervisor.name, now=now)
    except DayEndRefused as exc:
        return replace(closed, report_error=str(exc))
    return replace(closed, report_path=path)


def write_z_report(
    ledger: Ledger,
    close: DayClose,
    output: Path | None = None,
    *,
    printed_by: str,
    now: datetime | None = None,
) -> Path:
    """The Z report of a closed day: the day report and the cash counted against expected."""
    with ledger.uow(write=False) as uow:
        summary, rows = _summary(
            ledger,
            uow,
            close.business_date,
            [close.counter_code],
            printed_by,
            as_utc(now or utc_now()),
        )
    paths = _targets(
        ledger, output, _stem(close.business_date, close.counter_code, "z-report"), (".pdf",)
    )
    return _write_files(
        ledger, paths, "pdf", summary, rows, title="Z report (day close)", cash=close.cash()
    )[0]


# --- operator float ----------------------------------------------------------------------


def _operator(ledger: Ledger, operator_id: str) -> tuple[str, str]:
    key = operator_id.strip().lower()
    op = ledger.rules.get(key)
    if op is None:
        known = ", ".join(o.id for o in ledger.rules)
        raise DayEndRefused(
            _("{operator!r} is not an operator in the rules ({known}).").format(
                operator=operator_id, known=known
            )
        )
    return op.id, op.name


def restock(
    ledger: Ledger,
    operator_id: str,
    amount_cents: int,
    *,
    ref: str | None = None,
    by: User,
    now: datetime | None = None,
) -> int:
    """Record airtime stock bought from an operator (supervisor or admin); the new balance."""
    op_id, name = _operator(ledger, operator_id)
    if amount_cents <= 0:
        raise DayEndRefused(_("A restock is a positive amount, for example 100.00."))
    if amount_cents > MAX_FLOAT_CENTS:
        raise DayEndRefused(
            _("{amount} is not a believable restock: check the amount.").format(
                amount=format_usd_for(amount_cents)
            )
        )
    ref = (ref or "").strip() or None
    if ref is not None and len(ref) > 64:
        raise DayEndRefused(_("The restock reference is longer than 64 characters."))
    now = as_utc(now or utc_now())
    with ledger.uow() as uow:
        user = require_role(
            uow, by, Role.SUPERVISOR, _("record a restock of {operator}").format(operator=name)
        )
        balance = uow.floats.add_move(
            op_id, "restock", amount_cents, ref=ref, reason=None, by=user.id, now=now
        )
        uow.audit.append(
            now,
            user.name,
            "restock",
            operator=op_id,
            amount_cents=amount_cents,
            ref=ref,
            balance_cents=balance,
        )
        uow.commit()
    return balance


def correct_float(
    ledger: Ledger,
    operator_id: str,
    delta_cents: int,
    *,
    reason: str,
    by: User,
    now: datetime | None = None,
) -> int:
    """A correction of an operator's balance, its own record with a reason; the new balance."""
    op_id, name = _operator(ledger, operator_id)
    reason = " ".join((reason or "").split())
    if not reason:
        raise DayEndRefused(
            _("A float correction needs a reason (for example: dealer statement of 25 Nov).")
        )
    if len(reason) > MAX_REASON:
        raise DayEndRefused(
            _("The reason is longer than {limit} characters: shorten it.").format(limit=MAX_REASON)
        )
    if delta_cents == 0 or abs(delta_cents) > MAX_FLOAT_CENTS:
        raise DayEndRefused(_("A correction is a non-zero amount, for example -2.50 or 10.00."))
    now = as_utc(now or utc_now())
    with ledger.uow() as uow:
        user = require_role(
            uow, by, Role.SUPERVISOR, _("correct the {operator} balance").format(operator=name)
        )
        balance = uow.floats.add_move(
            op_id, "correction", delta_cents, ref=None, reason=reason, by=user.id, now=now
        )
        uow.audit.append(
            now,
            user.name,
            "float_correction",
            operator=op_id,
            delta_cents=delta_cents,
            reason=reason,
            balance_cents=balance,
        )
        uow.commit()
    return balance


def operator_balances(ledger: Ledger) -> list[tuple[str, int]]:
    """(operator id, balance in cents): restocks + corrections - sales + voided sales.

    Operators of the rules first, in their order, then any other the ledger knows.
    """
    with ledger.uow(write=False) as uow:
        kept = uow.floats.balances()
    known = [op.id for op in ledger.rules]
    return [(op, kept.get(op, 0)) for op in known] + sorted(
        (op, b) for op, b in kept.items() if op not in known
    )


def float_warning(ledger: Ledger, operator_id: str) -> str | None:
    """A sentence for the sale screen when the operator's stock is low (policy warn/refuse)."""
    if ledger.settings.float_policy == "off":
        return None
    op = ledger.rules.get(operator_id)
    with ledger.uow(write=False) as uow:
        balance = uow.floats.balance(operator_id)
    return float_warning_text(ledger.settings, op.name if op else operator_id, balance)
