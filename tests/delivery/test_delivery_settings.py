"""`[delivery]` in counter.toml: one channel per operator, the modem and the API; bad values refused in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter import delivery
from counter.config import SettingsError, load_settings
from counter.delivery.base import AssumedChannel, ManualChannel
from counter.delivery.dtone import SANDBOX_URL, DtOneChannel, DtOneOptions
from counter.delivery.modem import ModemChannel, ModemOptions
from counter.delivery.secrets import Secret, read_secret
from counter.domain.delivery import ChannelError
from tests.delivery.conftest import private_file

GOOD = r"""
[delivery]
cellcard = "manual"
smart = "modem"
metfone = "api"

[delivery.modem]
port = "/dev/ttyUSB0"
sms_wait_seconds = 90
pin_file = "/home/shop/.dealer-pin"

[delivery.modem.smart]
ussd_template = "*100*{number}*{amount}*{pin}#"
balance_code = "*101*{pin}#"
success = 'Transfer of \$(?P<amount>[\d.]+) to (?P<number>\d+) successful\. Ref (?P<ref>\w+)'
low_balance = ["insufficient balance", "solde insuffisant"]
sms_senders = ["Smart"]

[delivery.api]
sandbox = true
deadline_minutes = 20
operators = { metfone = 2273 }
"""


def _write(home: Path, text: str) -> None:
    (home / "counter.toml").write_text(text, encoding="utf-8")


def test_a_shop_that_says_nothing_keeps_assumed(counter_home: Path) -> None:
    settings = load_settings()
    assert settings.delivery.channel_for("smart") == "assumed"
    assert settings.delivery.modem is None and settings.delivery.api is None


def test_channels_per_operator_and_their_options(counter_home: Path) -> None:
    _write(counter_home, GOOD)
    found = load_settings().delivery
    assert [found.channel_for(op) for op in ("cellcard", "smart", "metfone", "seatel")] == [
        "manual",
        "modem",
        "api",
        "assumed",
    ]
    assert found.modem is not None and found.api is not None
    modem = ModemOptions.from_mapping(found.modem.model_dump())
    assert modem.sms_wait_seconds == 90 and modem.pin_file == Path("/home/shop/.dealer-pin")
    assert modem.operators["smart"].low_balance == ("insufficient balance", "solde insuffisant")
    assert modem.operators["smart"].success[0].startswith("Transfer of")
    api = DtOneOptions.from_mapping(found.api.model_dump())
    assert api.url == SANDBOX_URL and api.operators == {"metfone": 2273}
    assert isinstance(delivery.open_channel("modem", modem=modem), ModemChannel)
    assert isinstance(delivery.open_channel("api", api=api), DtOneChannel)
    assert isinstance(delivery.open_channel("manual"), ManualChannel)
    assert isinstance(delivery.open_channel("assumed"), AssumedChannel)
    with pytest.raises(ChannelError, match="modem is not set up"):
        delivery.open_channel("modem")


def test_the_environment_can_set_the_channels(
    counter_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTER_DELIVERY", '{"cellcard": "manual", "default": "assumed"}')
    assert load_settings().delivery.channel_for("cellcard") == "manual"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[delivery]\ncellcard = "pigeon"', "cellcard = 'pigeon' is not a delivery channel"),
        ('[delivery]\ndefault = "fax"', "'fax' is not a delivery channel"),
        ('[delivery]\nSmart = "manual"', "'Smart' is not an operator id"),
        ('[delivery]\nsmart = "api"', "[delivery.api] is missing"),
        (
            '[delivery]\nsmart = "modem"\n[delivery.modem]\nport = "/dev/ttyUSB0"',
            "has no codes for them",
        ),
        ('[delivery.modem]\nport = "/dev/x"\nprot = 3', "prot: unknown setting"),
        ('[delivery.modem]\nport = "/dev/x"\nbaudrate = 1234', "delivery.modem.baudrate"),
        (
            '[delivery.modem]\nport = "/dev/x"\n[delivery.modem.smart]\nussd_template = "*1*{phone}#"\nsuccess = "ok"',
            "a template may use only {number}, {amount} and {pin}",
        ),
        (
            '[delivery.modem]\nport = "/dev/x"\n[delivery.modem.smart]\nussd_template = "*1*{number}*{amount}#"\nsuccess = "(ok"',
            "is not a valid pattern",
        ),
        (
            '[delivery.modem]\nport = "/dev/x"\n[delivery.modem.smart]\nussd_template = "*1*{number}*{amount}#"\nsuccess = []',
            "at least one pattern for a successful top-up",
        ),
        (
            '[delivery.modem]\nport = "/dev/x"\n[delivery.modem.smart]\nussd_template = "*1*{number}*{amount}#"\nsuccess = "ok"\nbalance_code = "*1*\\"#"',
            "is not a USSD code",
        ),
        ('[delivery.api]\nbase_url = "http://api.example.com/v1"', "must start with https://"),
        ("[delivery.api]\npoll_schedule_seconds = [60, 2]", "no shorter than the last"),
        ('[delivery.api]\nprovider = "reloadly"', "delivery.api.provider"),
        ("[delivery.api]\nrequest_timeout_seconds = 0", "delivery.api.request_timeout_seconds"),
    ],
)
def test_bad_values_are_refused_in_words(counter_home: Path, text: str, words: str) -> None:
    _write(counter_home, text)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    message = str(refused.value)
    assert words in message
    assert "COUNTER_DELIVERY" in message and "Traceback" not in message


def test_secrets_are_masked_and_read_from_a_private_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = Secret("12345")
    assert "12345" not in repr(secret) and "12345" not in f"{secret}"
    assert secret.scrub("code *1*12345#") == "code *1*****#"
    monkeypatch.setenv("COUNTER_TEST_PIN", " 777 ")
    assert read_secret("dealer PIN", "COUNTER_TEST_PIN", None).reveal() == "777"
    monkeypatch.delenv("COUNTER_TEST_PIN")
    with pytest.raises(ChannelError, match="The dealer PIN is not set"):
        read_secret("dealer PIN", "COUNTER_TEST_PIN", None)
    with pytest.raises(ChannelError, match="cannot be read"):
        read_secret("dealer PIN", None, tmp_path / "missing")
    empty = private_file(tmp_path / "empty", "\n")
    with pytest.raises(ChannelError, match="is empty"):
        read_secret("dealer PIN", None, empty)
    assert (
        read_secret("dealer PIN", None, private_file(tmp_path / "pin", "2468\n")).reveal() == "2468"
    )
