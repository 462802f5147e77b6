"""Every change of a delivery's state, and the refunds, on the in-memory unit of work."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from counter.domain.deliveries import DeliveryPlan
from counter.domain.delivery import Answer, Channel, DeliveryState, Outcome, Reason
from counter.domain.errors import (
    DeliveryRefused,
    DeliveryTransitionError,
    NotAllowed,
    SaleRefused,
    UnsafeText,
    VoidRefused,
)
from counter.domain.money import Money
from counter.domain.records import Approval
from counter.services import sell, void_sale
from counter.services.deliveries import (
    deliveries,
    delivery_history,
    delivery_of,
    open_counts,
    record_outcome,
    resolve,
)
from tests.fakes import book_of
from tests.usecases.shop import SUPERVISOR_PIN, FakeShop

P, D, F, R, N = (
    DeliveryState.PENDING,
    DeliveryState.DELIVERED,
    DeliveryState.FAILED,
    DeliveryState.REVERSED,
    DeliveryState.NEEDS_REVIEW,
)


def planned(shop: FakeShop, channel: Channel, **more: object) -> FakeShop:
    plan = DeliveryPlan(channels={"cellcard": channel}, **more)  # type: ignore[arg-type]
    return replace(shop, ledger=replace(shop.ledger, delivery=plan))


def outcome(answer: Answer, ref: str = "", **more: object) -> Outcome:
    return Outcome(answer, "x", provider_ref=ref or None, raw=f"raw {answer}", **more)  # type: ignore[arg-type]


def states(shop: FakeShop, receipt: str) -> list[tuple[DeliveryState | None, DeliveryState]]:
    delivery = delivery_of(shop.ledger, receipt)
    return [(c.previous, c.state) for c in delivery_history(shop.ledger, delivery.id)]


def balance(shop: FakeShop) -> int:
    return book_of(shop.ledger).floats.get("cellcard", 0)


def test_an_assumed_sale_is_delivered_in_its_own_transaction_and_moves_the_float(
    shop: FakeShop,
) -> None:
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "5")
    delivery = delivery_of(shop.ledger, sale.receipt_no)
    assert delivery.state is D and delivery.channel is Channel.ASSUMED
    assert delivery.reference == f"TEST01-{sale.receipt_no}"
    assert states(shop, sale.receipt_no) == [(None, P), (P, D)]
    assert balance(shop) == -500


def test_a_manual_sale_waits_pending_and_the_float_moves_only_when_delivered(
    shop: FakeShop,
) -> None:
    shop = planned(shop, Channel.MANUAL)
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "5")
    assert delivery_of(shop.ledger, sale.receipt_no).state is P
    assert balance(shop) == 0
    assert open_counts(shop.ledger) == (1, 0)
    done = resolve(shop.ledger, sale.receipt_no, delivered=True, by=shop.clerk, ref="8841")
    assert done.delivery.state is D and done.delivery.provider_ref == "8841"
    assert done.refund is None
    assert balance(shop) == -500
    assert states(shop, sale.receipt_no) == [(None, P), (P, D)]
    assert open_counts(shop.ledger) == (0, 0)


def test_failed_gives_the_cash_back_as_a_refund_and_never_moves_the_float(shop: FakeShop) -> None:
    shop = planned(shop, Channel.MANUAL)
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "5", paid=Money.khr(25_000))
    failed = resolve(shop.ledger, sale.receipt_no, delivered=False, by=shop.clerk, reason="no SMS")
    refund = failed.refund
    assert refund is not None and refund.sale_id == sale.id and refund.state is F
    # 25,000 riel in, 5,000 riel change: 20,000 riel go back.
    assert (refund.usd_cents, refund.khr, refund.amount_cents) == (0, 20_000, 500)
    assert refund.reason == "no SMS" and refund.by == "Dara"
    assert balance(shop) == 0
    with pytest.raises(DeliveryRefused, match="already failed"):
        resolve(shop.ledger, sale.receipt_no, delivered=True, by=shop.clerk)


def test_a_reversal_refunds_and_gives_the_float_back(shop: FakeShop) -> None:
    shop = planned(shop, Channel.API)
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "2")
    delivery = delivery_of(shop.ledger, sale.receipt_no)
    record_outcome(shop.ledger, delivery.id, outcome(Answer.DELIVERED, "DT-1"))
    assert balance(shop) == -200
    back = record_outcome(shop.ledger, delivery.id, outcome(Answer.REVERSED, "DT-1"))
    assert back.delivery.state is R and back.refund is not None
    assert (back.refund.usd_cents, back.refund.khr) == (200, 0)
    assert balance(shop) == 0
    assert states(shop, sale.receipt_no) == [(None, P), (P, D), (D, R)]


def test_a_reversal_seen_first_is_recorded_delivered_then_reversed(shop: FakeShop) -> None:
    shop = planned(shop, Channel.API)
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "2")
    delivery = delivery_of(shop.ledger, sale.receipt_no)
    back = record_outcome(shop.ledger, delivery.id, outcome(Answer.REVERSED, "DT-2"))
    assert back.delivery.state is R and back.refund is not None
    assert states(shop, sale.receipt_no) == [(None, P), (P, D), (D, R)]
    assert balance(shop) == 0


@pytest.mark.parametrize("answer", [Answer.PENDING, Answer.UNKNOWN, Answer.NOT_SENT])
def test_an_answer_that_cannot_tell_changes_nothing(shop: FakeShop, answer: Answer) -> None:
    shop = planned(shop, Channel.MODEM)
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "2")
    delivery = delivery_of(shop.ledger, sale.receipt_no)
    assert record_outcome(shop.ledger, delivery.id, outcome(answer)).delivery.state is P
    assert states(shop, sale.receipt_no) == [(None, P)]


def test_overdue_goes_to_review_and_only_a_supervisor_resolves_it(shop: FakeShop) -> None:
    shop = planned(shop, Channel.MODEM)
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "2")
    delivery = delivery_of(shop.ledger, sale.receipt_no)
    review = record_outcome(shop.ledger, delivery.id, outcome(Answer.UNKNOWN), overdue=True)
    assert review.delivery.state is N and review.refund is None
    assert open_counts(shop.ledger) == (0, 1)
    with pytest.raises(NotAllowed, match="Dara is a clerk"):
        resolve(shop.ledger, sale.receipt_no, delivered=False, by=shop.clerk, reason="none")
    failed = resolve(
        shop.ledger,
        sale.receipt_no,
        delivered=False,
        by=Approval("Vanna", SUPERVISOR_PIN),
        reason="dealer balance unchanged",
    )
    assert failed.delivery.state is F and failed.refund is not None
    assert failed.refund.by == "Vanna"
    assert states(shop, sale.receipt_no) == [(None, P), (P, N), (N, F)]


def test_a_late_final_answer_after_review_is_recorded(shop: FakeShop) -> None:
    shop = planned(shop, Channel.API)
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "2")
    delivery = delivery_of(shop.ledger, sale.receipt_no)
    record_outcome(shop.ledger, delivery.id, outcome(Answer.PENDING), overdue=True)
    late = record_outcome(shop.ledger, delivery.id, outcome(Answer.DELIVERED, "DT-9"))
    assert late.delivery.state is D and balance(shop) == -200


def test_a_final_state_does_not_change_again(shop: FakeShop) -> None:
    shop = planned(shop, Channel.API)
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "2")
    delivery = delivery_of(shop.ledger, sale.receipt_no)
    record_outcome(shop.ledger, delivery.id, outcome(Answer.FAILED, reason=Reason.DECLINED))
    with pytest.raises(DeliveryTransitionError):
        record_outcome(shop.ledger, delivery.id, outcome(Answer.DELIVERED, "DT-3"))
    assert len(book_of(shop.ledger).delivery.refunds) == 1


def test_one_provider_reference_never_confirms_two_top_ups(shop: FakeShop) -> None:
    shop = planned(shop, Channel.MODEM)
    first = sell(shop.ledger, shop.clerk, "012 345 678", "2")
    second = sell(shop.ledger, shop.clerk, "012 345 679", "2")
    one, two = (delivery_of(shop.ledger, s.receipt_no) for s in (first, second))
    record_outcome(shop.ledger, one.id, outcome(Answer.DELIVERED, "SMS-77"))
    clash = record_outcome(shop.ledger, two.id, outcome(Answer.DELIVERED, "SMS-77"))
    assert clash.delivery.state is N
    assert clash.delivery.reason == "The reference SMS-77 already confirmed another top-up."
    assert balance(shop) == -200


def test_cents_are_refused_at_sale_time_for_a_whole_dollar_dealer_code(shop: FakeShop) -> None:
    plan = DeliveryPlan(channels={"smart": Channel.MODEM}, whole_dollars=frozenset({"smart"}))
    shop = replace(shop, ledger=replace(shop.ledger, delivery=plan))
    with pytest.raises(SaleRefused, match=r"whole dollars: \$2\.50 has cents"):
        sell(shop.ledger, shop.clerk, "010 345 678", "2.50")
    assert book_of(shop.ledger).sales == {}
    assert sell(shop.ledger, shop.clerk, "010 345 678", "2").amount_cents == 200


def test_a_sale_still_being_delivered_or_refunded_cannot_be_voided(shop: FakeShop) -> None:
    shop = planned(shop, Channel.MANUAL)
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "2")

    def void() -> None:
        void_sale(
            shop.ledger,
            sale.receipt_no,
            reason="wrong number",
            requested_by=shop.clerk,
            supervisor_name="Vanna",
            supervisor_pin=SUPERVISOR_PIN,
        )

    with pytest.raises(VoidRefused, match="still being delivered"):
        void()
    resolve(shop.ledger, sale.receipt_no, delivered=False, by=shop.clerk, reason="no SMS")
    with pytest.raises(VoidRefused, match="cash refunded"):
        void()


def test_a_delivered_sale_voided_gives_its_float_back_once(shop: FakeShop) -> None:
    shop = planned(shop, Channel.MANUAL)
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "2")
    resolve(shop.ledger, sale.receipt_no, delivered=True, by=shop.clerk)
    void_sale(
        shop.ledger,
        sale.receipt_no,
        reason="wrong number",
        requested_by=shop.clerk,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
    )
    assert balance(shop) == 0
    with shop.ledger.uow(write=False) as uow:
        assert uow.integrity.problems() == []


def test_the_list_by_state_and_a_reason_with_a_control_character(shop: FakeShop) -> None:
    shop = planned(shop, Channel.MANUAL, manual_review=timedelta(minutes=5))
    for last in "0123":
        sell(shop.ledger, shop.clerk, f"012 345 67{last}", "1")
    resolve(shop.ledger, "A-1", delivered=True, by=shop.clerk)
    with pytest.raises(UnsafeText, match="The reason contains U\\+202E"):
        resolve(shop.ledger, "A-2", delivered=False, by=shop.clerk, reason="no\u202esms")
    resolve(shop.ledger, "A-2", delivered=False, by=shop.clerk, reason="no  sms")
    pending = deliveries(shop.ledger, states=(P,))
    assert [d.receipt_no for d in pending] == ["A-000003", "A-000004"]
    with pytest.raises(DeliveryRefused, match="No delivery for receipt A-000009"):
        delivery_of(shop.ledger, "A-9")


def _close(shop: FakeShop, usd: int, *, accept: bool = False) -> object:
    from counter.services import close_day

    return close_day(
        shop.ledger,
        shop.day,
        "A",
        counted_usd_cents=usd,
        counted_khr=0,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
        by=shop.clerk,
        accept_open_deliveries=accept,
    )


def test_refunds_leave_the_drawer_and_open_deliveries_hold_the_close(shop: FakeShop) -> None:
    from counter.services import x_report

    shop = planned(shop, Channel.MANUAL)
    for last in "123":
        sell(shop.ledger, shop.clerk, f"012 345 67{last}", "5", paid=Money.usd(1000))
    resolve(shop.ledger, "A-1", delivered=True, by=shop.clerk)
    resolve(shop.ledger, "A-2", delivered=False, by=shop.clerk, reason="no SMS")
    # Hand count: 3 x $10 in, 3 x $5 change out, $5 back for A-2: $10 in the drawer.
    cash = x_report(shop.ledger, shop.day, "A", printed_by=shop.supervisor).cash
    assert cash.expected_usd_cents == 1000
    with pytest.raises(Exception, match=r"1 delivery of 2026-11-25 .* still open \(A-000003\)"):
        _close(shop, 1000)
    closed = _close(shop, 1000, accept=True)
    assert closed.expected_usd_cents == 1000
    assert closed.counted_usd_cents == 1000
