"""What to do, said the command line's way: added after a refusal's own sentence.

The use cases and adapters say what happened; only the front end knows its commands, so
the CLI names them here (the screen names its keys in `counter.ui.advice`).
"""

from __future__ import annotations

from counter.domain.errors import (
    BackupByServer,
    CashDoubted,
    CounterError,
    DuplicateSale,
    Fault,
    FloatTooLow,
    NoOpenShift,
    NoSuchUser,
    NotInitialised,
    OpeningCashMissing,
    StorageError,
)
from counter.i18n import _


def advice(error: CounterError) -> str:
    """The command-line advice for `error`, or "" when its sentence says enough."""
    if isinstance(error, FloatTooLow):
        return _(
            "Record a restock (`counter restock {operator} AMOUNT --by NAME`) or sell a "
            "smaller amount."
        ).format(operator=error.operator_id)
    if isinstance(error, OpeningCashMissing):
        return _("Enter it first: `counter opening-float --usd X --khr Y --clerk NAME`.")
    if isinstance(error, NoOpenShift):
        return _("Open one first: `counter shift open --usd X --khr Y --clerk NAME`.")
    if isinstance(error, CashDoubted):
        return _(
            "Type it again with its mark (5000r for riel, $20 for dollars), or run again "
            "with --confirm-paid if it is right."
        )
    if isinstance(error, DuplicateSale):
        return _("Run again with --allow-duplicate to sell it anyway.")
    if isinstance(error, NoSuchUser):
        return _("`counter users list` shows who there is.")
    if isinstance(error, NotInitialised):
        return _not_initialised(error)
    if isinstance(error, BackupByServer):
        return _("Run `pg_dump --format=custom` against the database (see docs/reliability.md).")
    if isinstance(error, StorageError) and error.fault in (Fault.DAMAGED, Fault.REFUSED):
        return _("Run `counter doctor`.")
    return ""


def refusal_fields(error: CounterError) -> dict[str, object]:
    """What a `--json` refusal carries beside its sentences, for a tool to act on: an
    implausible payment gives both readings of the digits typed (`cash_doubted`)."""
    from counter.domain.money import Currency
    from counter.domain.plausible import CashDoubt

    if not isinstance(error, CashDoubted) or not isinstance(error.doubt, CashDoubt):
        return {}
    doubt = error.doubt
    typed, other = doubt.line.money, doubt.other_reading
    usd = typed if typed.currency is Currency.USD else other
    khr = typed if typed.currency is Currency.KHR else other
    return {
        "cash_doubted": {
            "due_cents": doubt.due_cents,
            "read_as": typed.currency.value,
            "as_usd_cents": None if usd is None else usd.minor,
            "as_khr": None if khr is None else khr.minor,
            "over_multiple": doubt.over_multiple,
            "over_maximum": doubt.over_maximum,
        }
    }


def _not_initialised(error: NotInitialised) -> str:
    if error.reason == "unknown_counter":
        return _(
            "Fix counter_code in that file, or run `counter init --counter {code} ...`."
        ).format(code=error.code)
    if error.reason == "which_counter":
        return _("Set this machine's counter_code.")
    return _("Run `counter init ...` or open the counter screen to set up the shop.")


def explain(error: CounterError) -> str:
    """The refusal as the command line prints it: what happened, then what to do."""
    tip = advice(error)
    return f"{error} {tip}" if tip else str(error)
