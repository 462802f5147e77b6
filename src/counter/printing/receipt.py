"""The receipt as facts, and the words every renderer prints for them.

`Receipt` holds plain data (no rendering, no database rows). `sections()` turns it into
labelled lines, so the PDF and ESC/POS renderers print the same words; only the look
differs. `ReceiptOptions` (from the shop's settings) adds second-language lines, hides
the number's middle digits, and decides what the QR code says (`qr_text`).
The English text stays in plain Latin script (riel written as `riel`, not `៛`) so every
printer font has it; Khmer and Chinese come only as separate second-language lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from counter.domain.errors import NumberError
from counter.domain.money import format_usd
from counter.domain.phone import mask_display, parse_number
from counter.domain.receipt import PaidCurrency, Receipt
from counter.printing.translations import (
    COPY,
    LANGUAGES,
    THANKS,
    TITLE,
    Language,
    Translation,
    translate,
)

__all__ = ["PLAIN", "PaidCurrency", "Receipt", "ReceiptLine", "ReceiptOptions", "lines", "sections"]

DATE_FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class ReceiptOptions:
    """How a shop wants its receipts worded; the same for every renderer.

    `languages`: second-language lines for the fixed words, in this order.
    `mask_number`: print the number as `012 ***678`.
    `qr_mask`: mask the number inside the QR code; the QR code is masked whenever the
    printed line is, so scanning never reveals what the paper hides.
    `compact`: second-language words on the label's own line, tighter spacing.
    """

    languages: tuple[Language, ...] = ()
    mask_number: bool = False
    qr_mask: bool = True
    compact: bool = False

    def __post_init__(self) -> None:
        unknown = [lang for lang in self.languages if lang not in LANGUAGES]
        if unknown:
            raise ValueError(f"unknown receipt language {unknown[0]!r}: use 'km' or 'zh'")


PLAIN = ReceiptOptions()


@dataclass(frozen=True)
class ReceiptLine:
    """One labelled line. `large` lines (the number, the amount) are printed big.

    `translations` are the label in the receipt's second languages (possibly none).
    """

    label: str
    value: str
    large: bool = False
    translations: tuple[Translation, ...] = field(default=())


def format_riel(riel: int) -> str:
    """`1,000 riel`: the receipt's riel, in letters every printer font has."""
    return f"{riel:,} riel"


def format_paid(receipt: Receipt) -> str:
    if receipt.paid_currency == "USD":
        return format_usd(receipt.paid_minor)
    return format_riel(receipt.paid_minor)


SLIP_TITLES = {"delivery": "DELIVERY SLIP", "refund": "REFUND SLIP"}


def copy_banner(receipt: Receipt) -> tuple[str, str] | None:
    """`("COPY", "Reprinted 2026-11-21 09:30")` for a reprint, `("REFUND SLIP", "Printed
    ...")` for a slip that follows a receipt (never an ORIGINAL), else None."""
    if receipt.slip is not None:
        printed = receipt.local_slip_printed_at or receipt.local_created_at
        return SLIP_TITLES[receipt.slip], f"Printed {printed.strftime(DATE_FORMAT)}"
    reprinted = receipt.local_copy_printed_at
    if reprinted is None:
        return None
    return "COPY", f"Reprinted {reprinted.strftime(DATE_FORMAT)}"


def copy_translations(receipt: Receipt, options: ReceiptOptions = PLAIN) -> tuple[Translation, ...]:
    """COPY in the receipt's second languages; nothing for an original."""
    return translate(COPY, options.languages) if receipt.is_copy else ()


def header_lines(receipt: Receipt) -> list[str]:
    """Shop name first, then its address (if any)."""
    return [text for text in (receipt.shop_name, receipt.shop_address) if text.strip()]


def title_lines(options: ReceiptOptions = PLAIN) -> tuple[str, tuple[Translation, ...]] | None:
    """`("Top-up receipt", its translations)` when the shop chose second languages, else None."""
    if not options.languages:
        return None
    return TITLE, translate(TITLE, options.languages)


def thanks_lines(options: ReceiptOptions = PLAIN) -> tuple[Translation, ...]:
    """The closing thanks in the second languages, printed under the shop's own footer."""
    return translate(THANKS, options.languages)


