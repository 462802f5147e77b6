"""Settings: `counter.toml` in the counter's home folder, then `COUNTER_*` environment variables.

One pydantic model, so every setting has one name, one type and one default, and a wrong
value stops the app with the file and field at fault (a till must never fall back
silently on a money setting). `load_settings` reads the two sources (`settings_source`:
the file, then the environment over it) and the caller's values over both:
pydantic-settings did the same but cost `counter check` and the screen's start a tenth
of a second to import.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal, get_args, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from counter.config_delivery import DeliverySettings
from counter.config_khqr import KhqrSettings
from counter.domain.errors import SettingsError
from counter.i18n import _
from counter.settings_source import (
    APP_NAME,
    ScreenStart,
    default_home,
    from_environment,
    from_file,
    settings_file,
)

__all__ = ["Settings", "SettingsError", "default_home", "load_settings", "settings_file"]


# The forms `printing.printers` connects to; a host has no `/` (`tcp://host` is refused).
_PRINTER_ADDRESS = re.compile(
    r"^(usb:0x[0-9A-Fa-f]{1,4}:0x[0-9A-Fa-f]{1,4}|tcp:[^:\s/]+(:(?P<port>\d{1,5}))?|file:/\S+)$"
)


class Settings(BaseModel):
    """Everything a shop may set. Field docstrings are what `README.md` documents."""

    model_config = ConfigDict(extra="forbid", validate_default=True, frozen=True)

    home: Path = Field(default_factory=default_home)
    """Folder of the ledger, receipts, reports and backups."""

    database_url: str | None = None
    """SQLAlchemy URL; empty means the SQLite ledger in `home`. PostgreSQL for several counters:
    `postgresql+psycopg://user@host/db` (put the password in the environment, not a file)."""

    rules_file: Path | None = None
    """The shop's own operator rules; empty means the shipped `assets/operators.toml`."""

    timezone: str = "Asia/Phnom_Penh"
    """Time zone of the shop's business day."""

    language: Literal["en", "zh"] = "en"
    """The shop's default language on screen: `en` (English) or `zh` (Simplified Chinese).
    The login screen uses it; each user may choose their own (`counter users add
    --language`). `COUNTER_LANG` overrides it for the `counter` commands."""

    theme: Literal["default", "light", "contrast"] = "default"
    """The screen's colours for the shop: `default` (dark), `light`, or `contrast` (high
    contrast, for a bright shop front). The login screen uses it; each user may choose their
    own from the command palette (Ctrl+P, "Theme: ...")."""

    keys: dict[str, str] = Field(default_factory=dict)
    """Keys remapped by action id, e.g. `{ help = "f1", history = "f11" }` in
    `counter.toml` (a table `[keys]` works too), or `COUNTER_KEYS` as JSON. A key may list
    several, comma-separated. Two actions on one key on the same screen are refused at start.
    An unknown id is refused, and the message lists the ids."""

    khr_rounding_step: int = Field(default=100, ge=1, le=10_000)
    """Cash change in riel is rounded to this step (the smallest riel note in use)."""

    default_riel_per_usd: int = Field(default=4000, ge=1000, le=10_000)
    """Exchange rate offered at first set-up; the rate in force is kept in the ledger."""

    khr_rounding: Literal["nearest", "down"] = "nearest"
    """Which way riel change goes to `khr_rounding_step`: `nearest` (a half step in the
    customer's favour) or `down` (never more than the exact change; the shop keeps the rest)."""

    rate_lowest: int = Field(default=3000, ge=1, le=100_000)
    """The lowest rate (riel per dollar) `counter rate set` and the rate form accept."""

    rate_highest: int = Field(default=5000, ge=1, le=100_000)
    """The highest rate (riel per dollar) accepted: a rate outside is refused as a slip."""

    cash_max_multiple: int = Field(default=100, ge=2, le=100_000)
    """Cash received above this many times the amount due is asked again ($20,000 or
    20,000៛?); `counter sell` refuses it without `--confirm-paid`."""

    cash_max_received_cents: int = Field(default=50_000, ge=100)
    """Cash received above this (USD cents, riel counted at the sale's rate) is asked again."""

    duplicate_window_seconds: int = Field(default=180, ge=0, le=86_400)
    """The same number and amount within this window asks before selling again."""

    large_amount_cents: int = Field(default=2000, ge=0)
    """At or above this amount (USD cents) the clerk re-types the number's last 4 digits."""

    low_float_cents: int = Field(default=2000, ge=0)
    """The sale screen warns when an operator's airtime balance is below this (USD cents)."""

    float_policy: Literal["warn", "refuse", "off"] = "off"
    """Operator airtime balance (restocks - sales): `warn` below `low_float_cents`, `refuse`
    also refuses a sale larger than the balance, `off` (the default, for a shop that does not
    record its restocks) neither warns nor refuses. Balances are kept either way."""

    blind_count: Literal["clerks", "everyone", "nobody"] = "clerks"
    """Who counts the drawer without seeing the expected cash before the count is recorded
    (the count form, `shift status`, the X report): `clerks` (the default: a supervisor or
    admin sees it), `everyone`, or `nobody`."""

    idle_lock_seconds: int = Field(default=300, ge=0)
    """The screen returns to login after this long without a key (0 = never)."""

    customer_display: str | None = None
    """The customer's display, a web page for a screen or tablet facing the customer: off
    when empty (the default) or `off`; `"127.0.0.1:8765"` for a screen on this machine, or
    this machine's address on the shop's network (`"192.168.1.20:8765"`) for a tablet. Counter
    listens at that address only. See docs/customer-display.md."""

    receipts_dir: Path | None = None
    """Where the `pdf` printer writes receipts; empty means `home/receipts`."""

    reports_dir: Path | None = None
    """Where reports are written; empty means `home/reports`."""

    backups_dir: Path | None = None
    """Where backups go; empty means `home/backups`."""

    printer: Literal["pdf", "cups", "escpos", "none"] = "pdf"
    """How receipts are printed: `pdf` writes a file per receipt; `cups` sends the PDF to
    `cups_queue` with `lp`; `escpos` prints on a thermal printer at `escpos_connection`;
    `none` prints nothing. `counter printers test` prints a test slip (docs/printers.md)."""

    receipt_width_mm: Literal[80, 58] = 80
    """Paper roll width in millimetres: 80 or 58."""

    cups_queue: str | None = None
    """The CUPS queue for `printer = "cups"` (see `lpstat -p`)."""

    escpos_connection: str | None = None
    """The thermal printer for `printer = "escpos"`: `usb:0x04b8:0x0202` (vendor:product),
    `tcp:192.168.1.50:9100` (host:port) or `file:/dev/usb/lp0` (a device file)."""

    escpos_profile: str = "TM-T88V"
    """The python-escpos printer profile (columns, dots, cutter), e.g. `TM-T20II`, `POS-5890`."""

    escpos_dots: int | None = Field(default=None, ge=200, le=832)
    """Picture width in printer dots, used when the profile does not say (576 for most
    80 mm printers, 384 for 58 mm). Empty: 576 on 80 mm paper, 384 on 58 mm."""

    receipt_layout: Literal["standard", "compact"] = "standard"
    """`compact` puts second-language words on the label's own line and tightens spacing:
    a receipt with Khmer and Chinese lines comes out much shorter."""

    receipt_languages: list[Literal["km", "zh"]] = Field(default_factory=list)
    """Second-language lines under the fixed labels: `km` (Khmer), `zh` (Simplified Chinese)."""

    receipt_mask_number: bool = False
    """Print the customer's number with its middle digits hidden: `012 ***678`."""

    receipt_qr_mask: bool = True
    """Hide the number's middle digits in the receipt's QR code too (always when masked above)."""

    shop_address: str = ""
    """Printed under the shop name on receipts."""

    receipt_footer: str = "Thank you! Keep this receipt until your top-up arrives."
    """The last line of every receipt."""

    pepper: str | None = Field(default=None, repr=False)
    """Secret mixed into PIN hashes; better set through the environment or `pepper_file`."""

    pepper_file: Path | None = None
    """File holding the pepper; empty means `pepper.key` in the user config folder."""

    witness_key: str | None = Field(default=None, repr=False)
    """Secret that seals the chain heads and makes the codes on receipts and Z reports and
    the witness log's MACs; better set through the environment or `witness_key_file`."""

    witness_key_file: Path | None = None
    """File holding the witness key; empty means `witness.key` beside the pepper."""

    witness_dir: Path | None = None
    """Folder of the witness log (a USB stick or a synced folder, outside the ledger's
    folder); empty means `witness` beside the backups folder; `off` is not offered."""

    lockout_attempts: int = Field(default=5, ge=1, le=20)
    """Wrong PINs in a row that lock an account: written into the ledger at set-up; after
    that the ledger's value counts, never this setting."""

    busy_timeout_ms: int = Field(default=5000, ge=0)
    """How long a write waits for another counter's write before giving up."""

    counter_code: str | None = Field(default=None, pattern=r"^[A-Z][A-Z0-9]{0,7}$")
    """This machine's counter (for example `A`): written by `counter init`; receipt numbers
    start with it. Several counters may share one PostgreSQL ledger, each with its own code."""

    khqr: KhqrSettings = Field(default_factory=KhqrSettings)
    """KHQR payments (`[khqr]` table, or COUNTER_KHQR as JSON): see docs/payments.md."""
    delivery: DeliverySettings = Field(default_factory=DeliverySettings)
    """How top-ups reach the customer, per operator: `[delivery]` with `cellcard = "manual"`,
    `default = "assumed"` (what Counter always did), `[delivery.modem]` and `[delivery.api]`.
    See docs/delivery.md."""

    pin_hash_profile: Literal["default", "test"] = "default"
    """Argon2id cost for PIN hashes: `default` is the OWASP minimum (19 MiB, t=2); `test` is
    cheap and for the test suite only, never for a shop."""

    @field_validator("*", mode="before")
    @classmethod
    def _clean_text(cls, value: object, info: ValidationInfo) -> object:
        """No setting may hold a control or bidi-override character, at any depth (the
        `[khqr]` merchant name, a modem's answer words, the receipt's footer)."""
        _check_setting_text(value, str(info.field_name))
        return value

    @model_validator(mode="after")
    def _rate_bounds_in_order(self) -> Settings:
        """`rate_lowest` at most `rate_highest`, and the first set-up's rate between them."""
        if self.rate_lowest > self.rate_highest:
            raise ValueError(
                _("rate_lowest ({lowest}) is above rate_highest ({highest})").format(
                    lowest=self.rate_lowest, highest=self.rate_highest
                )
            )
        return self

    @field_validator("escpos_connection")
    @classmethod
    def _printer_address(cls, value: str | None) -> str | None:
        """A thermal printer's address, or a sentence with the three forms (never a regex)."""
        if value is None:
            return None
        match = _PRINTER_ADDRESS.match(value)
        port = match.group("port") if match else None
        if match is None or (port is not None and not 0 < int(port) < 65536):
            raise ValueError(
                _(
                    "{value!r} is not a printer address: use usb:0x04b8:0x0202 (vendor:product), "
                    "tcp:192.168.1.50:9100 (host:port) or file:/dev/usb/lp0 (a device)"
                ).format(value=value)
            )
        return value

    @field_validator("receipt_width_mm", mode="before")
    @classmethod
    def _width_as_digits(cls, value: object) -> object:
        """`COUNTER_RECEIPT_WIDTH_MM=58` is text; in counter.toml `58` is a number: both are 58."""
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        return value

    @field_validator("blind_count", mode="before")
    @classmethod
    def _blind_count(cls, value: object) -> object:
        """One of the three policies, or a sentence naming them (never pydantic's words)."""
        tidy = value.strip().lower() if isinstance(value, str) else value
        if tidy not in ("clerks", "everyone", "nobody"):
            raise ValueError(
                _(
                    "{value!r} is not a blind count: use clerks (clerks count without seeing "
                    "the expected cash, the default), everyone or nobody"
                ).format(value=value)
            )
        return tidy

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                _("unknown time zone {zone!r} (for example Asia/Phnom_Penh)").format(zone=value)
            ) from None
        return value

    @field_validator("customer_display")
    @classmethod
    def _display_address(cls, value: str | None) -> str | None:
        if value is None or value.strip().lower() in ("", "off"):
            return None
        from counter.domain.display import parse_display_address
        from counter.domain.errors import DisplayError

        try:
            return str(parse_display_address(value))
        except DisplayError as exc:
            raise ValueError(exc.message) from None

    def screen_start(self) -> ScreenStart:
        """The few settings the screen reads before its first frame."""
        return ScreenStart(
            self.home,
            self.database_url,
            self.language,
            self.theme,
            dict(self.keys),
            self.idle_lock_seconds,
        )

    # -- derived paths ------------------------------------------------------------------

    @property
    def ledger_path(self) -> Path:
        return self.home / "ledger.sqlite3"

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{self.ledger_path}"

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def receipts_path(self) -> Path:
        return self.receipts_dir or self.home / "receipts"

    @property
    def reports_path(self) -> Path:
        return self.reports_dir or self.home / "reports"

    @property
    def backups_path(self) -> Path:
        return self.backups_dir or self.home / "backups"

    @property
    def pepper_path(self) -> Path:
        if self.pepper_file:
            return self.pepper_file
        if os.environ.get("COUNTER_HOME"):
            return self.home / "pepper.key"
        return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "pepper.key"

    @property
    def witness_key_path(self) -> Path:
        return self.witness_key_file or self.pepper_path.with_name("witness.key")

    @property
    def witness_path(self) -> Path:
        return self.witness_dir or self.backups_path.parent / "witness"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _check_setting_text(value: object, where: str) -> None:
    """`check_text` on every text in a setting's value (tables and lists walked), naming
    the setting by its dotted path; a ValueError, which `load_settings` puts in words."""
    from counter.domain.errors import UnsafeText
    from counter.domain.text import check_text

    if isinstance(value, dict):
        for key, item in value.items():
            _check_setting_text(str(key), where)
            _check_setting_text(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for item in value:
            _check_setting_text(item, where)
    elif isinstance(value, str | Path):
        try:
            check_text(str(value), _("The setting {name}").format(name=where))
        except UnsafeText as exc:
            raise ValueError(exc.message) from None


def _structured(name: str) -> bool:
    """Whether a setting holds a list, a table or a model: given as JSON in the environment."""
    annotation = Settings.model_fields[name].annotation
    kinds = [annotation, *get_args(annotation)]
    return any(
        get_origin(kind) in (list, dict) or (isinstance(kind, type) and issubclass(kind, BaseModel))
        for kind in kinds
    )


def load_settings(**overrides: Any) -> Settings:
    """Settings from file and environment, or SettingsError naming what is wrong.

    The caller's values win over the environment, which wins over `counter.toml`."""
    path = settings_file()
    names = list(Settings.model_fields)
    structured = {name for name in names if _structured(name)}
    values = {**from_file(path), **from_environment(names, structured), **overrides}
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = _("unknown setting (check its spelling)")
            env = str(err["loc"][0]).upper() if err["loc"] else field.upper()
            problems.append(f"{field} (COUNTER_{env}): {msg}")
        raise SettingsError(
            _("Settings in {path} or the environment: {problems}").format(
                path=path, problems="; ".join(problems)
            )
        ) from None
