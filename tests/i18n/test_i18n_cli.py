"""COUNTER_LANG for the commands; the report PDF in Chinese."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from counter.reporting.pdf import render_day_report_pdf
from tests.reporting.sample import sample_rows, sample_voids, summary_of
from tests.support.cli import Ran
from tests.support.cli import counter as run_counter
from tests.support.system import require_tool


def here(*args: str, **env: str) -> Ran:
    """`counter ARGS` in this process: the language is chosen when the command runs."""
    return run_counter(*args, env={"COUNTER_LANG": None, **env})  # type: ignore[dict-item]


def counter(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`counter ARGS` in a new process: help texts are translated when the command modules
    load, so their language is only chosen in a fresh process."""
    script = Path(sys.executable).with_name("counter")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "counter"]
    environ = {k: v for k, v in os.environ.items() if k != "COUNTER_LANG"} | env
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=60, env=environ
    )


def test_counter_lang_zh_refuses_a_landline_in_chinese(tmp_path: Path) -> None:
    done = here("check", "023123456", "5", COUNTER_LANG="zh", COUNTER_HOME=str(tmp_path))
    assert done.returncode == 1
    assert "拒绝：023 123 456 是固定电话：只有手机号码可以充值。" in done.stderr


def test_english_stays_the_default(tmp_path: Path) -> None:
    done = here("check", "023123456", "5", COUNTER_HOME=str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "Refused: 023 123 456 is a landline (fixed line): only mobile numbers take a top-up."
    )


def test_the_shop_language_is_used_without_counter_lang(tmp_path: Path) -> None:
    (tmp_path / "counter.toml").write_text('language = "zh"\n', encoding="utf-8")
    done = here("check", "012345678", "5", COUNTER_HOME=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "可以：允许此次充值。" in done.stdout
    assert "金额：US$5.00" in done.stdout


def test_an_unknown_counter_lang_is_refused(tmp_path: Path) -> None:
    done = here("check", "012345678", "5", COUNTER_LANG="km", COUNTER_HOME=str(tmp_path))
    assert done.returncode == 2
    assert "COUNTER_LANG='km'" in done.stderr


def _chinese_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "report-zh.pdf"
    path.write_bytes(
        render_day_report_pdf(summary_of(sample_rows(), sample_voids()), language="zh")
    )
    return path


def test_a_chinese_report_embeds_its_chinese_font(tmp_path: Path) -> None:
    pdffonts = require_tool("pdffonts")
    path = _chinese_pdf(tmp_path)
    fonts = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True)
    assert "WenQuanYiMicroHei" in fonts.stdout
    assert "STSong-Light" not in fonts.stdout, "a CID font Ghostscript prints as garbage"


def test_a_chinese_report_reads_in_chinese(tmp_path: Path) -> None:
    pdftotext = require_tool("pdftotext")
    path = _chinese_pdf(tmp_path)
    done = subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    for heading in ("每日销售报表", "按运营商统计销售", "收款", "作废", "收据编号", "营业日"):
        assert heading in done.stdout


def test_the_english_report_is_unchanged_by_language(tmp_path: Path) -> None:
    summary = summary_of(sample_rows(), sample_voids())
    assert render_day_report_pdf(summary) == render_day_report_pdf(summary, language="en")


def _shop(tmp_path: Path) -> dict[str, str]:
    env = {"COUNTER_HOME": str(tmp_path), "COUNTER_PIN_HASH_PROFILE": "test"}
    done = here(
        "init",
        "--shop-name",
        "Dara Phone",
        "--counter",
        "A",
        "--admin",
        "Sok",
        "--admin-pin",
        "1234",
        **env,
    )
    assert done.returncode == 0, done.stderr
    return env


def test_counter_lang_zh_refuses_a_sale_in_chinese(tmp_path: Path) -> None:
    env = _shop(tmp_path) | {"COUNTER_PIN": "1234"}
    refused = here("sell", "012 345 678", "0.50", "--clerk", "Sok", COUNTER_LANG="zh", **env)
    assert refused.returncode == 1
    assert refused.stderr.startswith("销售被拒绝：US$0.50 低于 ")
    english = here("sell", "012 345 678", "0.50", "--clerk", "Sok", **env)
    assert english.returncode == 1
    assert english.stderr.startswith("Sale refused: $0.50 is below ")
    bad = here("sell", "023123456", "5", "--clerk", "Sok", COUNTER_LANG="zh", **env)
    assert bad.returncode == 1
    assert "销售被拒绝：023 123 456 是固定电话：只有手机号码可以充值。" in bad.stderr


def test_a_user_changes_their_language_and_it_is_audited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from counter.bootstrap import open_ledger
    from counter.config import load_settings
    from counter.services import find_user, set_user_language

    env = _shop(tmp_path)
    done = here("users", "language", "Sok", "zh", COUNTER_PIN="1234", **env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Sok will see the counter in 中文（简体）."
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("COUNTER_LANG", raising=False)
    with open_ledger(load_settings()) as ledger:
        sok = find_user(ledger, "Sok")
        assert sok.language == "zh"
        assert set_user_language(ledger, "Sok", "en", by=sok).language == "en"
        with ledger.uow(write=False) as uow:
            entries = uow.audit.entries(action="user_language_set")
    assert [(e.actor, e.action) for e in entries] == [("Sok", "user_language_set")] * 2
    assert '"language": "en"' in entries[0].detail or '"language":"en"' in entries[0].detail
    assert '"language": "zh"' in entries[1].detail or '"language":"zh"' in entries[1].detail


def test_counter_lang_zh_shows_chinese_help(tmp_path: Path) -> None:
    done = counter("sell", "--help", COUNTER_LANG="zh", COUNTER_HOME=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "记录一笔充值销售并显示其收据编号。" in done.stdout
    assert "顾客的电话号码，按原样输入。" in done.stdout
    assert "Record one top-up sale" not in done.stdout


def test_english_help_is_unchanged(tmp_path: Path) -> None:
    done = counter("sell", "--help", COUNTER_HOME=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "Record one top-up sale and print its receipt number." in done.stdout
    assert "The customer's phone number, as given." in done.stdout