def mask_number_display(display: str) -> str:
    """`012 345 678` -> `012 ***678`; `097 123 4567` -> `097 ****567`.

    Uses the domain's mask on the parsed number; text that is not a Cambodian number
    still never shows more than its first and last three digits.
    """
    try:
        return mask_display(parse_number(display))
    except NumberError:
        digits = "".join(c for c in display if c.isdigit())
        if len(digits) <= 6:
            return "*" * len(digits)
        return f"{digits[:3]} {'*' * (len(digits) - 6)}{digits[-3:]}"


def number_shown(receipt: Receipt, options: ReceiptOptions = PLAIN) -> str:
    """The number as the receipt prints it: grouped, or masked when the shop asks."""
    if options.mask_number:
        return mask_number_display(receipt.number_display)
    return receipt.number_display


QR_SEPARATOR = "|"


def qr_text(receipt: Receipt, options: ReceiptOptions = PLAIN) -> str:
    """What the receipt's QR code encodes, exactly (ASCII, fields joined by `|`):

    `<receipt no>|<sale time, ISO 8601 in the shop's zone>|<number>|<amount in USD>`,
    for example `A-000042|2026-11-20T14:05:09+07:00|012***678|5.00`. The number is
    national without spaces (`012345678`), masked (`012***678`) when `qr_mask` or
    `mask_number` is set. The time is the sale's, also on a reprint. A receipt with a
    check code carries it as a fifth field (`...|5.00|7KQ4M-2XDP9`).
    """
    if options.qr_mask or options.mask_number:
        number = mask_number_display(receipt.number_display).replace(" ", "")
    else:
        number = "".join(c for c in receipt.number_display if c.isdigit())
    when = receipt.local_created_at.isoformat(timespec="seconds")
    amount = f"{receipt.amount_cents // 100}.{receipt.amount_cents % 100:02d}"
    fields: tuple[str, ...] = (receipt.receipt_no.strip(), when, number, amount)
    if receipt.check_code:
        fields += (receipt.check_code,)
    return QR_SEPARATOR.join(f.replace(QR_SEPARATOR, "/") for f in fields)


def sections(receipt: Receipt, options: ReceiptOptions = PLAIN) -> list[list[ReceiptLine]]:
    """The receipt's body in groups; renderers draw a rule between groups."""
    found = [
        _sale_section(receipt, options),
        _topup_section(receipt, options),
        _khqr_section(receipt, options) if receipt.paid_by == "khqr" else _payment_section(receipt),
    ]
    if receipt.delivery_state is not None:
        found.append(_delivery_section(receipt))
    if receipt.slip == "refund":
        found.append(_refund_section(receipt))
    return found


def lines(receipt: Receipt, options: ReceiptOptions = PLAIN) -> list[ReceiptLine]:
    """Every body line in order, without the grouping."""
    return [line for section in sections(receipt, options) for line in section]


def _line(label: str, value: str, options: ReceiptOptions, *, large: bool = False) -> ReceiptLine:
    return ReceiptLine(label, value, large, translate(label, options.languages))


def _sale_section(receipt: Receipt, options: ReceiptOptions) -> list[ReceiptLine]:
    found = [
        _line("Receipt", receipt.receipt_no, options),
        ReceiptLine("Date", receipt.local_created_at.strftime(DATE_FORMAT)),
        ReceiptLine("Counter", receipt.counter_code),
        ReceiptLine("Clerk", receipt.clerk_name),
    ]
    if receipt.check_code:
        found.append(ReceiptLine("Check code", receipt.check_code))
    return found


def _topup_section(receipt: Receipt, options: ReceiptOptions) -> list[ReceiptLine]:
    found = [
        ReceiptLine("Operator", receipt.operator_name),
        _line("Number", number_shown(receipt, options), options, large=True),
        _line("Amount", format_usd(receipt.amount_cents), options, large=True),
    ]
    if receipt.validity_days is not None:
        found.append(_line("Validity", f"+{receipt.validity_days} days", options))
    if receipt.balance_code.strip():
        found.append(_line("Check balance", receipt.balance_code, options))
    return found


