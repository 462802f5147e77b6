"""Opening and setting up the ledger: the shop, this machine's counter, the exchange rate.

`open_ledger` is what the CLI and the screen call at start: it refuses a missing ledger
with a sentence, backs up and upgrades an older one, and knows which counter this is.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.exc import SQLAlchemyError

from counter.config import Settings, settings_file
from counter.domain.errors import CounterError
from counter.domain.operators import RuleBook
from counter.domain.records import Role, ShopInfo, User
from counter.files import new_partial, publish
from counter.i18n import _
from counter.rules import load_rules
from counter.services.errors import LedgerExists, NotAllowed, NotInitialised, UserError
from counter.services.pins import check_pin_rules, ensure_pepper, hash_pin
from counter.services.uow import UnitOfWork
from counter.storage import migrate
from counter.storage.chain import as_utc
from counter.storage.engine import create_private_file, make_engine, sqlite_file
from counter.storage.faults import StorageError, explain

RATE_KEY = "riel_per_usd"
_COUNTER_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,7}$")
_USER_NAME = re.compile(r"^[^\x00-\x1f\x7f]{1,40}$")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Ledger:
    """An open ledger: one engine, the settings and rules in force, this counter's code."""

    engine: Engine
    settings: Settings
    rules: RuleBook
    counter_code: str
    upgraded: bool = field(default=False)

    def uow(self, *, write: bool = True) -> UnitOfWork:
        """A new unit of work; `write=False` for queries (no write lock on SQLite)."""
        return UnitOfWork(self.engine, self.settings, write=write)

    def shop(self) -> ShopInfo:
        with self.uow(write=False) as uow:
            row = uow.shop.get()
            if row is None:
                raise NotInitialised(_not_set_up(self.settings))
            rate = int(uow.shop.setting(RATE_KEY) or self.settings.default_riel_per_usd)
            return ShopInfo(row.name, row.address, self.counter_code, rate, as_utc(row.created))

    def riel_per_usd(self, uow: UnitOfWork) -> int:
        return int(uow.shop.setting(RATE_KEY) or self.settings.default_riel_per_usd)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _not_set_up(settings: Settings) -> str:
    return _(
        "No ledger at {place}: run `counter init ...` or open the counter screen "
        "to set up the shop."
    ).format(place=_place(settings))


def _place(settings: Settings) -> str:
    file = sqlite_file(settings.url)
    if file is not None:
        return str(file)
    return settings.url.split("@")[-1] if "@" in settings.url else settings.url


def _fault(settings: Settings, exc: SQLAlchemyError, *, writing: bool = False) -> StorageError:
    return explain(exc, settings.url, busy_timeout_ms=settings.busy_timeout_ms, writing=writing)


def _has_shop(engine: Engine, settings: Settings) -> bool:
    try:
        if not inspect(engine).has_table("shop"):
            return False
        with UnitOfWork(engine, settings, write=False) as uow:
            return uow.shop.get() is not None
    except SQLAlchemyError as exc:
        raise _fault(settings, exc) from exc


def is_initialised(settings: Settings) -> bool:
    """True when the shop is set up; a server that cannot be reached is a StorageError."""
    file = sqlite_file(settings.url)
    if file is not None and not file.exists():
        return False
    engine = make_engine(settings)
    try:
        return _has_shop(engine, settings)
    finally:
        engine.dispose()


def open_ledger(settings: Settings) -> Ledger:
    """Open the ledger for this counter: back up and upgrade an older database first."""
    file = sqlite_file(settings.url)
    if file is not None and not file.exists():
        raise NotInitialised(_not_set_up(settings))
    engine = make_engine(settings)
    try:
        if not _has_shop(engine, settings):
            raise NotInitialised(_not_set_up(settings))
        try:
            upgraded = migrate.upgrade_if_behind(
                engine, (lambda: backup_file(settings, reason="before-upgrade")) if file else None
            )
        except SQLAlchemyError as exc:
            raise _fault(settings, exc, writing=True) from exc
        rules = load_rules(settings.rules_file)
        code = _this_counter(engine, settings)
        return Ledger(engine, settings, rules, code, upgraded)
    except BaseException:
        engine.dispose()
        raise


