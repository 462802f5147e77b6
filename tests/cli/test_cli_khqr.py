"""`counter khqr` through the real console script: the payload the settings give, its MD5,
the code as text, missing or wrong settings in words, and no database code imported."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from counter.config import SettingsError, load_settings
from tests.payments.conftest import jwt
from tests.payments.tlv import decode_khqr

SHOP = """
[khqr]
account_id = "lucky_phone@aclb"
merchant_name = "Lucky Phone"
merchant_city = "Phnom Penh"
store_label = "Riverside"
expiry_minutes = 15
"""
JSON_KEYS = {
    "payload",
    "md5",
    "amount",
    "currency",
    "minor_units",
    "bill_number",
    "account_id",
    "merchant_name",
    "merchant_city",
    "created_at",
    "expires_at",
}


def counter(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("counter")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "counter"]
    environ = dict(os.environ, COLUMNS="100", LINES="40", **env)
    environ.pop("BAKONG_TOKEN", None)
    environ.update(env)
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=60, env=environ
    )


@pytest.fixture
def shop(counter_home: Path) -> Path:
    (counter_home / "counter.toml").write_text(SHOP, encoding="utf-8")
    return counter_home


def test_prints_the_payload_its_md5_and_the_code(shop: Path) -> None:
    result = counter("khqr", "5", "--bill", "A-000042")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    payload = lines[0].removeprefix("Payload: ")
    k = decode_khqr(payload, strict=True)
    assert (k.values["54"], k.values["53"], k.values["59"]) == ("5", "840", "Lucky Phone")
    assert k.additional == {"01": "A-000042", "03": "Riverside"}
    created, expires = (int(k.sub["99"][t]) for t in ("00", "01"))
    assert expires - created == 15 * 60_000
    assert abs(created / 1000 - time.time()) < 60
    assert lines[1] == "MD5:     " + hashlib.md5(payload.encode()).hexdigest()
    assert lines[2] == "Pays $5.00 to lucky_phone@aclb (Lucky Phone, Phnom Penh)."
    code = [line for line in lines if set(line) <= set(" ▀▄█") and line.strip()]
    assert len(code) >= 20
    assert "QR version 6, error correction L" in result.stdout or "QR version" in result.stdout
    assert "environment variable BAKONG_TOKEN is empty" in result.stdout


def test_json_gives_one_object(shop: Path) -> None:
    result = counter("khqr", "20000", "--currency", "KHR", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == JSON_KEYS
    assert (data["amount"], data["currency"], data["minor_units"]) == ("20000", "KHR", 20000)
    assert data["md5"] == hashlib.md5(data["payload"].encode()).hexdigest()
    assert decode_khqr(data["payload"], strict=True).values["53"] == "116"


def test_a_missing_setting_is_named(counter_home: Path) -> None:
    (counter_home / "counter.toml").write_text('[khqr]\naccount_id = "a@b"\n', encoding="utf-8")
    result = counter("khqr", "5")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "The KHQR setting merchant_name is missing: add it to the [khqr] table of "
        f"{counter_home / 'counter.toml'}."
    )


def test_a_wrong_setting_is_named(counter_home: Path) -> None:
    (counter_home / "counter.toml").write_text(
        SHOP.replace('"Lucky Phone"', '"Lucky Phone and Accessories Shop"'), encoding="utf-8"
    )
    result = counter("khqr", "5")
    assert result.returncode == 1
    assert "32 characters long; KHQR allows 25" in result.stderr
    assert "(the [khqr] setting merchant_name in" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("amount", "words"), [("0", "more than zero"), ("abc", "not an amount")])
def test_a_wrong_amount_is_said(shop: Path, amount: str, words: str) -> None:
    result = counter("khqr", amount)
    assert result.returncode == 1 and words in result.stderr


def test_a_token_about_to_expire_is_said(shop: Path) -> None:
    soon = jwt({"exp": int(time.time()) + 3 * 86400 + 3600})
    result = counter("khqr", "5", BAKONG_TOKEN=soon)
    assert "The Bakong token expires in 3 days" in result.stdout
    assert soon not in result.stdout + result.stderr


def test_a_token_file_others_can_read_is_refused_in_words(shop: Path) -> None:
    token = shop / "bakong.token"
    token.write_text(jwt({"exp": int(time.time()) + 90 * 86400}), encoding="utf-8")
    token.chmod(0o644)
    with (shop / "counter.toml").open("a", encoding="utf-8") as fh:
        fh.write(f'token_file = "{token}"\n')
    result = counter("khqr", "5")
    assert result.returncode == 0
    assert "can be read by other users of this machine (mode 0644)" in result.stdout


def test_speaks_chinese(shop: Path) -> None:
    result = counter("khqr", "5", COUNTER_LANG="zh")
    assert result.returncode == 0, result.stderr
    assert "Pays" not in result.stdout and "lucky_phone@aclb" in result.stdout


def test_imports_no_database_code(shop: Path) -> None:
    """The command's own module and run. (`counter`'s entry point registers every command
    group, and the ledger groups import SQLAlchemy at the top: that is theirs to fix.)"""
    probe = (
        "import sys\n"
        "from counter.cli.app import app\n"
        "import counter.cli.khqr\n"
        "try:\n    app(['khqr', '5'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sqlalchemy', 'alembic', 'textual', 'reportlab', 'httpx')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
    )
    assert "Payload: 000201" in result.stdout, result.stderr
    assert result.stdout.strip().endswith("HEAVY []"), result.stdout + result.stderr


def test_the_khqr_table_is_a_nested_setting(shop: Path) -> None:
    k = load_settings().khqr
    assert (k.account_id, k.expiry_minutes, k.allow_manual_confirm) == (
        "lucky_phone@aclb",
        15,
        False,
    )
    assert k.api_url == "https://api-bakong.nbc.gov.kh"


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('api_url = "http://api-bakong.nbc.gov.kh"', "not an https address"),
        ("expiry_minutes = 0", "khqr.expiry_minutes"),
        ('colour = "red"', "unknown setting"),
        ('mcc = "59a9"', "khqr.mcc"),
    ],
)
def test_a_bad_khqr_setting_stops_the_app(counter_home: Path, line: str, words: str) -> None:
    text = "\n".join(x for x in SHOP.splitlines() if x.split(" = ")[0] != line.split(" = ")[0])
    (counter_home / "counter.toml").write_text(text + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=words):
        load_settings()
