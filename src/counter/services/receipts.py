"""The receipt of a recorded sale, and printing it: what the screen and `counter sell` share.

A sale is recorded before its receipt prints; printing never raises (the printer
answers with a PrintResult), so a paper jam can never look like a failed sale.

Every sale gets a pending original in the ledger's print queue in the sale's own
transaction. `print_sale` claims that row in a short transaction before printing (so
two workers, or a retry racing the first print, never print the same original twice),
then marks it printed or puts it back as pending with the printer's words. A receipt
that did not print waits in the queue: `retry_pending` prints the waiting ones once
the printer is back (the screen's retry and its automatic retry, and the
CLI). A second paper comes out only when asked for, and then it says COPY.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from counter.domain.cash import Tender
from counter.domain.deliveries import Delivery
from counter.domain.delivery import Channel, DeliveryState
from counter.domain.errors import StorageError, UserError
from counter.domain.money import Currency
from counter.domain.phone import parse_number
from counter.domain.receipt import PrintResult, Receipt
from counter.domain.records import PrintClaim, Role, Sale, User
from counter.i18n import _
from counter.services.access import require_role
from counter.services.ports import Ledger, Printer
from counter.services.queries import pending_receipts
from counter.services.sales import normalise_receipt
from counter.services.setup import shop

# A claim older than this belongs to a worker that died mid-print; another may take it
# over. Far longer than any printer's own timeout (CUPS 20 s, ESC/POS 10 s).
CLAIM_LEASE = timedelta(minutes=5)


def grouped_code(code: str) -> str:
    """`7KQ4M2XDP9` -> `7KQ4M-2XDP9`: read aloud and typed in fives."""
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))


def queued() -> str:
    """What a failed original's message ends with: it waits in the print queue."""
    return _(
        "The sale is recorded; the receipt waits in the print queue and prints when the "
        "printer is back."
    )


def receipt_for(
    ledger: Ledger, sale: Sale, *, copy: bool = False, now: datetime | None = None
) -> Receipt:
    """The receipt of `sale`; `copy=True` marks it COPY with the time it is reprinted."""
    info = shop(ledger)
    operator = ledger.rules.get(sale.operator_id)
    with ledger.uow(write=False) as uow:
        code = uow.anchors.receipt_code(sale) or ""
        delivery = uow.deliveries.by_sale(sale.id)
    shown, ours, provider = delivery_fields(delivery)
    first = sale.payment.lines[0]
    khqr = next((line for line in sale.payment.lines if line.tender is Tender.KHQR), None)
    return Receipt(
        shop_name=info.name,
        shop_address=info.address or ledger.wording.shop_address,
        receipt_no=sale.receipt_no,
        created_at=sale.created_at,
        counter_code=sale.counter_code,
        clerk_name=sale.clerk_name,
        operator_name=operator.name if operator else sale.operator_id,
        balance_code=operator.balance_code if operator else "",
        number_display=parse_number(sale.msisdn).display,
        amount_cents=sale.amount_cents,
        validity_days=sale.validity_days,
        paid_currency="KHR" if first.currency is Currency.KHR else "USD",
        paid_minor=first.minor,
        paid_lines=tuple(
            ("KHR" if line.currency is Currency.KHR else "USD", line.minor)
            for line in sale.payment.lines
        ),
        riel_per_usd=sale.riel_per_usd,
        change_usd_cents=sale.change_usd_cents,
        change_khr=sale.change_khr,
        operator_ref=sale.operator_ref,
        footer=ledger.wording.footer,
        copy_printed_at=ledger.now(now) if copy else None,
        tz=ledger.zone,
        check_code=grouped_code(code),
        delivery_state=shown,
        delivery_reference=ours,
        provider_ref=provider,
        paid_by="khqr" if khqr is not None else "cash",
        bank_ref=(khqr.reference or "").partition(":")[2] if khqr is not None else "",
    )


# What a receipt prints for each state (English, like every fixed word on the paper).
PAPER_STATES = {
    DeliveryState.PENDING: "PENDING",
    DeliveryState.NEEDS_REVIEW: "PENDING (being checked)",
    DeliveryState.DELIVERED: "delivered",
    DeliveryState.FAILED: "FAILED, money back",
    DeliveryState.REVERSED: "REVERSED, money back",
}


