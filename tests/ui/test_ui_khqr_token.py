"""The Bakong token's expiry said at login (issue 16), on the till's clock: a token that
expires tomorrow is a warning; one that expired yesterday also says what KHQR does
without Bakong (manual with the bank's reference when the shop allows it, else cash)."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from counter.config_khqr import KhqrSettings
from tests.payments.conftest import jwt
from tests.ui.helpers import NOW, Shop, make_app, screen_text, wait_until


def khqr(**more: object) -> KhqrSettings:
    return KhqrSettings(
        account_id="lucky_phone@aclb",
        merchant_name="Lucky Phone",
        merchant_city="Phnom Penh",
        **more,  # type: ignore[arg-type]
    )


def token(expires_in: timedelta) -> str:
    return jwt({"exp": int((NOW + expires_in).astimezone(UTC).timestamp())})


async def login_notice(settings: KhqrSettings) -> str:
    app = make_app(khqr=settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: "Sokha" in screen_text(pilot, "#login-shop"), "the shop")
        await wait_until(
            pilot, lambda: bool(screen_text(pilot, "#login-token")), "the token notice", 5
        )
        assert pilot.app.screen.query_one("#login-token").display
        return screen_text(pilot, "#login-token")


async def test_a_token_expiring_tomorrow_is_said_at_login(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BAKONG_TOKEN", token(timedelta(days=1, hours=2)))
    text = await login_notice(khqr())
    assert text.startswith("The Bakong token expires in 1 day, on ")
    assert "renew it before then" in text
    assert "Until then" not in text  # it still works today


async def test_an_expired_token_says_what_happens_to_khqr(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BAKONG_TOKEN", token(-timedelta(days=1)))
    text = await login_notice(khqr())
    assert text.startswith("The Bakong token expired on ")
    assert "Bakong cannot confirm a KHQR payment: take cash" in text

    text = await login_notice(khqr(allow_manual_confirm=True))
    assert "confirmed by hand: the bank's reference from the shop's bank app" in text


async def test_a_good_token_or_no_khqr_says_nothing(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BAKONG_TOKEN", token(timedelta(days=60)))
    for settings in (khqr(), KhqrSettings()):
        app = make_app(khqr=settings)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_until(pilot, lambda: "Sokha" in screen_text(pilot, "#login-shop"), "shop")
            await pilot.pause(0.2)
            assert screen_text(pilot, "#login-token") == ""
            assert not pilot.app.screen.query_one("#login-token").display
