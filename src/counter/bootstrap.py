"""The one composition root: settings in, a `Ledger` (and a printer) out.

The CLI and the screen ask here for what the use cases need: the SQLAlchemy unit of work,
the rules, the shop's policy, the clock, the PIN hasher, the report writer, the printer.
Everything heavy (SQLAlchemy, Alembic, Argon2, ReportLab, python-escpos) is imported inside
the function that first needs it, so `counter check` and `counter --help` never load it.
"""

from __future__ import annotations

import re
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from counter.config import Settings, settings_file
from counter.domain.cash import Rounding
from counter.domain.errors import (
    AuthError,
    BackupByServer,
    LedgerExists,
    NotInitialised,
    StorageError,
)
from counter.domain.policy import Policy
from counter.domain.receipt import ReceiptWording
from counter.i18n import N_, _

if TYPE_CHECKING:
    from counter.domain.operators import RuleBook
    from counter.domain.records import Approval
    from counter.printing.receipt import ReceiptOptions
    from counter.services.ports import Ledger, Printer, ReportPrinter
    from counter.storage.database import LedgerDatabase


def utc_now() -> datetime:
    return datetime.now(UTC)


def policy_of(settings: Settings) -> Policy:
    """The shop's rules in force, as plain values."""
    return Policy(
        khr_rounding_step=settings.khr_rounding_step,
        duplicate_window_seconds=settings.duplicate_window_seconds,
        large_amount_cents=settings.large_amount_cents,
        low_float_cents=settings.low_float_cents,
        float_policy=settings.float_policy,
        lockout_attempts=settings.lockout_attempts,
        default_riel_per_usd=settings.default_riel_per_usd,
        khr_rounding=Rounding(settings.khr_rounding),
        rate_lowest=settings.rate_lowest,
        rate_highest=settings.rate_highest,
        cash_max_multiple=settings.cash_max_multiple,
        cash_max_received_cents=settings.cash_max_received_cents,
        blind_count=settings.blind_count,
    )


def rules_of(settings: Settings) -> RuleBook:
    from counter.rules import load_rules

    return load_rules(settings.rules_file)


# --- the ledger --------------------------------------------------------------------------


def _database(settings: Settings, *, make_key: bool = False) -> LedgerDatabase:
    """The ledger with this shop's witness key (made first when `make_key`) and its
    witness log, written after each commit that moves a chain head."""
    from counter.pins import ensure_witness_key, read_witness_key
    from counter.storage.database import LedgerDatabase
    from counter.storage.witness import WitnessLog

    if make_key:
        ensure_witness_key(settings.witness_key, settings.witness_key_path)
    key = read_witness_key(settings.witness_key, settings.witness_key_path)
    db = LedgerDatabase(settings.url, settings.busy_timeout_ms, key)
    db.witness = WitnessLog(settings.witness_path, db.sealer, settings.counter_code or "")
    return db


def _place(settings: Settings) -> str:
    from counter.storage.engine import sqlite_file

    file = sqlite_file(settings.url)
    if file is not None:
        return str(file)
    return settings.url.split("@")[-1] if "@" in settings.url else settings.url


def _not_set_up(settings: Settings) -> NotInitialised:
    return NotInitialised(
        _("No ledger at {place}: the shop is not set up yet.").format(place=_place(settings))
    )


def is_initialised(settings: Settings) -> bool:
    """True when the shop is set up; a server that cannot be reached is a StorageError."""
    db = _database(settings)
    try:
        return db.has_shop()
    finally:
        db.close()


def open_ledger(settings: Settings) -> Ledger:
    """Open the ledger for this counter: back up and upgrade an older database first."""
    db = _database(settings)
    try:
        if not db.has_shop():
            raise _not_set_up(settings)
        db.check_schema_version()
        if db.revision() != migrate_head():
            db.close()
            db = _database(settings, make_key=True)  # the seals need the key
        upgraded = db.upgrade_if_behind(
            (lambda rev: _before_upgrade(settings, rev)) if db.file else None
        )
        _release_dead_claims(db)
        ledger = _ledger(settings, db, _this_counter(db, settings), upgraded=upgraded)
        _ensure_float_rows(db, ledger)
        return ledger
    except BaseException:
        db.close()
        raise


def _ensure_float_rows(db: LedgerDatabase, ledger: Ledger) -> None:
    """Every operator's balance row exists before its first sale, so the first sales of
    one operator at several counters never meet on the row's key; a ledger that cannot
    be written now (busy, read-only, full) is left for the sale's own fallback."""
    with suppress(StorageError):
        db.ensure_rows(op.id for op in ledger.rules)


