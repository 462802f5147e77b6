"""The `[delivery]` settings: one channel per operator, the modem, the aggregator.

Nested pydantic models of `counter.config.Settings.delivery`. They hold plain values for
`counter.delivery`'s channels (the composition root maps them with `model_dump()` into
`ModemOptions` / `DtOneOptions`); secrets are only named here (an environment variable or
a 0600 file), never held. Every bad value is refused with a sentence naming it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from counter.domain.delivery import template_problem
from counter.i18n import _

ChannelName = Literal["assumed", "manual", "modem", "api"]
_CHANNELS = ("assumed", "manual", "modem", "api")
_OPERATOR_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_BALANCE_CODE = re.compile(r"^[0-9*#+]*(\{pin\}[0-9*#+]*)?$")


def _operator_key(key: object) -> str:
    if not isinstance(key, str) or not _OPERATOR_KEY.match(key):
        raise ValueError(
            _("{key!r} is not an operator id (lower-case letters, digits, _)").format(key=key)
        )
    return key


def _split_operators(data: Any, known: set[str], into: str) -> Any:
    """Move the keys that are not settings (operator ids) into the `into` table."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    extra = dict(data.pop(into, None) or {})
    for key in [k for k in data if k not in known]:
        extra[key] = data.pop(key)
    data[into] = extra
    return data


def _patterns(value: Any) -> Any:
    items = [value] if isinstance(value, str) else value
    if isinstance(items, list):
        for item in items:
            if isinstance(item, str):
                try:
                    re.compile(item)
                except re.error as exc:
                    raise ValueError(
                        _("{pattern!r} is not a valid pattern ({error})").format(
                            pattern=item, error=exc.msg
                        )
                    ) from None
    return items


