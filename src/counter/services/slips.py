"""Slips: what the customer gets on paper after the receipt, when a delivery is settled.

A sale whose top-up goes by a channel other than `assumed` prints its receipt at once,
marked PENDING (the customer does not wait at the counter for an SMS that may come late).
When the delivery reaches a final state, the same transaction that records the change
queues a slip in the print queue, a job of its own: `delivered` gives a DELIVERY SLIP
with the provider's reference, `failed` and `reversed` a REFUND SLIP with the cash given
back. A slip is never a second ORIGINAL receipt. The delivery worker prints the waiting
slips after each sweep, and the print retry prints them after the waiting receipts; a
slip that did not print waits, like a receipt.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from counter.domain.delivery import DeliveryState
from counter.domain.errors import StorageError
from counter.domain.receipt import PaidCurrency, PrintResult, Receipt, SlipJob
from counter.i18n import _
from counter.services.ports import Ledger, Printer, UnitOfWork
from counter.services.receipts import delivery_fields, receipt_for

SLIP_LEASE = timedelta(minutes=5)  # a claim older than this is a worker that died mid-print
REFUND_STATES = (DeliveryState.FAILED.value, DeliveryState.REVERSED.value)


def queue_slip(uow: UnitOfWork, sale_id: int, state: DeliveryState, now: datetime) -> None:
    """In the transaction that records a final state: the slip that tells it."""
    uow.prints.add_slip(sale_id, state.value, now)


def print_slips(ledger: Ledger, printer: Printer) -> list[PrintResult]:
    """Print this counter's waiting slips once each, oldest first; stop at the first
    failure (the printer is down: the rest wait). Never raises."""
    results: list[PrintResult] = []
    try:
        with ledger.uow(write=False) as uow:
            waiting = uow.prints.waiting_slips(ledger.counter_code)
    except StorageError as exc:
        return [PrintResult(False, _("Waiting slips not printed: {reason}").format(reason=exc))]
    for job in waiting:
        result = _print_one(ledger, printer, job)
        if result is None:
            continue
        results.append(result)
        if not result.ok:
            break
    return results


def slip_for(ledger: Ledger, job: SlipJob) -> Receipt:
    """The slip of `job`: the sale's receipt words, the state the job tells, and for a
    refund the cash given back per currency and why."""
    state = DeliveryState(job.state)
    with ledger.uow(write=False) as uow:
        sale = uow.sales.by_id(job.sale_id)
        delivery = uow.deliveries.by_sale(job.sale_id)
        refund = uow.refunds.by_sale(job.sale_id) if job.state in REFUND_STATES else None
    if sale is None or delivery is None:
        raise LookupError(f"sale {job.sale_id} has no delivery")
    receipt = receipt_for(ledger, sale)
    shown, ours, provider = delivery_fields(delivery, state)
    refund_lines: tuple[tuple[PaidCurrency, int], ...] = ()
    if refund is not None:
        given: tuple[tuple[PaidCurrency, int], ...] = (
            ("USD", refund.usd_cents),
            ("KHR", refund.khr),
        )
        refund_lines = tuple((currency, minor) for currency, minor in given if minor)
    return replace(
        receipt,
        delivery_state=shown,
        delivery_reference=ours,
        provider_ref=provider,
        slip="refund" if job.state in REFUND_STATES else "delivery",
        slip_printed_at=ledger.now(),
        refund_lines=refund_lines,
        refund_reason=refund.reason if refund is not None else "",
    )


def _print_one(ledger: Ledger, printer: Printer, job: SlipJob) -> PrintResult | None:
    """None when another worker holds the slip."""
    now = ledger.now()
    try:
        with ledger.uow() as uow:
            claim = uow.prints.claim_slip(job, now, now - SLIP_LEASE)
            uow.commit()
    except StorageError:
        return None
    if claim is None:
        return None
    try:
        result = printer.print_receipt(slip_for(ledger, job))
    except Exception as exc:  # the delivery is recorded; the clerk needs words
        result = PrintResult(False, _("The slip was not printed: {reason}.").format(reason=exc))
    try:
        with ledger.uow() as uow:
            uow.prints.finish_slip(
                claim, printed=result.ok, error=None if result.ok else result.message, now=now
            )
            uow.commit()
    except StorageError:
        pass  # the claim's lease runs out and the slip prints again: a slip, never an ORIGINAL
    return result
