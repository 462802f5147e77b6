"""Deliveries in the real ledger, on SQLite and PostgreSQL: the outbox row in the sale's
transaction, appended and chained changes, refunds, the float, and what `doctor` finds."""

from __future__ import annotations

from dataclasses import replace

import pytest

from counter.domain.deliveries import DeliveryPlan
from counter.domain.delivery import Answer, Channel, DeliveryState, Outcome
from counter.domain.money import Money
from counter.services import doctor, sell
from counter.services.deliveries import delivery_of, record_outcome, resolve
from counter.services.ports import Ledger
from tests.ledger.conftest import Shop
from tests.support.ledger import execute, rows, scalar


def planned(ledger: Ledger, channel: Channel) -> Ledger:
    return replace(ledger, delivery=DeliveryPlan(channels={"cellcard": channel}))


def test_a_sale_writes_its_pending_delivery_in_the_same_transaction(shop: Shop) -> None:
    led = planned(shop.ledger, Channel.MANUAL)
    sale = sell(led, shop.clerk, "012 345 678", "5")
    prefix = scalar(led, "SELECT value FROM ledger_settings WHERE key = 'delivery_prefix'")
    assert len(prefix) == 6
    (row,) = rows(led, "SELECT reference, channel, state, msisdn, amount_cents FROM deliveries")
    assert tuple(row) == (f"{prefix}-A-000001", "manual", "pending", "+85512345678", 500)
    (change,) = rows(led, "SELECT seq, state, previous, actor FROM delivery_changes")
    assert tuple(change) == (1, "pending", None, "Dara")
    assert scalar(led, "SELECT coalesce(sum(balance_cents), 0) FROM operator_floats") == 0
    assert doctor(led) == []
    assert sale.receipt_no == "A-000001"


def test_a_refused_sale_leaves_no_delivery(shop: Shop) -> None:
    led = planned(shop.ledger, Channel.MODEM)
    with pytest.raises(Exception, match="short"):
        sell(led, shop.clerk, "012 345 678", "5", paid=Money.usd(100))
    assert scalar(led, "SELECT count(*) FROM deliveries") == 0
    assert scalar(led, "SELECT count(*) FROM delivery_changes") == 0


def test_every_change_is_appended_chained_and_checked_by_doctor(shop: Shop) -> None:
    led = planned(shop.ledger, Channel.API)
    assumed = sell(shop.ledger, shop.clerk, "012 345 670", "1")
    one = sell(led, shop.clerk, "012 345 671", "2")
    two = sell(led, shop.clerk, "012 345 672", "3", paid=Money.khr(20_000))
    first, second = (delivery_of(led, s.receipt_no) for s in (one, two))
    record_outcome(led, first.id, Outcome(Answer.DELIVERED, first.reference, provider_ref="DT-1"))
    record_outcome(led, first.id, Outcome(Answer.REVERSED, first.reference, provider_ref="DT-1"))
    record_outcome(led, second.id, Outcome(Answer.UNKNOWN, second.reference), overdue=True)
    resolve(led, two.receipt_no, delivered=False, by=shop.supervisor, reason="no trace")
    states = rows(led, "SELECT delivery_id, seq, previous, state FROM delivery_changes ORDER BY id")
    assert [tuple(r)[1:] for r in states] == [
        (1, None, "pending"),
        (2, "pending", "delivered"),  # assumed, in the sale's transaction
        (1, None, "pending"),
        (1, None, "pending"),
        (2, "pending", "delivered"),
        (3, "delivered", "reversed"),
        (2, "pending", "needs_review"),
        (3, "needs_review", "failed"),
    ]
    refunds = rows(led, "SELECT sale_id, usd_cents, khr, state, by_name FROM refunds ORDER BY id")
    assert [tuple(r) for r in refunds] == [
        (one.id, 200, 0, "reversed", "worker:api"),
        (two.id, 0, 12_000, "failed", "Vanna"),  # 20,000 riel in, 8,000 change
    ]
    # Only the assumed sale's float moved (the reversed one moved and came back).
    assert scalar(led, "SELECT coalesce(sum(balance_cents), 0) FROM operator_floats") == -100
    assert doctor(led) == []
    assert assumed.receipt_no == "A-000001"


