"""What the witnesses saw: the points of each chain the ledger must still have.

A witness line (its MAC checked), a checkpoint recorded in the ledger, or a code from
paper says: chain C had hash H at position P (for a counter's sales, P is the receipt's
number). The integrity walk compares each point with the ledger as it walks the chain.
A point beyond the ledger's end means the ledger was rolled back; a point whose hash
differs means it was rewritten before that point. A restore recorded in the ledger
explains the points after it was taken: those are lost in the restore, and said so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from counter.i18n import _
from counter.storage.chain import SALES_PREFIX
from counter.storage.witness import WitnessLine


@dataclass(frozen=True)
class Seen:
    """One point a witness saw, and who saw it when (for the sentence)."""

    digest: str
    source: str
    at: datetime


@dataclass(frozen=True)
class Restore:
    """A restore recorded in the ledger: the chains' lengths right after it."""

    at: datetime
    lengths: dict[str, int]


@dataclass
class Evidence:
    """Every point to check, by chain and position; and what was lost in restores."""

    points: dict[str, dict[int, list[Seen]]] = field(default_factory=dict)
    restores: list[Restore] = field(default_factory=list)
    lost: dict[str, tuple[int, int]] = field(default_factory=dict)  # chain: (count, highest)
    sources: int = 0

    def add(self, chain: str, position: int, digest: str, source: str, at: datetime) -> None:
        if position <= 0:
            return
        bound = self._bound(chain, at)
        if bound is not None and position > bound:
            count, highest = self.lost.get(chain, (0, 0))
            self.lost[chain] = (count + 1, max(highest, position))
            return
        self.points.setdefault(chain, {}).setdefault(position, []).append(Seen(digest, source, at))

    def _bound(self, chain: str, at: datetime) -> int | None:
        """The chain's length right after the first restore made after `at`, if any."""
        for restore in self.restores:
            if restore.at > at:
                return restore.lengths.get(chain, 0)
        return None

    def add_line(self, line: WitnessLine) -> None:
        source = _("line {line} of {path}").format(line=line.number, path=line.path)
        for chain, (position, digest) in line.heads.items():
            self.add(chain, position, digest, source, line.at)

    def add_checkpoint(self, checkpoint_id: int, at: datetime, heads_json: str) -> bool:
        """The heads a checkpoint recorded; False when its text is not a checkpoint's."""
        try:
            heads = json.loads(heads_json)["heads"]
            items = [(str(k), int(v[0]), str(v[1])) for k, v in heads.items()]
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return False
        source = _("checkpoint {id}").format(id=checkpoint_id)
        for chain, position, digest in items:
            self.add(chain, position, digest, source, at)
        return True

    def take(self, chain: str, position: int) -> list[Seen]:
        """The points of `chain` at `position`, removed (what is left was never reached)."""
        return self.points.get(chain, {}).pop(position, [])

    def left(self, chain: str) -> dict[int, list[Seen]]:
        return self.points.pop(chain, {})


def restore_from(at: datetime, heads_json: str) -> Restore | None:
    try:
        heads = json.loads(heads_json)["heads"]
        return Restore(at, {str(k): int(v[0]) for k, v in heads.items()})
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def chain_title(chain: str) -> str:
    """`counter A's sales` or `the audit chain`, for sentences."""
    if chain.startswith(SALES_PREFIX):
        return _("counter {code}'s sales").format(code=chain.removeprefix(SALES_PREFIX))
    return _("the {chain} chain").format(chain=chain)


def sentence_start(text: str) -> str:
    """The first letter up, the rest as it is (`str.capitalize` would write "Counter a's")."""
    return text[:1].upper() + text[1:]


def when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def rewritten(chain: str, position: int, seen: Seen, count: int) -> str:
    if chain.startswith(SALES_PREFIX):
        code = chain.removeprefix(SALES_PREFIX)
        return _(
            "Counter {code}: receipt {code}-{seq:06d} is not what {source} saw on {time} "
            "({count} witnessed points differ): that sale or one before it was rewritten."
        ).format(code=code, seq=position, source=seen.source, time=when(seen.at), count=count)
    return _(
        "{title}: row {position} is not what {source} saw on {time} ({count} witnessed "
        "points differ): that row or one before it was rewritten."
    ).format(
        title=sentence_start(chain_title(chain)),
        position=position,
        source=seen.source,
        time=when(seen.at),
        count=count,
    )


def rolled_back(chain: str, have: int, position: int, seen: Seen) -> str:
    if chain.startswith(SALES_PREFIX):
        code = chain.removeprefix(SALES_PREFIX)
        return _(
            "Counter {code}: the ledger's sales end at {code}-{have:06d}, but {source} saw "
            "{code}-{seq:06d} on {time}: the ledger was rolled back (replaced by an older "
            "copy, or sales were removed)."
        ).format(code=code, have=have, seq=position, source=seen.source, time=when(seen.at))
    return _(
        "{title} has {have} rows, but {source} saw {position} on {time}: the ledger was "
        "rolled back (replaced by an older copy, or rows were removed)."
    ).format(
        title=sentence_start(chain_title(chain)),
        have=have,
        position=position,
        source=seen.source,
        time=when(seen.at),
    )


def lost_notes(evidence: Evidence) -> list[str]:
    notes = []
    for chain, (count, highest) in sorted(evidence.lost.items()):
        notes.append(
            _(
                "{title}: {count} witnessed points up to {position} were lost in a restore "
                "recorded in the ledger."
            ).format(title=sentence_start(chain_title(chain)), count=count, position=highest)
        )
    return notes
