"""The active language, the gettext helpers and Babel's money and dates."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from counter import i18n
from counter.domain.money import Money, format_khr, format_usd
from counter.domain.topup import check_topup
from counter.i18n import N_, _, format_khr_for, format_money_for, format_usd_for, use_language
from counter.rules import load_rules


def test_english_is_the_default_and_the_source() -> None:
    assert i18n.get_language() == "en"
    assert _("Enter an amount.") == "Enter an amount."


def test_use_language_switches_and_restores() -> None:
    with use_language("zh") as code:
        assert code == "zh"
        assert _("Enter an amount.") == "请输入金额。"
        with use_language("en"):
            assert _("Enter an amount.") == "Enter an amount."
        assert (
            i18n.ngettext("Validity: +{days} day", "Validity: +{days} days", 30)
            == "有效期：+{days} 天"
        )
    assert _("Enter an amount.") == "Enter an amount."


@pytest.mark.parametrize("spelling", ["zh", "zh_CN", "zh-Hans", "zh_CN.UTF-8", "ZH_HANS_CN"])
def test_spellings_of_chinese(spelling: str) -> None:
    assert i18n.normalize_language(spelling) == "zh"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language 'km'"):
        i18n.normalize_language("km")


def test_lazy_strings_translate_when_shown() -> None:
    label = N_("Daily sales report")
    assert str(label) == "Daily sales report"
    with use_language("zh"):
        assert str(label) == "每日销售报表"


def test_domain_refusals_follow_the_active_language() -> None:
    rules = load_rules()
    assert check_topup("023123456", "5", rules).errors == (
        "023 123 456 is a landline (fixed line): only mobile numbers take a top-up.",
    )
    with use_language("zh"):
        errors = check_topup("023123456", "5", rules).errors
    assert errors == ("023 123 456 是固定电话：只有手机号码可以充值。",)


@pytest.mark.parametrize("cents", [0, 5, 25, 500, 1999, 125_000, 100_000_000, -25, -125_000])
def test_english_babel_dollars_are_the_domain_s_dollars(cents: int) -> None:
    assert format_usd_for(cents, "en") == format_usd(cents)


def test_chinese_dollars_use_cldr_s_us_dollar_sign() -> None:
    assert format_usd_for(500, "zh") == "US$5.00"
    assert format_usd_for(125_000, "zh") == "US$1,250.00"


@pytest.mark.parametrize("locale", ["en", "zh"])
@pytest.mark.parametrize("riel", [0, 100, 20_000, 1_234_500, -20_000])
def test_riel_have_the_sign_and_no_decimals(locale: str, riel: int) -> None:
    text = format_khr_for(riel, locale)
    assert text.endswith("៛")
    assert "." not in text
    assert text == format_khr(riel)


def test_money_for_picks_the_currency() -> None:
    assert format_money_for(Money.khr(20_000), "zh") == "20,000៛"
    assert format_money_for(Money.usd(250), "en") == "$2.50"


def test_dates_for_each_locale() -> None:
    assert i18n.format_date_for(date(2026, 11, 25), "zh") == "2026年11月25日"
    assert i18n.format_date_for(date(2026, 11, 25), "en") == "Nov 25, 2026"
    assert i18n.format_datetime_for(datetime(2026, 11, 25, 14, 3), "zh") == "2026/11/25 14:03"


def test_i18n_imports_no_framework() -> None:
    import subprocess
    import sys

    code = (
        "import sys, counter.i18n, counter.domain.topup;"
        "bad = [m for m in ('textual', 'sqlalchemy', 'reportlab', 'pydantic_settings', 'babel')"
        " if m in sys.modules]; print(bad)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
