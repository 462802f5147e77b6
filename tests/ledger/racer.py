"""Counters started at one shared moment: each a separate process, held at a barrier.

`race(specs)` starts one process per spec (spawned: nothing is shared but the ledger),
lets each open the ledger and log its clerk in, then releases them all at once
(a `multiprocessing.Barrier`) for each round: every spec has the same number of actions,
and action k of every process starts at the same moment. Each action's outcome comes back as
`("sale", receipt, seconds)`, `("closed", day)` or `("refused", kind, message)`: the message is
what the clerk would read, so a test can check it is a sentence and not a driver's.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import traceback
from dataclasses import replace
from datetime import date
from queue import Empty
from typing import Any

START_TIMEOUT_S = 120
COUNTERS = ("A", "B", "C")
# What a driver's message has and a sentence for a clerk never does.
DRIVER_WORDS = ("psycopg", "Violation", "DETAIL", "[SQL", "SELECT ", "pk_", "uq_", "sqlite3")


def three_counters() -> Any:
    """A shop (tests.ledger.conftest.Shop) with counters A, B and C on the ledger the
    environment names."""
    from counter.domain.records import Approval
    from counter.services.setup import add_counter
    from tests.ledger.conftest import ADMIN_PIN, set_up_shop

    shop = set_up_shop()
    for code in COUNTERS[1:]:
        add_counter(shop.ledger, code, Approval("Sok", ADMIN_PIN))
    return shop


def spec(code: str, actions: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """One counter's part in a race: this process's COUNTER_* settings, its counter code."""
    env = {k: v for k, v in os.environ.items() if k.startswith("COUNTER_")}
    return {"env": {**env, "COUNTER_COUNTER_CODE": code}, "actions": actions, **extra}


def assert_sentences(outcomes: list[list[Any]]) -> None:
    """Every refusal is a sentence for a clerk: no driver's words in it."""
    for per_counter in outcomes:
        for outcome in per_counter:
            if outcome[0] == "refused":
                message = outcome[2]
                assert not any(word in message for word in DRIVER_WORDS), message
                assert not message[:1].islower() and message.rstrip().endswith("."), message


def race(specs: list[dict[str, Any]], timeout_s: float = START_TIMEOUT_S) -> list[list[Any]]:
    """Every spec's outcomes, in the order of `specs`. A spec: `env` (COUNTER_* for that
    counter), `actions` (a list of dicts with `do` = sell | close_day | login), and
    optionally `cap_cents` (a daily cap on every operator) and `float_policy`."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(specs))
    results = ctx.Queue()
    children = [
        ctx.Process(target=_child, args=(n, one, barrier, results), daemon=True)
        for n, one in enumerate(specs)
    ]
    for child in children:
        child.start()
    outcomes: dict[int, list[Any]] = {}
    try:
        while len(outcomes) < len(specs):
            try:
                n, outcome = results.get(timeout=timeout_s)
            except Empty:
                raise AssertionError(f"the racers did not all finish: {outcomes}") from None
            if isinstance(outcome, str):
                raise AssertionError(f"racer {n} failed:\n{outcome}")
            outcomes[n] = outcome
    finally:
        for child in children:
            child.join(timeout=30)
            if child.is_alive():
                child.kill()
    return [outcomes[n] for n in range(len(specs))]


def _child(n: int, spec: dict[str, Any], barrier: Any, results: Any) -> None:
    try:
        os.environ.update(spec["env"])
        ledger, clerk = _ready(spec)
    except BaseException:
        barrier.abort()
        results.put((n, traceback.format_exc()))
        return
    try:
        outcomes = []
        for action in spec["actions"]:
            barrier.wait(timeout=START_TIMEOUT_S)  # every round starts at one moment
            outcomes.append(_act(ledger, clerk, action))
    except BaseException:
        results.put((n, traceback.format_exc()))
        return
    finally:
        ledger.close()
    results.put((n, outcomes))


def _ready(spec: dict[str, Any]) -> tuple[Any, Any]:
    from counter.bootstrap import open_ledger
    from counter.config import load_settings
    from counter.services import authenticate

    opened = open_ledger(load_settings())
    policy = replace(
        opened.policy,
        shift_required=False,
        float_policy=spec.get("float_policy", opened.policy.float_policy),
    )
    cap = spec.get("cap_cents")
    rules = opened.rules
    if cap is not None:
        rules = type(rules)(replace(op, daily_cap_cents=cap) for op in rules)
    ledger = replace(opened, policy=policy, rules=rules)
    clerk = authenticate(ledger, spec.get("clerk", "Dara"), spec.get("pin", "5678"))
    return ledger, clerk


def _act(ledger: Any, clerk: Any, action: dict[str, Any]) -> list[Any]:
    from counter.domain.errors import CounterError
    from counter.services import authenticate, close_day, sell

    try:
        if action["do"] == "sell":
            start = time.perf_counter()
            who = clerk
            if action.get("login"):  # a log-in per sale, as a shared screen does
                who = authenticate(ledger, clerk.name, action["login"])
            sale = sell(ledger, who, action["number"], action["amount"])
            return ["sale", sale.receipt_no, time.perf_counter() - start]
        if action["do"] == "close_day":
            day = date.fromisoformat(action["day"])
            close_day(
                ledger,
                day,
                ledger.counter_code,
                counted_usd_cents=0,
                counted_khr=0,
                supervisor_name=action["supervisor"],
                supervisor_pin=action["pin"],
                by=clerk,
            )
            return ["closed", day.isoformat()]
        raise ValueError(f"unknown action {action['do']!r}")
    except CounterError as refused:
        return ["refused", type(refused).__name__, str(refused)]
