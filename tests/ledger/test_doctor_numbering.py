"""Doctor's numbering sentences name receipts, not bare numbers: a counter set back to a
number a sale already has reads as such (it once read "next receipt is 53 but the last
recorded is 53")."""

from __future__ import annotations

from counter.services import doctor, sell
from tests.ledger.conftest import Shop
from tests.support.ledger import execute


def test_a_counter_set_back_onto_its_last_sale_is_said_in_receipts(shop: Shop) -> None:
    for last in "123":
        sell(shop.ledger, shop.clerk, f"012 345 67{last}", "5")
    assert doctor(shop.ledger) == []
    execute(shop.ledger, "UPDATE counters SET next_receipt = 3 WHERE code = 'A'")
    assert (
        "Counter A: the last recorded sale is A-000003, but the counter would give A-000003 "
        "next, a number a sale already has: a sale was added outside the app, or the "
        "counter's numbering was set back."
    ) in doctor(shop.ledger)
