"""The delivery states, the request's checks, and what an answer changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.delivery.base import AssumedChannel, DeliveryChannel, ManualChannel
from counter.domain.delivery import (
    REFUNDING,
    TRANSITIONS,
    Answer,
    DeliveryRequest,
    DeliveryRequestError,
    DeliveryState,
    DeliveryTransitionError,
    Outcome,
    can_change,
    check_transition,
    review_due,
    steps_after,
    template_problem,
)
from counter.i18n import use_language
from tests.delivery.conftest import NOW, request_for

P, D, F, R, N = (
    DeliveryState.PENDING,
    DeliveryState.DELIVERED,
    DeliveryState.FAILED,
    DeliveryState.REVERSED,
    DeliveryState.NEEDS_REVIEW,
)


def test_the_allowed_changes() -> None:
    allowed = {(a, b) for a in DeliveryState for b in DeliveryState if can_change(a, b)}
    assert allowed == {(P, D), (P, F), (P, N), (N, D), (N, F), (D, R)}
    assert {F, R} == REFUNDING


def test_a_refused_change_says_so_in_words() -> None:
    with pytest.raises(DeliveryTransitionError) as refused:
        check_transition(F, D)
    assert str(refused.value) == "A delivery that is failed cannot become delivered."
    assert (refused.value.current, refused.value.target) == (F, D)
    with use_language("zh"), pytest.raises(DeliveryTransitionError) as in_chinese:
        check_transition(R, P)
    assert "已撤销" in str(in_chinese.value)


def _paths(
    state: DeliveryState, seen: tuple[DeliveryState, ...] = ()
) -> list[tuple[DeliveryState, ...]]:
    here = (*seen, state)
    nexts = TRANSITIONS[state]
    return [here] + [p for n in nexts for p in _paths(n, here)]


def test_every_state_is_reached_from_pending_and_nothing_leaves_failed_or_reversed() -> None:
    reached = {path[-1] for path in _paths(P)}
    assert reached == set(DeliveryState)
    assert not TRANSITIONS[F] and not TRANSITIONS[R]
    assert all(len(set(path)) == len(path) for path in _paths(P))  # no loops


@given(st.sampled_from(list(DeliveryState)), st.sampled_from(list(Answer)))
def test_steps_after_an_answer_follow_the_allowed_changes(
    state: DeliveryState, answer: Answer
) -> None:
    outcome = Outcome(answer, "A-1")
    try:
        steps = steps_after(state, outcome)
    except DeliveryTransitionError:
        assert outcome.state is not None
        return
    current = state
    for step in steps:
        assert can_change(current, step)
        current = step
    if answer in (Answer.PENDING, Answer.UNKNOWN, Answer.NOT_SENT):
        assert steps == ()


def test_a_reversal_seen_first_is_recorded_as_delivered_then_reversed() -> None:
    assert steps_after(P, Outcome(Answer.REVERSED, "A-1")) == (D, R)
    assert steps_after(D, Outcome(Answer.DELIVERED, "A-1")) == ()


def test_review_is_due_at_the_deadline_only() -> None:
    assert not review_due(NOW, NOW + timedelta(minutes=14), timedelta(minutes=15))
    assert review_due(NOW, NOW + timedelta(minutes=15), timedelta(minutes=15))


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("reference", "", "cannot be a delivery reference"),
        ("reference", "A" * 41, "cannot be a delivery reference"),
        ("reference", "A-1\u202e", "cannot be a delivery reference"),
        ("operator_id", "Smart", "is not an operator id"),
        ("msisdn", "012345678", "international form"),
        ("amount_cents", 0, "above zero"),
        ("amount_cents", 5.0, "whole number of cents"),
        ("amount_cents", True, "whole number of cents"),
        ("created_at", datetime(2026, 11, 25, 7, 0), "not in UTC"),
        (
            "created_at",
            datetime(2026, 11, 25, 14, 0, tzinfo=timezone(timedelta(hours=7))),
            "not in UTC",
        ),
    ],
)
def test_a_request_with_a_bad_value_is_refused_in_words(
    field: str, value: object, words: str
) -> None:
    values = {
        "reference": "A-000042",
        "operator_id": "smart",
        "msisdn": "+85512345678",
        "amount_cents": 500,
        "counter_code": "A",
        "created_at": NOW,
    }
    values[field] = value
    with pytest.raises(DeliveryRequestError, match=words):
        DeliveryRequest(**values)  # type: ignore[arg-type]


def test_the_request_gives_the_national_number_and_the_amount() -> None:
    request = request_for()
    assert request.national == "012345678"
    assert str(request.amount) == "$5.00"
    assert (
        DeliveryRequest("X1", "smart", "+6595123100", 1, "A", datetime.now(UTC)).national
        == "6595123100"
    )


def test_assumed_is_delivered_at_once_and_manual_waits_for_the_clerk() -> None:
    request = request_for()
    assumed, manual = AssumedChannel(), ManualChannel()
    assert isinstance(assumed, DeliveryChannel) and isinstance(manual, DeliveryChannel)
    assert assumed.send(request).answer is Answer.DELIVERED
    assert steps_after(P, assumed.look_up(request)) == (D,)
    told = manual.send(request)
    assert told.answer is Answer.PENDING and steps_after(P, told) == ()
    assert told.message == "Top up 012 345 678 with $5.00 on the dealer phone."
    assert "nothing sent" in told.raw
    with use_language("zh"):
        assert "经销商手机" in manual.send(request).message
    assert assumed.balance() is None and manual.balance() is None


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("*100*{number}*{amount}*{pin}#", None),
        ("*100*{number}*{amount}#", None),
        ("*100*{number}#", "must contain {number} and {amount}"),
        ("*100*{phone}*{amount}#", "names {phone}"),
        ("*100*{number*{amount}#", "unmatched brace"),
    ],
)
def test_ussd_templates(template: str, problem: str | None) -> None:
    found = template_problem(template)
    assert (found is None) if problem is None else (problem in (found or ""))
