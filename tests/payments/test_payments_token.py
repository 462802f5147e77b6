"""The Bakong token: where it comes from, a file only its owner may read, and its expiry
said in words before Bakong starts refusing it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from counter.i18n import use_language
from counter.payments.errors import BakongTokenMissing, BakongTokenUnsafe
from counter.payments.token import BakongToken, expiry_notice, load_token, token_expiry
from tests.payments.conftest import TOKEN, jwt

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def private_file(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "bakong.token"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_the_environment_variable_wins(tmp_path: Path) -> None:
    file = private_file(tmp_path, "from-the-file")
    token = load_token(env_name="BAKONG_TOKEN", file=file, environ={"BAKONG_TOKEN": f" {TOKEN}\n"})
    assert token.value == TOKEN
    assert token.source == "the environment variable BAKONG_TOKEN"


def test_a_private_file_is_read(tmp_path: Path) -> None:
    file = private_file(tmp_path, TOKEN + "\n")
    token = load_token(env_name="BAKONG_TOKEN", file=file, environ={})
    assert token.value == TOKEN
    assert token.source == f"the file {file}"
    assert token.expires_at == datetime(2026, 2, 22, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_file_others_can_read_is_refused(tmp_path: Path, mode: int) -> None:
    file = private_file(tmp_path, TOKEN, mode)
    with pytest.raises(
        BakongTokenUnsafe, match=f"other users of this machine \\(mode {mode:04o}\\)"
    ):
        load_token(env_name="BAKONG_TOKEN", file=file, environ={})


def test_no_token_anywhere_is_said(tmp_path: Path) -> None:
    with pytest.raises(BakongTokenMissing, match="BAKONG_TOKEN is empty and no file is set"):
        load_token(env_name="BAKONG_TOKEN", file=None, environ={"BAKONG_TOKEN": "  "})
    with pytest.raises(BakongTokenMissing, match="does not exist"):
        load_token(env_name="BAKONG_TOKEN", file=tmp_path / "none", environ={})
    with pytest.raises(BakongTokenMissing, match="is not a file"):
        load_token(env_name=None, file=tmp_path, environ={})
    with pytest.raises(BakongTokenMissing, match="is empty"):
        load_token(env_name=None, file=private_file(tmp_path, "\n"), environ={})


def test_a_token_with_spaces_is_not_a_token(tmp_path: Path) -> None:
    with pytest.raises(BakongTokenMissing, match="not a token"):
        load_token(env_name="T", file=None, environ={"T": "two words"})


def test_the_token_is_not_in_its_repr() -> None:
    token = load_token(env_name="T", file=None, environ={"T": TOKEN})
    assert TOKEN not in repr(token) and TOKEN not in str(token)


def test_expiry_is_read_from_the_jwt_without_verifying() -> None:
    assert token_expiry(jwt({"exp": 1800000000})) == datetime(2027, 1, 15, 8, 0, tzinfo=UTC)
    assert token_expiry("not-a-jwt") is None
    assert token_expiry("a.!!!.c") is None
    assert token_expiry(jwt({"iat": 1})) is None
    assert token_expiry(jwt({"exp": "soon"})) is None


def _expiring(at: datetime) -> BakongToken:
    return BakongToken(value="x", source="the file t", expires_at=at)


@pytest.mark.parametrize(
    ("left", "words"),
    [
        (timedelta(days=-2), "The Bakong token expired on 11/29/26, 9:00 AM: Bakong will refuse"),
        (timedelta(hours=5), "expires within a day, on 12/1/26, 2:00 PM: renew it now"),
        (timedelta(days=1, hours=2), "expires in 1 day, on 12/2/26, 11:00 AM"),
        (timedelta(days=5), "expires in 5 days, on 12/6/26, 9:00 AM: renew it before then"),
        (timedelta(days=14), "expires in 14 days"),
    ],
)
def test_the_expiry_is_said_before_it_bites(left: timedelta, words: str) -> None:
    notice = expiry_notice(_expiring(NOW + left), NOW)
    assert notice is not None
    assert words in notice.replace("\u202f", " ")  # Babel puts a narrow space before AM/PM


def test_a_token_far_from_expiry_needs_no_notice() -> None:
    assert expiry_notice(_expiring(NOW + timedelta(days=15)), NOW) is None
    assert expiry_notice(BakongToken("x", "t", None), NOW) is None


def test_the_notice_speaks_chinese() -> None:
    with use_language("zh"):
        notice = expiry_notice(_expiring(NOW + timedelta(days=3)), NOW)
    assert notice is not None and "3" in notice and "Bakong" in notice and "token" not in notice