def _release_dead_claims(db: LedgerDatabase) -> None:
    """Print claims of this machine's processes that are gone, released at start (their
    receipt then prints as a COPY); a busy ledger is left for the next start."""
    try:
        with db.uow(write=False) as look:
            if not look.prints.has_claims():
                return
        with db.uow() as uow:
            if uow.prints.release_dead_claims():
                uow.commit()
    except StorageError:
        pass


def _ledger(
    settings: Settings, db: LedgerDatabase, counter_code: str, *, upgraded: bool = False
) -> Ledger:
    from counter.couriers import delivery_plan
    from counter.khqr_link import khqr_plan
    from counter.pins import PepperedPins
    from counter.reporting.files import ReportFiles
    from counter.services.ports import Ledger

    if db.witness is not None:
        db.witness.counter_code = counter_code
    rules = rules_of(settings)
    return Ledger(
        uow=db.uow,
        rules=rules,
        policy=policy_of(settings),
        clock=utc_now,
        pins=PepperedPins(settings.pepper, settings.pepper_path, settings.pin_hash_profile),
        counter_code=counter_code,
        zone=settings.zone,
        close=db.close,
        wording=ReceiptWording(settings.shop_address, settings.receipt_footer),
        reports=ReportFiles(settings.reports_path),
        backup=lambda to: backup_file(settings, to),
        reload_rules=lambda: rules_of(settings),
        upgraded=upgraded,
        delivery=delivery_plan(settings.delivery, rules),
        khqr=khqr_plan(settings.khqr),
    )


def ledger_on(settings: Settings, db: LedgerDatabase) -> Ledger:
    """The use cases' `Ledger` on a database opened elsewhere (a restore's copy)."""
    return _ledger(settings, db, _this_counter(db, settings))


def _this_counter(db: LedgerDatabase, settings: Settings) -> str:
    with db.uow(write=False) as uow:
        codes = uow.counters.codes()
    if settings.counter_code:
        if settings.counter_code not in codes:
            raise NotInitialised(
                _(
                    "This machine is set up as counter {code} (in {file}), but the ledger "
                    "has only {codes}."
                ).format(
                    code=settings.counter_code,
                    codes=", ".join(codes) or _("no counters"),
                    file=settings_file(),
                ),
                reason="unknown_counter",
                code=settings.counter_code,
            )
        return settings.counter_code
    if len(codes) == 1:
        return codes[0]
    raise NotInitialised(
        _(
            "The ledger has counters {codes}, and this machine's counter_code is not set "
            "(in {file} or COUNTER_COUNTER_CODE)."
        ).format(codes=", ".join(codes), file=settings_file()),
        reason="which_counter",
    )


def migrate_head() -> str:
    from counter.storage.migrate import HEAD_REVISION

    return HEAD_REVISION


def _before_upgrade(settings: Settings, revision: str) -> Path:
    """The copy kept before an upgrade: one per revision upgraded from, never more (a
    second start after a failed upgrade keeps the first copy)."""
    folder = settings.backups_path
    kept = sorted(folder.glob(f"ledger-*-before-upgrade-{revision}.sqlite3"))
    if kept:
        return kept[0]
    return backup_file(settings, reason=f"before-upgrade-{revision}")


def backup_file(settings: Settings, to: Path | None = None, *, reason: str = "backup") -> Path:
    """Copy a SQLite ledger with the online backup API, then check the copy's integrity.

    Default: `backups/ledger-<UTC stamp>-<reason>.sqlite3`; a folder gets a stamped name.
    """
    from counter.storage.database import backup_sqlite
    from counter.storage.engine import sqlite_file

    file = sqlite_file(settings.url)
    if file is None:
        raise BackupByServer()
    if to is None:
        stamp = utc_now().strftime("%Y%m%d-%H%M%S-%f")
        to = settings.backups_path / f"ledger-{stamp}-{reason}.sqlite3"
    elif to.is_dir():
        to = to / f"ledger-{utc_now().strftime('%Y%m%d-%H%M%S')}.sqlite3"
    return backup_sqlite(file, to, settings.busy_timeout_ms)


# --- setting up ----------------------------------------------------------------------------


def write_counter_code(code: str) -> Path:
    """Record this machine's counter code in counter.toml, keeping the rest of the file."""
    from counter.files import write_private

    path = settings_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    kept = [line for line in lines if not re.match(r"\s*counter_code\s*=", line)]
    # First, so it never lands inside a [table] further down. 0600, published by rename:
    # the settings may name the shop's accounts and a customer's display address.
    text = "\n".join([f'counter_code = "{code}"', *kept]) + "\n"
    return write_private(path, text.encode("utf-8"))