def test_doctor_names_a_changed_skipped_or_missing_delivery_record(shop: Shop) -> None:
    led = planned(shop.ledger, Channel.MANUAL)
    sale = sell(led, shop.clerk, "012 345 678", "5")
    resolve(led, sale.receipt_no, delivered=False, by=shop.clerk, reason="no SMS")
    assert doctor(led) == []
    execute(led, "UPDATE delivery_changes SET evidence = 'x' WHERE seq = 2")
    assert doctor(led) == [
        "Delivery change 2: changed after it was recorded (its hash does not match)."
    ]
    execute(led, "UPDATE delivery_changes SET evidence = 'Recorded by Dara.' WHERE seq = 2")
    execute(led, "UPDATE deliveries SET state = 'delivered'")
    problems = doctor(led)
    assert (
        "Delivery of A-000001: its state says delivered but its last change says failed."
        in problems
    )
    assert "Refund 1 of A-000001 does not match a failed or reversed delivery." in problems
    execute(led, "UPDATE deliveries SET state = 'failed'")
    execute(led, "DELETE FROM refunds")
    assert "Delivery of A-000001 is failed but no refund was recorded." in doctor(led)


def test_the_delivery_chains_have_sealed_heads_that_doctor_checks(shop: Shop) -> None:
    """The delivery and refund chains are written through the one chain mechanism: their
    heads are sealed, and rows removed at the end or a lost head are named."""
    led = planned(shop.ledger, Channel.MANUAL)
    sale = sell(led, shop.clerk, "012 345 678", "5")
    resolve(led, sale.receipt_no, delivered=False, by=shop.clerk, reason="no SMS")
    heads = rows(
        led,
        "SELECT name, length, seal IS NOT NULL FROM chain_heads "
        "WHERE name IN ('deliveries:A', 'refunds') ORDER BY name",
    )
    assert [tuple(h) for h in heads] == [("deliveries:A", 2, True), ("refunds", 1, True)]
    assert doctor(led) == []
    execute(led, "DELETE FROM refunds")
    assert (
        "The refunds chain has 0 rows but its head records 1 (rows were removed at its end, "
        "or added outside the app)." in doctor(led)
    )
    execute(led, "DELETE FROM chain_heads WHERE name = 'deliveries:A'")
    assert (
        "The deliveries:A chain has lost its head record (deleted outside the app): rows "
        "removed at its end could not be seen, and nothing more is recorded in it."
    ) in doctor(led)


def test_doctor_finds_a_sale_without_its_delivery(shop: Shop) -> None:
    led = planned(shop.ledger, Channel.MANUAL)
    sell(led, shop.clerk, "012 345 678", "5")
    execute(led, "DELETE FROM delivery_changes")
    execute(led, "DELETE FROM deliveries")
    problems = doctor(led)
    assert "Sale A-000001 has no delivery record." in problems


def test_the_provider_reference_is_unique_in_the_ledger(shop: Shop) -> None:
    led = planned(shop.ledger, Channel.MODEM)
    one = sell(led, shop.clerk, "012 345 671", "2")
    two = sell(led, shop.clerk, "012 345 672", "2")
    first, second = (delivery_of(led, s.receipt_no) for s in (one, two))
    record_outcome(led, first.id, Outcome(Answer.DELIVERED, first.reference, provider_ref="R77"))
    clash = record_outcome(
        led, second.id, Outcome(Answer.DELIVERED, second.reference, provider_ref="R77")
    )
    assert clash.delivery.state is DeliveryState.NEEDS_REVIEW
    assert scalar(led, "SELECT count(*) FROM deliveries WHERE provider_ref = 'R77'") == 1
    assert scalar(led, "SELECT coalesce(sum(balance_cents), 0) FROM operator_floats") == -200
    assert doctor(led) == []


def test_sales_before_deliveries_stay_assumed_with_their_float(shop: Shop) -> None:
    """Migration 0008 on a ledger with sales: they have no delivery row, their float stays
    moved, `doctor` asks a delivery only of the sales after it."""
    from alembic import command

    from counter.storage.migrate import alembic_config
    from tests.support.ledger import database_of

    led = shop.ledger
    for last in "12":
        sell(led, shop.clerk, f"012 345 67{last}", "5")
    database = database_of(led)
    config = alembic_config(database.engine)
    with database.engine.connect().execution_options(counter_write=True) as conn, conn.begin():
        config.attributes["connection"] = conn
        command.downgrade(config, "0007")  # the revision before deliveries
    assert database.upgrade_if_behind(None)  # as the app does: upgrade, then seal new heads
    assert scalar(led, "SELECT value FROM ledger_settings WHERE key = 'deliveries_since_sale'") == (
        str(scalar(led, "SELECT max(id) FROM sales"))
    )
    assert scalar(led, "SELECT count(*) FROM deliveries") == 0
    assert scalar(led, "SELECT coalesce(sum(balance_cents), 0) FROM operator_floats") == -1000
    assert doctor(led) == []
    sell(planned(led, Channel.MANUAL), shop.clerk, "012 345 673", "5")
    assert doctor(led) == []
    execute(led, "DELETE FROM delivery_changes")
    execute(led, "DELETE FROM deliveries")
    assert [p for p in doctor(led) if "no delivery" in p] == [
        "Sale A-000003 has no delivery record."
    ]
