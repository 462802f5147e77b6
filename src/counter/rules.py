"""Read the operator rules file into domain objects, refusing a broken file clearly.

The shipped file is `assets/operators.toml`; a shop may point `rules_file` at its own
copy. Every refusal names the file and the field, because a silent fallback on what
may be sold is worse than not starting.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from counter.domain.errors import AmountError, RulesError, UnsafeText
from counter.domain.money import Currency, parse_amount
from counter.domain.operators import Operator, RuleBook, ValidityBand
from counter.domain.text import check_text
from counter.i18n import _

SUPPORTED_SCHEMA = 1
_PREFIX = re.compile(r"^0[1-9][0-9]$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_OPERATOR_ID = re.compile(r"^[a-z][a-z0-9_]{0,19}$")


def shipped_rules_path() -> Path:
    """The rules file that ships inside the package."""
    return Path(str(resources.files("counter") / "assets" / "operators.toml"))


def _usd(value: object) -> int:
    if not isinstance(value, str):
        raise ValueError(_('write amounts as quoted US dollars, like "5.00"'))
    try:
        return parse_amount(value, Currency.USD).minor
    except AmountError as exc:
        raise ValueError(exc.message) from None


Usd = Annotated[int, Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class NumbersModel(_Strict):
    prefixes: list[str] = Field(min_length=1)
    digits: list[Annotated[int, Field(ge=6, le=10)]] = Field(min_length=1)

    @field_validator("prefixes")
    @classmethod
    def _prefix_shape(cls, value: list[str]) -> list[str]:
        for prefix in value:
            if not _PREFIX.match(prefix):
                raise ValueError(
                    _('{prefix!r} is not a prefix like "012" (0 then two digits)').format(
                        prefix=prefix
                    )
                )
        return value


class BandModel(_Strict):
    low: Usd = Field(alias="from")
    high: Usd = Field(alias="to")
    days: int = Field(ge=0, le=3650)

    @field_validator("low", "high", mode="before")
    @classmethod
    def _amount(cls, value: object) -> int:
        return _usd(value)

    @model_validator(mode="after")
    def _ordered(self) -> BandModel:
        if self.low > self.high:
            raise ValueError(_("'from' is above 'to'"))
        return self


class ValidityModel(_Strict):
    exact: dict[str, Annotated[int, Field(ge=0, le=3650)]] = Field(default_factory=dict)
    bands: list[BandModel] = Field(default_factory=list)

    @field_validator("exact")
    @classmethod
    def _amounts(cls, value: dict[str, int]) -> dict[str, int]:
        for amount in value:
            _usd(amount)
        return value


class OperatorModel(_Strict):
    name: str = Field(min_length=1, max_length=40)
    colour: str
    enabled: bool = True
    min: Usd
    max: Usd
    step: Usd
    denominations: list[Usd] = Field(default_factory=list)
    balance_code: str = Field(min_length=1, max_length=20)
    commission_percent: Decimal = Field(ge=0, le=100)
    daily_cap: Usd | None = None
    numbers: list[NumbersModel] = Field(min_length=1)
    validity: ValidityModel = Field(default_factory=ValidityModel)

    @field_validator("min", "max", "step", "daily_cap", mode="before")
    @classmethod
    def _amount(cls, value: object) -> int | None:
        return None if value is None else _usd(value)

    @field_validator("denominations", mode="before")
    @classmethod
    def _denominations(cls, value: object) -> list[int]:
        if not isinstance(value, list):
            raise ValueError(_('write denominations as a list of amounts, like ["1.00", "2.00"]'))
        return [_usd(v) for v in value]

    @field_validator("commission_percent", mode="before")
    @classmethod
    def _percent(cls, value: object) -> Decimal:
        if not isinstance(value, str) or not re.fullmatch(r"\d{1,3}(\.\d{1,2})?", value.strip()):
            raise ValueError(_('write the commission as a quoted percent, like "3.5"'))
        return Decimal(value.strip())

    @field_validator("name", "balance_code")
    @classmethod
    def _clean_text(cls, value: str, info: ValidationInfo) -> str:
        """An operator's name is shown and printed: no control or bidi-override character."""
        try:
            return check_text(value, _("The operator's {field}").format(field=info.field_name))
        except UnsafeText as exc:
            raise ValueError(exc.message) from None

    @field_validator("colour")
    @classmethod
    def _colour(cls, value: str) -> str:
        if not _COLOUR.match(value):
            raise ValueError(_('{value!r} is not a colour like "#5BB946"').format(value=value))
        return value

    @model_validator(mode="after")
    def _consistent(self) -> OperatorModel:
        if self.min <= 0:
            raise ValueError(_("'min' must be more than zero"))
        if self.step <= 0:
            raise ValueError(_("'step' must be more than zero"))
        if self.min > self.max:
            raise ValueError(_("'min' is above 'max'"))
        for cents in self.denominations:
            if not self.min <= cents <= self.max:
                raise ValueError(
                    _("denomination {amount} is outside min..max").format(
                        amount=f"{cents / 100:.2f}"
                    )
                )
        return self