DeliveryLines = tuple[str | None, str | None, str | None]  # state, our ref, provider's ref


def delivery_fields(delivery: Delivery | None, state: DeliveryState | None = None) -> DeliveryLines:
    """The receipt's delivery lines: nothing for an `assumed` one (delivered when sold, the
    receipt as it always was); else its state (or `state`), our and the provider's reference."""
    if delivery is None or delivery.channel is Channel.ASSUMED:
        return None, None, None
    shown = state or delivery.state
    provider = delivery.provider_ref if shown is DeliveryState.DELIVERED else None
    return PAPER_STATES[shown], delivery.reference, provider


def print_sale(
    ledger: Ledger,
    printer: Printer,
    sale: Sale,
    *,
    copy: bool = False,
    now: datetime | None = None,
    by: User | None = None,
) -> PrintResult:
    """Print the receipt of `sale`; the result says what happened, in words for the clerk.

    The original (`copy=False`) prints at most once: printed already, or being printed
    by another worker, it prints nothing (ok=True, saying so). When it fails it stays in
    the print queue for `retry_pending`. `copy=True` prints a COPY every time and records
    the reprint (audited as `receipt_reprinted`, by `by` when given); a printed COPY
    takes the place of an original still waiting in the queue, so a retry does not
    print that one later as well.
    """
    if copy:
        return _print_copy(ledger, printer, sale, now=now, by=by)
    return _print_original(ledger, printer, sale)[0]


def reprint(
    ledger: Ledger, printer: Printer, receipt_no: str, *, by: User, now: datetime | None = None
) -> tuple[Sale, PrintResult]:
    """A COPY of the receipt of a recorded sale, asked for by `by` (any active user, as on
    the screen): the sale and what the printer said. Audited like every reprint."""
    label = normalise_receipt(receipt_no)
    if label is None:
        raise UserError(
            _("{text!r} is not a receipt number like A-000042.").format(text=receipt_no.strip())
        )
    with ledger.uow(write=False) as uow:
        require_role(uow, by, Role.CLERK, _("reprint a receipt"))
        sale = uow.sales.by_receipt(label)
    if sale is None:
        raise UserError(
            _("No sale with receipt number {receipt}: check the number on the receipt.").format(
                receipt=label
            )
        )
    return sale, print_sale(ledger, printer, sale, copy=True, now=now, by=by)


def retry_pending(ledger: Ledger, printer: Printer) -> list[PrintResult]:
    """Print this counter's waiting receipts once each, oldest first: what the screen's
    retry, its automatic retry and the CLI's retry call (off the screen's thread).

    Stops at the first failure so a dead printer is not hammered; a receipt another
    worker is printing right now is skipped. Empty when there was nothing to print.
    Never raises: a ledger that cannot be reached is one failed result.
    """
    results: list[PrintResult] = []
    try:
        waiting = pending_receipts(ledger)
    except StorageError as exc:
        return [PrintResult(False, _("Waiting receipts not printed: {reason}").format(reason=exc))]
    for sale in waiting:
        result, attempted = _print_original(ledger, printer, sale)
        if not attempted:
            continue
        results.append(result)
        if not result.ok:
            return results
    from counter.services.slips import print_slips  # slips follow their receipts

    return results + print_slips(ledger, printer)


def set_receipt_aside(ledger: Ledger, sale: Sale, reason: str) -> bool:
    """The sale's original must not print by itself (sold without a receipt): its
    waiting queue row becomes `failed` with `reason`; it can still be reprinted as a
    COPY. False (never an exception: the sale is recorded) when the ledger failed."""
    try:
        with ledger.uow() as uow:
            uow.prints.set_aside(sale.id, reason)
            uow.commit()
    except StorageError:
        return False
    return True


# -- the steps ----------------------------------------------------------------------------


