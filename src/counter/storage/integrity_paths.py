"""One walk for the chained state changes of a record (a delivery, a KHQR payment):
numbered from 1, each naming the state before it, starting where the record starts, and
each step one the domain allows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any, TypeVar

from counter.i18n import _

S = TypeVar("S", bound=Enum)


def walk_changes(
    rows: Sequence[Any],
    kind: Callable[[str], S],
    first: S,
    can_change: Callable[[S, S], bool],
    not_first: str,
) -> tuple[str | None, S | None]:
    """(what is wrong, or None; the state the changes end in). `rows` hold `seq`, `state`
    and `previous`; a single row with `seq` None is a record with no change at all."""
    if rows[0].seq is None:
        return _("it has no recorded change"), None
    state: S | None = None
    for number, row in enumerate(rows, start=1):
        target = kind(row.state)
        before = kind(row.previous) if row.previous else None
        if row.seq != number or before != state:
            return _("change {number} does not follow the one before it").format(
                number=number
            ), state
        if state is None and target is not first:
            return not_first, state
        if state is not None and not can_change(state, target):
            return _("{before} cannot become {after}").format(before=state, after=target), state
        state = target
    return None, state