def init_shop(
    settings: Settings,
    *,
    shop_name: str,
    counter_code: str,
    admin_name: str,
    admin_pin: str,
    riel_per_usd: int | None = None,
    address: str = "",
) -> Ledger:
    """Set up the shop and this counter; on a shared ledger, add this counter to it.

    Never overwrites: a ledger that is set up refuses a second set-up. On PostgreSQL a
    new counter code joins the existing shop, approved by an existing admin's PIN.
    """
    from counter.domain.records import Approval
    from counter.pins import ensure_pepper
    from counter.services import setup

    code = counter_code.strip().upper()
    setup.check_setup(shop_name, code, admin_name, admin_pin, address)
    rate = riel_per_usd if riel_per_usd is not None else settings.default_riel_per_usd
    setup.check_rate(rate, policy_of(settings).rate_bounds)
    db = _database(settings, make_key=True)
    try:
        if db.file is not None and db.has_shop():
            raise LedgerExists(
                _(
                    "A ledger already exists at {path}: it is never overwritten. To start a new "
                    "shop, move that file away first (keep it: it holds recorded sales)."
                ).format(path=db.file)
            )
        seen = db.has_shop()
        with db.setting_up():  # PostgreSQL: another machine's `init` finishes first
            ledger = _ledger(settings, db, code)
            if db.has_shop():
                _join(ledger, code, Approval(admin_name, admin_pin), raced=not seen)
            else:
                ensure_pepper(settings.pepper, settings.pepper_path)
                db.create()
                setup.create_shop(
                    ledger,
                    shop_name=shop_name.strip(),
                    address=address.strip(),
                    admin_name=admin_name.strip(),
                    admin_pin=admin_pin,
                    riel_per_usd=rate,
                )
    finally:
        db.close()
    write_counter_code(code)
    return open_ledger(settings.model_copy(update={"counter_code": code}))


def _join(ledger: Ledger, code: str, admin: Approval, *, raced: bool) -> None:
    """This machine joins the shared ledger as counter `code`, approved by an admin's PIN.
    `raced`: the shop was set up by another machine while this `init` waited for it; an
    admin it does not know then gets that said, not only "name and PIN do not match"."""
    from counter.services import setup

    try:
        setup.add_counter(ledger, code, admin)
    except AuthError as refused:
        if not raced:
            raise
        raise LedgerExists(
            _(
                "Another counter set this shop up a moment ago, and this machine was not "
                "added to it: {reason} To join it as counter {code}, run init again with "
                "the name and PIN of one of its admins."
            ).format(reason=str(refused), code=code)
        ) from None


# --- printing ------------------------------------------------------------------------------


def receipt_options(settings: Settings) -> ReceiptOptions:
    """How the shop wants its receipts worded (second languages, masked number, QR)."""
    from counter.printing.receipt import ReceiptOptions

    return ReceiptOptions(
        languages=tuple(dict.fromkeys(settings.receipt_languages)),
        mask_number=settings.receipt_mask_number,
        qr_mask=settings.receipt_qr_mask,
        compact=settings.receipt_layout == "compact",
    )


def make_printer(settings: Settings, width_mm: float | None = None) -> Printer:
    """The printer the settings choose: `pdf`, `cups`, `escpos` or `none`.

    Never raises for a printer that is not ready: a missing queue or connection gives a
    printer whose every print fails with a sentence naming the setting to fix.
    """
    from counter.printing.printers import (
        CupsPrinter,
        EscposPrinter,
        MisconfiguredPrinter,
        NullPrinter,
        PdfFolderPrinter,
    )

    width = width_mm if width_mm is not None else settings.receipt_width_mm
    options = receipt_options(settings)
    if settings.printer == "pdf":
        return PdfFolderPrinter(settings.receipts_path, width, options)
    if settings.printer == "none":
        return NullPrinter()
    if settings.printer == "cups":
        if not settings.cups_queue:
            return MisconfiguredPrinter(N_("printer is cups but no cups_queue is set"))
        return CupsPrinter(settings.cups_queue, width, options)
    if not settings.escpos_connection:
        return MisconfiguredPrinter(N_("printer is escpos but no escpos_connection is set"))
    try:
        return EscposPrinter(
            settings.escpos_connection,
            settings.escpos_profile,
            width,
            options,
            dots=settings.escpos_dots,
        )
    except ValueError as exc:
        return MisconfiguredPrinter(str(exc))


def make_roll_printer(settings: Settings, *, asked: bool = False) -> ReportPrinter | None:
    """The receipt printer as a printer of X and Z reports: a roll printer (`cups`,
    `escpos`) prints them at each close; with `asked` (`x-report --print`) the `pdf`
    printer writes a roll-wide PDF into the receipts folder too. None: nothing to print on.
    """
    if settings.printer == "none" or (settings.printer == "pdf" and not asked):
        return None
    from counter.printing.roll_print import RollPrinter

    return RollPrinter(make_printer(settings))