def _this_counter(engine: Engine, settings: Settings) -> str:
    with UnitOfWork(engine, settings, write=False) as uow:
        codes = uow.counters.codes()
    if settings.counter_code:
        if settings.counter_code not in codes:
            raise NotInitialised(
                _(
                    "This machine is set up as counter {code}, but the ledger has "
                    "only {codes}: fix counter_code in "
                    "{file} or run `counter init --counter {code} ...`."
                ).format(
                    code=settings.counter_code,
                    codes=", ".join(codes) or _("no counters"),
                    file=settings_file(),
                )
            )
        return settings.counter_code
    if len(codes) == 1:
        return codes[0]
    raise NotInitialised(
        _(
            "The ledger has counters {codes}: set this machine's counter_code in "
            "{file} (or COUNTER_COUNTER_CODE)."
        ).format(codes=", ".join(codes), file=settings_file())
    )


def backup_file(settings: Settings, to: Path | None = None, *, reason: str = "backup") -> Path:
    """Copy a SQLite ledger with the online backup API, then check the copy's integrity."""
    file = sqlite_file(settings.url)
    if file is None:
        raise CounterError(
            _(
                "Backups of a PostgreSQL ledger are made with the server's tools: run "
                "`pg_dump --format=custom` against the database (see docs/reliability.md)."
            )
        )
    if to is None:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        to = settings.backups_path / f"ledger-{stamp}-{reason}.sqlite3"
    elif to.is_dir():
        to = to / f"ledger-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.sqlite3"
    if to.exists():
        raise CounterError(
            _("{path} already exists: choose another file, a backup never overwrites.").format(
                path=to
            )
        )
    partial: Path | None = None
    try:
        partial = new_partial(to)  # 0600 from the start; renamed onto `to` when checked
        source = sqlite3.connect(
            f"file:{file}?mode=ro", uri=True, timeout=settings.busy_timeout_ms / 1000
        )
        try:
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
                result = target.execute("PRAGMA integrity_check").fetchall()
            finally:
                target.close()
        finally:
            source.close()
        if result == [("ok",)]:
            publish(partial, to)
    except sqlite3.Error as exc:
        raise StorageError(
            _("The backup to {path} failed ({reason}); the ledger itself is unchanged.").format(
                path=to, reason=exc
            )
        ) from None
    except OSError as exc:
        raise StorageError(
            _("Cannot write the backup {path}: {reason}.").format(path=to, reason=exc.strerror)
        ) from None
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)
    if result != [("ok",)]:
        raise StorageError(
            _(
                "The backup {path} fails its integrity check: {result}. "
                "Keep the ledger; run `counter doctor`."
            ).format(path=to, result=result[:3])
        )
    return to


def _unbelievable_rate(rate: int) -> str:
    return _("{rate} riel per dollar is not a believable rate (1,000 to 10,000).").format(rate=rate)


def write_counter_code(code: str) -> Path:
    """Record this machine's counter code in counter.toml, keeping the rest of the file."""
    path = settings_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    kept = [line for line in lines if not re.match(r"\s*counter_code\s*=", line)]
    # First, so it never lands inside a [table] further down.
    path.write_text("\n".join([f'counter_code = "{code}"', *kept]) + "\n", encoding="utf-8")
    return path


def _check_setup_values(shop_name: str, counter_code: str, admin_name: str, admin_pin: str) -> None:
    if not shop_name.strip():
        raise UserError(_("The shop needs a name (it is printed on every receipt)."))
    if not _COUNTER_CODE.match(counter_code):
        raise UserError(
            _(
                "{code!r} is not a counter code: use a capital letter, then up to 7 capital "
                "letters or digits (for example A or B2)."
            ).format(code=counter_code)
        )
    check_user_name(admin_name)
    check_pin_rules(admin_pin)


