"""Doctor's notes about witnessed points start a sentence with the counter's code as it is."""

from __future__ import annotations

from counter.storage.evidence import Evidence, lost_notes


def test_points_lost_in_a_restore_name_the_counter_in_capitals() -> None:
    evidence = Evidence(lost={"sales:A": (3, 6), "audit": (1, 9)})
    assert lost_notes(evidence) == [
        "The audit chain: 1 witnessed points up to 9 were lost in a restore recorded in "
        "the ledger.",
        "Counter A's sales: 3 witnessed points up to 6 were lost in a restore recorded in the "
        "ledger.",
    ]