def _print_original(ledger: Ledger, printer: Printer, sale: Sale) -> tuple[PrintResult, bool]:
    """(result, whether this call sent the original to the printer)."""
    try:
        claim = _claim(ledger, sale)
    except StorageError as exc:
        return PrintResult(
            False,
            _("Receipt {receipt} not printed: {reason}").format(receipt=sale.receipt_no, reason=exc)
            + " "
            + queued(),
        ), False
    if isinstance(claim, PrintResult):
        return claim, False
    if claim is CUT_OFF:
        return _print_copy(ledger, printer, sale, now=None, by=None), True
    result = _send(ledger, printer, sale, copy=False, now=None)
    try:
        with ledger.uow() as uow:
            uow.prints.finish(
                claim,
                printed=result.ok,
                error=None if result.ok else result.message,
                now=ledger.now(),
            )
            uow.commit()
    except StorageError as exc:
        if result.ok:  # printed: the queue row is stale until its claim expires
            return PrintResult(
                True,
                result.message
                + " "
                + _("(The print queue was not updated: {reason})").format(reason=exc),
                result.path,
            ), True
        return PrintResult(False, f"{result.message} {queued()}"), True
    if result.ok:
        return result, True
    return PrintResult(False, f"{result.message} {queued()}", result.path), True


# A claim taken over from a worker that was cut off mid-print: its ORIGINAL may be out.
CUT_OFF = PrintClaim(0, 0)


def _claim(ledger: Ledger, sale: Sale) -> PrintClaim | PrintResult:
    """Mark before send: the claim's own transaction records `sending`. A claim whose last
    mark was already `sending` (the worker died or the lease ran out mid-print) gives
    CUT_OFF: the receipt prints as a COPY, never as a second ORIGINAL."""
    now = ledger.now()
    with ledger.uow() as uow:
        queue = uow.prints
        status = queue.original_status(sale.id)
        if status is None:  # a sale recorded before the print queue existed
            queue.add_original(sale.id, now)
            status = "pending"
        if status == "printed":
            return PrintResult(
                True,
                _("Receipt {receipt} was already printed; reprint it as a COPY if needed.").format(
                    receipt=sale.receipt_no
                ),
            )
        if status != "pending":
            return PrintResult(
                True,
                _("Receipt {receipt} is not waiting to print.").format(receipt=sale.receipt_no),
            )
        before = queue.last_mark(sale.id)
        claim = queue.claim(sale.id, now, now - CLAIM_LEASE)
        if claim is not None and before == "sending":
            cut = "Not printed as ORIGINAL: a print was cut off; a COPY instead."
            queue.finish(claim, printed=False, error=cut, now=now)
            queue.set_aside(sale.id, cut)
            uow.commit()
            return CUT_OFF
        uow.commit()
    if claim is None:
        return PrintResult(
            True, _("Receipt {receipt} is being printed right now.").format(receipt=sale.receipt_no)
        )
    return claim


def _send(
    ledger: Ledger, printer: Printer, sale: Sale, *, copy: bool, now: datetime | None
) -> PrintResult:
    try:
        receipt = receipt_for(ledger, sale, copy=copy, now=now)
        return printer.print_receipt(receipt)
    except Exception as exc:  # the sale is recorded; the clerk needs words, not a traceback
        return PrintResult(
            False,
            _("Receipt {receipt} not printed: {reason}.").format(
                receipt=sale.receipt_no, reason=exc
            ),
        )


def _print_copy(
    ledger: Ledger, printer: Printer, sale: Sale, *, now: datetime | None, by: User | None
) -> PrintResult:
    at = ledger.now(now)
    result = _send(ledger, printer, sale, copy=True, now=at)
    try:
        with ledger.uow() as uow:
            queue = uow.prints
            queue.add_copy(
                sale.id, printed=result.ok, error=None if result.ok else result.message, now=at
            )
            if result.ok:
                queue.set_aside(sale.id, "Not printed: a COPY was printed in its place.")
                actor = by.name if by else f"counter {ledger.counter_code}"
                uow.audit.append(at, actor, "receipt_reprinted", receipt=sale.receipt_no)
            uow.commit()
    except StorageError as exc:
        return PrintResult(
            result.ok,
            result.message + " " + _("(The reprint was not recorded: {reason})").format(reason=exc),
            result.path,
        )
    if result.ok:
        return result
    return PrintResult(
        False, f"{result.message} " + _("The sale is recorded; try the reprint again.")
    )