class RulesFileModel(_Strict):
    schema_: int = Field(alias="schema")
    operators: dict[str, OperatorModel] = Field(min_length=1)

    @field_validator("schema_")
    @classmethod
    def _schema(cls, value: int) -> int:
        if value != SUPPORTED_SCHEMA:
            raise ValueError(
                _("schema {schema} is not supported (this app reads schema 1)").format(schema=value)
            )
        return value

    @field_validator("operators")
    @classmethod
    def _ids(cls, value: dict[str, OperatorModel]) -> dict[str, OperatorModel]:
        for op_id in value:
            if not _OPERATOR_ID.match(op_id):
                raise ValueError(
                    _("{op_id!r} is not an operator id (lower-case letters and digits)").format(
                        op_id=op_id
                    )
                )
        return value


def _to_operator(op_id: str, model: OperatorModel) -> Operator:
    prefixes: dict[str, frozenset[int]] = {}
    for group in model.numbers:
        for prefix in group.prefixes:
            prefixes[prefix] = prefixes.get(prefix, frozenset()) | frozenset(group.digits)
    return Operator(
        id=op_id,
        name=model.name,
        colour=model.colour,
        enabled=model.enabled,
        prefixes=prefixes,
        min_cents=model.min,
        max_cents=model.max,
        step_cents=model.step,
        denominations=tuple(sorted(model.denominations)),
        validity_exact={_usd(k): v for k, v in model.validity.exact.items()},
        validity_bands=tuple(ValidityBand(b.low, b.high, b.days) for b in model.validity.bands),
        balance_code=model.balance_code,
        commission_bp=int(model.commission_percent * 100),
        daily_cap_cents=model.daily_cap,
    )


def _field_path(loc: tuple[int | str, ...]) -> str:
    names = {"schema_": "schema", "low": "from", "high": "to"}
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + names.get(part, part))
    return "".join(parts) or "(top level)"


def parse_rules(text: str, source: str) -> RuleBook:
    """Parse rules from TOML text; `source` names the file in every message."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(
            _("{source}: not valid TOML: {error}").format(source=source, error=exc)
        ) from None
    try:
        model = RulesFileModel.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = _field_path(tuple(err["loc"]))
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = _("unknown key (check its spelling)")
            problems.append(f"{where}: {msg}")
        raise RulesError(f"{source}: " + "; ".join(problems)) from None
    claimed: dict[str, str] = {}
    for op_id, op in model.operators.items():
        for group in op.numbers:
            for prefix in group.prefixes:
                owner = claimed.setdefault(prefix, op_id)
                if owner != op_id:
                    raise RulesError(
                        _(
                            "{source}: operators.{op_id}.numbers: prefix {prefix} is already "
                            "claimed by operators.{owner}"
                        ).format(source=source, op_id=op_id, prefix=prefix, owner=owner)
                    )
    operators = [_to_operator(op_id, op) for op_id, op in model.operators.items()]
    return RuleBook(operators, source=source)


def load_rules(path: Path | str | None = None) -> RuleBook:
    """Load the shop's rules file, or the shipped one when `path` is None."""
    file = Path(path) if path is not None else shipped_rules_path()
    try:
        stamp = file.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _load_cached(str(file), stamp)


@lru_cache(maxsize=8)
def _load_cached(path: str, stamp: int) -> RuleBook:
    """Parsed once per file version: the sale screen asks on every keystroke."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise RulesError(_("{file}: the rules file does not exist.").format(file=file)) from None
    except OSError as exc:
        raise RulesError(
            _("{file}: cannot be read ({error}).").format(file=file, error=exc.strerror)
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RulesError(
            _("{file}: not UTF-8 text (bad byte at position {position}); save it as UTF-8.").format(
                file=file, position=exc.start
            )
        ) from None
    return parse_rules(text, str(file))