def _https_url(value: str | None) -> str | None:
    if value is None:
        return None
    local = re.match(r"^http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(/|$)", value)
    if not value.startswith("https://") and not local:
        raise ValueError(
            _("{url!r} must start with https:// (plain http only to this machine)").format(
                url=value
            )
        )
    return value


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModemOperatorSettings(_Table):
    """One operator's dealer codes and answer patterns, `[delivery.modem.<operator>]`."""

    ussd_template: str
    number_format: Literal["national", "nsn", "international", "e164"] = "national"
    amount_format: Literal["dollars", "cents"] = "dollars"
    balance_code: str | None = None
    success: list[str]
    failure: list[str] = Field(default_factory=list)
    low_balance: list[str] = Field(default_factory=list)
    balance: list[str] = Field(default_factory=list)
    sms_senders: list[str] = Field(default_factory=list)
    port: str | None = None

    @field_validator("ussd_template")
    @classmethod
    def _template(cls, value: str) -> str:
        problem = template_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("balance_code")
    @classmethod
    def _balance_code(cls, value: str | None) -> str | None:
        if value is not None and not _BALANCE_CODE.match(value):
            raise ValueError(
                _("{code!r} is not a USSD code (digits, *, #, + and at most {{pin}})").format(
                    code=value
                )
            )
        return value

    @field_validator("success", "failure", "low_balance", "balance", "sms_senders", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _patterns(value)

    @field_validator("success")
    @classmethod
    def _some_success(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError(_("give at least one pattern for a successful top-up"))
        return value


class ModemSettings(_Table):
    """The GSM modem holding the dealer SIM, `[delivery.modem]`; operators as sub-tables."""

    port: str = Field(min_length=1)
    baudrate: Literal[9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600] = 115200
    command_timeout_seconds: float = Field(default=5, gt=0, le=120)
    ussd_timeout_seconds: float = Field(default=30, gt=0, le=600)
    sms_wait_seconds: float = Field(default=60, ge=0, le=3600)
    busy_timeout_seconds: float = Field(default=10, ge=0, le=600)
    deadline_minutes: int = Field(default=30, ge=1, le=1440)
    pin_env: str | None = "COUNTER_DEALER_PIN"
    pin_file: Path | None = None
    ussd_hex: Literal["packed", "unpacked"] = "packed"
    ussd_send: Literal["text", "packed_hex"] = "text"
    operators: dict[str, ModemOperatorSettings] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _operator_tables(cls, data: Any) -> Any:
        return _split_operators(data, set(cls.model_fields) - {"operators"}, "operators")

    @field_validator("operators", mode="before")
    @classmethod
    def _operator_ids(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for key, table in value.items():
                _operator_key(key)
                if not isinstance(table, dict):
                    raise ValueError(
                        _("{key}: unknown setting, or an operator that is not a table").format(
                            key=key
                        )
                    )
        return value


class ApiSettings(_Table):
    """The aggregator, `[delivery.api]` (DT One's DVS API)."""

    provider: Literal["dtone"] = "dtone"
    sandbox: bool = False
    base_url: str | None = None
    key_env: str = "COUNTER_DTONE_KEY"
    secret_env: str = "COUNTER_DTONE_SECRET"
    credentials_file: Path | None = None
    request_timeout_seconds: float = Field(default=30, gt=0, le=180)
    connect_timeout_seconds: float = Field(default=10, gt=0, le=60)
    deadline_minutes: int = Field(default=15, ge=1, le=1440)
    poll_schedule_seconds: list[int] = Field(default_factory=lambda: [2, 5, 15, 60], min_length=1)
    currency: Literal["USD"] = "USD"
    callback_url: str | None = None
    callback_token_env: str | None = None
    product_cache_seconds: int = Field(default=3600, ge=0, le=86_400)
    # Requests in flight at once on this account from one worker (1: one at a time, as
    # before). Each is its own delivery under its own reference; the claims keep two
    # workers off one delivery.
    max_in_flight: int = Field(default=1, ge=1, le=8)
    operators: dict[str, int] = Field(default_factory=dict)

    @field_validator("base_url", "callback_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return _https_url(value)

    @field_validator("poll_schedule_seconds")
    @classmethod
    def _schedule(cls, value: list[int]) -> list[int]:
        if any(step < 1 or step > 3600 for step in value) or value != sorted(value):
            raise ValueError(
                _("poll steps are seconds from 1 to 3600, each no shorter than the last")
            )
        return value

    @field_validator("operators")
    @classmethod
    def _dt_operators(cls, value: dict[str, int]) -> dict[str, int]:
        for key, dt_id in value.items():
            _operator_key(key)
            if dt_id < 1:
                raise ValueError(
                    _("{key}: a DT One operator id is a number from 1").format(key=key)
                )
        return value


class DeliverySettings(_Table):
    """How each operator's top-ups are delivered, `[delivery]`: `cellcard = "manual"`."""

    default: ChannelName = "assumed"
    channels: dict[str, ChannelName] = Field(default_factory=dict)
    manual_review_minutes: int = Field(default=30, ge=1, le=1440)
    # Read each modem/api operator's dealer balance this often (0: only on request). Off by
    # default: a modem reading sends the balance code, with the dealer PIN, to the network.
    balance_every_minutes: int = Field(default=0, ge=0, le=1440)
    modem: ModemSettings | None = None
    api: ApiSettings | None = None

    @model_validator(mode="before")
    @classmethod
    def _operator_channels(cls, data: Any) -> Any:
        return _split_operators(data, set(cls.model_fields) - {"channels"}, "channels")

    @field_validator("default", mode="before")
    @classmethod
    def _known_default(cls, value: Any) -> Any:
        if value not in _CHANNELS:
            raise ValueError(
                _("{value!r} is not a delivery channel: use assumed, manual, modem or api").format(
                    value=value
                )
            )
        return value

    @field_validator("channels", mode="before")
    @classmethod
    def _known_channels(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for key, channel in value.items():
                _operator_key(key)
                if channel not in _CHANNELS:
                    raise ValueError(
                        _(
                            "{operator} = {value!r} is not a delivery channel: use assumed, "
                            "manual, modem or api"
                        ).format(operator=key, value=channel)
                    )
        return value

    @model_validator(mode="after")
    def _channels_set_up(self) -> DeliverySettings:
        wanted = set(self.channels.values()) | {self.default}
        if "api" in wanted and self.api is None:
            raise ValueError(_("the api channel is chosen, but [delivery.api] is missing"))
        if "modem" in wanted:
            if self.modem is None:
                raise ValueError(_("the modem channel is chosen, but [delivery.modem] is missing"))
            lacking = sorted(
                op
                for op, ch in self.channels.items()
                if ch == "modem" and op not in self.modem.operators
            )
            if lacking:
                raise ValueError(
                    _(
                        "the modem delivers for {operators}, but [delivery.modem] has no codes for them"
                    ).format(operators=", ".join(lacking))
                )
        return self

    def channel_for(self, operator_id: str) -> str:
        """The channel that delivers this operator's top-ups."""
        return self.channels.get(operator_id, self.default)