def check_user_name(name: str) -> None:
    if not _USER_NAME.match(name.strip()) or not name.strip():
        raise UserError(_("A user name is 1 to 40 characters, without control characters."))


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
    counter_code = counter_code.strip().upper()
    _check_setup_values(shop_name, counter_code, admin_name, admin_pin)
    rate = riel_per_usd if riel_per_usd is not None else settings.default_riel_per_usd
    if not 1000 <= rate <= 10_000:
        raise UserError(_unbelievable_rate(rate))
    file = sqlite_file(settings.url)
    engine = make_engine(settings, create=False)
    try:
        exists = (file is None or file.exists()) and _has_shop(engine, settings)
        if exists and file is not None:
            raise LedgerExists(
                _(
                    "A ledger already exists at {path}: it is never overwritten. To start a new "
                    "shop, move that file away first (keep it: it holds recorded sales)."
                ).format(path=file)
            )
        if exists:
            _join_shared_ledger(engine, settings, counter_code, admin_name, admin_pin)
        else:
            ensure_pepper(settings)
            if file is not None:
                create_private_file(file)
            try:
                migrate.upgrade(engine)
            except SQLAlchemyError as exc:
                raise _fault(settings, exc, writing=True) from exc
            _create_shop(
                engine,
                settings,
                shop_name.strip(),
                address.strip(),
                counter_code,
                admin_name.strip(),
                admin_pin,
                rate,
            )
    finally:
        engine.dispose()
    write_counter_code(counter_code)
    return open_ledger(settings.model_copy(update={"counter_code": counter_code}))


def _create_shop(
    engine: Engine,
    settings: Settings,
    shop_name: str,
    address: str,
    code: str,
    admin_name: str,
    admin_pin: str,
    rate: int,
) -> None:
    now = utc_now()
    pin_hash = hash_pin(settings, admin_pin)
    with UnitOfWork(engine, settings) as uow:
        uow.shop.add(shop_name, address, now)
        uow.shop.set_setting(RATE_KEY, str(rate))
        uow.counters.add(code, now)
        admin = uow.users.add(admin_name, Role.ADMIN, pin_hash, now)
        uow.audit.append(
            now, admin_name, "shop_created", shop=shop_name, counter=code, riel_per_usd=rate
        )
        uow.audit.append(now, admin_name, "user_added", user=admin.name, role=Role.ADMIN.value)
        uow.commit()


def _join_shared_ledger(
    engine: Engine, settings: Settings, code: str, admin_name: str, admin_pin: str
) -> None:
    from counter.services.users import authenticate_on

    with UnitOfWork(engine, settings, write=False) as uow:
        codes = uow.counters.codes()
    if code in codes:
        raise LedgerExists(
            _(
                "Counter {code} already exists in this ledger (counters: {codes}): "
                "pick a new code for this machine; a code is never reused."
            ).format(code=code, codes=", ".join(codes))
        )
    admin = authenticate_on(engine, settings, admin_name, admin_pin)
    if admin.role is not Role.ADMIN:
        raise NotAllowed(
            _("{name} is a {role}: only an admin can add a counter.").format(
                name=admin.name, role=admin.role.value
            )
        )
    now = utc_now()
    with UnitOfWork(engine, settings) as uow:
        uow.counters.add(code, now)
        uow.audit.append(now, admin.name, "counter_added", counter=code)
        uow.commit()


def set_exchange_rate(ledger: Ledger, riel_per_usd: int, *, by: User) -> None:
    """Change the rate in force for new sales (recorded sales keep theirs); admin only."""
    from counter.services.users import require_role

    if not 1000 <= riel_per_usd <= 10_000:
        raise UserError(_unbelievable_rate(riel_per_usd))
    now = utc_now()
    with ledger.uow() as uow:
        require_role(uow, by, Role.ADMIN, _("change the exchange rate"))
        old = ledger.riel_per_usd(uow)
        uow.shop.set_setting(RATE_KEY, str(riel_per_usd))
        uow.audit.append(now, by.name, "rate_changed", old=old, new=riel_per_usd)
        uow.commit()
