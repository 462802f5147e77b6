"""The words on a receipt, before any renderer: what every printer prints."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from counter.printing.receipt import (
    ReceiptOptions,
    copy_banner,
    copy_translations,
    header_lines,
    lines,
    mask_number_display,
    qr_text,
    thanks_lines,
    title_lines,
)
from counter.printing.translations import TRANSLATIONS, Translation, has_cjk, has_khmer
from tests.printing.helpers import PHNOM_PENH, make_receipt


def as_dict(**changes: object) -> dict[str, str]:
    return {line.label: line.value for line in lines(make_receipt(**changes))}


def test_lines_carry_every_fact_in_the_shops_time() -> None:
    shown = as_dict()
    assert shown["Receipt"] == "A-000042"
    assert shown["Date"] == "2026-11-20 14:05"  # 07:05 UTC in Phnom Penh
    assert shown["Number"] == "012 345 678"
    assert shown["Amount"] == "$5.00"
    assert shown["Validity"] == "+40 days"
    assert shown["Check balance"] == "*888#"
    assert shown["Paid (KHR)"] == "21,000 riel"
    assert shown["Change (riel)"] == "1,000 riel"
    assert shown["Operator ref"] == "SM20261120-884213"


def test_number_and_amount_are_the_large_lines() -> None:
    large = [line.label for line in lines(make_receipt()) if line.large]
    assert large == ["Number", "Amount"]


def test_optional_lines_are_left_out_when_unknown() -> None:
    shown = as_dict(validity_days=None, operator_ref=None, balance_code="")
    assert not {"Validity", "Operator ref", "Check balance"} & shown.keys()


def test_change_in_both_currencies_and_none() -> None:
    both = as_dict(paid_currency="USD", paid_minor=1075, change_usd_cents=500, change_khr=300)
    assert (both["Paid (USD)"], both["Change (USD)"], both["Change (riel)"]) == (
        "$10.75", "$5.00", "300 riel",
    )  # fmt: skip
    assert as_dict(change_khr=0)["Change"] == "none"


def test_a_split_payment_shows_each_line_the_rate_and_the_riel_amount() -> None:
    shown = as_dict(
        amount_cents=450,
        paid_currency="USD",
        paid_minor=500,
        paid_lines=(("USD", 500), ("KHR", 2000)),
        riel_per_usd=4100,
        change_usd_cents=100,
        change_khr=0,
    )
    assert (shown["Paid (USD)"], shown["Paid (KHR)"]) == ("$5.00", "2,000 riel")
    # $4.50 at 4,100 riel per dollar is 18,450 riel.
    assert (shown["Rate"], shown["Amount (riel)"]) == ("4,100 riel per $1", "18,450 riel")
    dollars_only = as_dict(paid_currency="USD", paid_minor=500, change_khr=0, riel_per_usd=4100)
    assert "Rate" not in dollars_only  # no riel changed hands


def test_a_reprint_has_a_copy_banner_with_its_local_time() -> None:
    reprint = make_receipt(copy_printed_at=datetime(2026, 11, 21, 9, 30, 5, tzinfo=PHNOM_PENH))
    assert copy_banner(reprint) == ("COPY", "Reprinted 2026-11-21 09:30")
    assert copy_banner(make_receipt()) is None


def test_header_skips_an_empty_address() -> None:
    assert header_lines(make_receipt(shop_address="  ")) == ["Sokha Phone Shop"]


@pytest.mark.parametrize("field", ["created_at", "copy_printed_at"])
def test_naive_times_are_refused(field: str) -> None:
    with pytest.raises(ValueError, match="time-zone aware"):
        make_receipt(**{field: datetime(2026, 11, 20, 14, 5)})


def test_unknown_paid_currency_is_refused() -> None:
    with pytest.raises(ValueError, match="USD' or 'KHR"):
        make_receipt(paid_currency="EUR")


def test_importing_the_package_does_not_load_reportlab_or_the_ui() -> None:
    code = (
        "import sys, counter.printing, counter.printing.printers\n"
        "heavy = [m for m in ('reportlab', 'textual', 'sqlalchemy', 'escpos', 'PIL')\n"
        "         if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# --- options: masking, QR text, second languages -------------------------------------------

KM_ZH = ReceiptOptions(languages=("km", "zh"))


def test_masked_number_hides_the_middle_digits() -> None:
    masked = ReceiptOptions(mask_number=True)
    assert as_lines(masked)["Number"] == "012 ***678"
    assert mask_number_display("097 123 4567") == "097 ****567"
    assert mask_number_display("not a number 12345678901") == "123 *****901"
    assert as_lines(ReceiptOptions())["Number"] == "012 345 678"


def test_qr_text_is_number_time_masked_number_and_amount() -> None:
    receipt = make_receipt()
    assert qr_text(receipt) == "A-000042|2026-11-20T14:05:09+07:00|012***678|5.00"
    assert qr_text(receipt, ReceiptOptions(qr_mask=False)) == (
        "A-000042|2026-11-20T14:05:09+07:00|012345678|5.00"
    )
    # A masked paper never has an unmasked QR code.
    assert "012***678" in qr_text(receipt, ReceiptOptions(mask_number=True, qr_mask=False))
    assert qr_text(make_receipt(amount_cents=1050)).endswith("|10.50")


def test_qr_text_of_a_reprint_keeps_the_sale_time() -> None:
    reprint = make_receipt(copy_printed_at=datetime(2026, 11, 21, 9, 30, 5, tzinfo=PHNOM_PENH))
    assert qr_text(reprint) == qr_text(make_receipt())


def test_second_languages_translate_the_fixed_labels_only() -> None:
    shown = {line.label: line.translations for line in lines(make_receipt(), KM_ZH)}
    assert shown["Receipt"] == (Translation("km", "បង្កាន់ដៃ"), Translation("zh", "收据"))
    assert [t.language for t in shown["Number"]] == ["km", "zh"]
    assert shown["Clerk"] == ()  # not in the table: no second line
    only_zh = {
        line.label: line.translations
        for line in lines(make_receipt(), ReceiptOptions(languages=("zh",)))
    }
    assert only_zh["Amount"] == (Translation("zh", "充值金额"),)
    assert all(line.translations == () for line in lines(make_receipt()))


def test_title_copy_and_thanks_lines_follow_the_languages() -> None:
    assert title_lines(ReceiptOptions()) is None
    title = title_lines(KM_ZH)
    assert title is not None and title[0] == "Top-up receipt"
    assert [t.text for t in title[1]] == ["បង្កាន់ដៃបញ្ចូលទឹកប្រាក់", "充值收据"]
    assert [t.language for t in thanks_lines(KM_ZH)] == ["km", "zh"]
    reprint = make_receipt(copy_printed_at=datetime(2026, 11, 21, 9, 30, 5, tzinfo=PHNOM_PENH))
    assert copy_translations(reprint, KM_ZH) == (
        Translation("km", "ច្បាប់ចម្លង"),
        Translation("zh", "副本"),
    )
    assert copy_translations(make_receipt(), KM_ZH) == ()


def test_every_translation_is_in_its_own_script() -> None:
    for english, by_language in TRANSLATIONS.items():
        assert has_khmer(by_language["km"]) and not has_cjk(by_language["km"]), english
        assert has_cjk(by_language["zh"]) and not has_khmer(by_language["zh"]), english


def test_options_come_from_the_settings(counter_home: Path) -> None:
    from counter.bootstrap import receipt_options
    from counter.config import Settings

    settings = Settings(receipt_languages=["zh", "km", "zh"], receipt_mask_number=True)
    options = receipt_options(settings)
    assert options == ReceiptOptions(languages=("zh", "km"), mask_number=True, qr_mask=True)
    assert receipt_options(Settings()) == ReceiptOptions()


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="'km' or 'zh'"):
        ReceiptOptions(languages=("fr",))  # type: ignore[arg-type]


def as_lines(options: ReceiptOptions) -> dict[str, str]:
    return {line.label: line.value for line in lines(make_receipt(), options)}