def _payment_section(receipt: Receipt) -> list[ReceiptLine]:
    found = [
        ReceiptLine(
            f"Paid ({currency})", format_usd(minor) if currency == "USD" else format_riel(minor)
        )
        for currency, minor in receipt.lines
    ]
    if receipt.amount_khr is not None and receipt.riel_per_usd is not None:
        found.append(ReceiptLine("Rate", f"{receipt.riel_per_usd:,} riel per $1"))
        found.append(ReceiptLine("Amount (riel)", format_riel(receipt.amount_khr)))
    if receipt.change_usd_cents:
        found.append(ReceiptLine("Change (USD)", format_usd(receipt.change_usd_cents)))
    if receipt.change_khr:
        found.append(ReceiptLine("Change (riel)", format_riel(receipt.change_khr)))
    if not receipt.change_usd_cents and not receipt.change_khr:
        found.append(ReceiptLine("Change", "none"))
    if receipt.operator_ref:
        found.append(ReceiptLine("Operator ref", receipt.operator_ref))
    return found


PAID_BY_KHQR = "Paid by KHQR"
BANK_REF = "Bank ref"
SHORT_REF = 16  # a longer bank reference (Bakong's 64-character hash) prints shortened


def bank_ref_shown(reference: str) -> str:
    """The bank's reference as the receipt prints it: whole up to 16 characters (a typed
    reference, or the last 6 characters the clerk typed), else its first 8 and `...`:
    the short form bank apps show of Bakong's hash (the payment line keeps only the
    first 31 characters of a long reference, so its real last 6 are not known)."""
    reference = reference.strip()
    if len(reference) <= SHORT_REF:
        return reference
    return reference[:8] + "..."


def _khqr_section(receipt: Receipt, options: ReceiptOptions) -> list[ReceiptLine]:
    """A KHQR sale: paid by a bank transfer, its amount in its currency and the bank's
    reference; no change line (nothing was handed over, nothing comes back)."""
    found = [
        _line(
            PAID_BY_KHQR,
            format_usd(minor) if currency == "USD" else format_riel(minor),
            options,
        )
        for currency, minor in receipt.lines
    ]
    if receipt.amount_khr is not None and receipt.riel_per_usd is not None:
        found.append(ReceiptLine("Rate", f"{receipt.riel_per_usd:,} riel per $1"))
    if receipt.bank_ref.strip():
        found.append(_line(BANK_REF, bank_ref_shown(receipt.bank_ref), options))
    if receipt.operator_ref:
        found.append(ReceiptLine("Operator ref", receipt.operator_ref))
    return found


def _delivery_section(receipt: Receipt) -> list[ReceiptLine]:
    found = [ReceiptLine("Delivery", receipt.delivery_state or "")]
    if receipt.delivery_state == "PENDING" and receipt.slip is None:
        found.append(ReceiptLine("Then", "a slip with the answer"))
    if receipt.provider_ref:
        found.append(ReceiptLine("Provider ref", receipt.provider_ref))
    if receipt.delivery_reference:
        found.append(ReceiptLine("Our ref", receipt.delivery_reference))
    return found


# A channel's reason codes (counter.domain.delivery.Reason) in the slip's words; a
# person's own reason prints as typed.
REASON_WORDS = {
    "balance_too_low": "dealer balance too low",
    "invalid_number": "number not accepted",
    "operator_unavailable": "operator unavailable",
    "no_product": "amount not offered",
    "declined": "declined by the operator",
    "duplicate_at_operator": "refused as a duplicate",
    "refused": "refused by the provider",
    "failed": "not delivered",
    "reversed": "returned by the provider",
}


def _refund_section(receipt: Receipt) -> list[ReceiptLine]:
    found = [
        ReceiptLine(
            f"Refund ({currency})", format_usd(minor) if currency == "USD" else format_riel(minor)
        )
        for currency, minor in receipt.refund_lines
    ]
    if receipt.refund_reason:
        reason = receipt.refund_reason
        found.append(ReceiptLine("Reason", REASON_WORDS.get(reason, reason)))
    return found


def printer_test_slip(
    now: datetime, *, shop_name: str = "Counter", shop_address: str = "", tz: tzinfo | None = None
) -> Receipt:
    """A slip for `counter printers test`: every kind of line a receipt has, marked as no sale."""
    return Receipt(
        shop_name=shop_name,
        shop_address=shop_address,
        receipt_no="TEST",
        created_at=now,
        counter_code="-",
        clerk_name="-",
        operator_name="Printer test",
        balance_code="*888#",
        number_display="012 345 678",
        amount_cents=0,
        validity_days=None,
        paid_currency="USD",
        paid_minor=0,
        change_usd_cents=0,
        change_khr=0,
        footer="Printer test: this is not a sale and not a receipt.",
        tz=tz,
    )
