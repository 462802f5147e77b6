"""The display's server over real loopback HTTP: what a page receives, when, and what is refused.

The server runs in its own thread exactly as the app runs it; the tests are the browser
side, with aiohttp's client reading the event stream as EventSource does.
"""

from __future__ import annotations

import base64
import hashlib
import re
import socket
import threading
import time
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from counter.domain.display import DisplayState, parse_display_address
from counter.domain.errors import DisplayError
from counter.domain.money import Money
from counter.i18n import set_language
from counter.rules import load_rules
from counter.web.display import CustomerDisplay
from tests.web.helpers import SHOP, Events, events_of, running_display

NOW = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
PAYLOAD = "00020101021229180014dara_sok@aclb5204599953038405405 5.005802KH5913Sok Dara Shop6010Phnom Penh6304ABCD"


@pytest.fixture(scope="module")
def smart():  # type: ignore[no-untyped-def]
    return load_rules()["smart"]


@pytest.fixture(autouse=True)
def english_afterwards():  # type: ignore[no-untyped-def]
    yield
    set_language("en")


def typed(national: str, **more: object) -> DisplayState:
    return DisplayState.typing(SHOP, national=national, **more)  # type: ignore[arg-type]


async def test_a_page_gets_the_state_now_and_each_change(smart) -> None:  # type: ignore[no-untyped-def]
    with running_display() as display:
        async with (
            aiohttp.ClientSession() as http,
            http.get(display.address.url + "events") as response,
        ):
            assert response.headers["Content-Type"] == "text/event-stream; charset=utf-8"
            events = Events(response)
            assert await events.next() == {"stage": "idle", "shop": SHOP}
            assert events.retry == 1000
            display.show(
                typed("010234567", operator=smart, amount=Money.usd(500), validity_days=30)
            )
            assert await events.next() == {
                "stage": "typing",
                "shop": SHOP,
                "number": "010 234 567",
                "operator": {"name": "Smart", "colour": "#5BB946"},
                "amount": "$5.00",
                "validity_days": 30,
            }
            display.show(typed("0102", amount=Money.khr(20_000)))
            event = await events.next()
            assert (event["number"], event["operator"], event["amount"]) == (
                "010 2",
                None,
                "20,000៛",
            )


async def test_khqr_sends_the_code_as_a_picture_and_the_seconds_it_has_left(smart) -> None:  # type: ignore[no-untyped-def]
    with running_display(clock=lambda: NOW) as display:
        async with events_of(display) as events:
            await events.next()
            sale = typed("010234567", operator=smart, amount=Money.usd(500))
            display.show(
                sale.paying_by_khqr(PAYLOAD, Money.khr(20_000), NOW + timedelta(minutes=5))
            )
            event = await events.next()
    khqr = event["khqr"]
    assert isinstance(khqr, dict)
    assert (event["stage"], event["number"], khqr["amount"], khqr["seconds_left"]) == (
        "khqr",
        "010 234 567",
        "20,000៛",
        300,
    )
    prefix = "data:image/svg+xml;base64,"
    assert khqr["qr"].startswith(prefix)
    svg = base64.b64decode(khqr["qr"][len(prefix) :]).decode("utf-8")
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))  # type: ignore[union-attr]
    assert f'<rect width="{size}" height="{size}" fill="#fff"/>' in svg
    assert '<path fill="#000" d="M4 4h7' in svg  # the finder pattern, after 4 modules of quiet zone
    assert PAYLOAD not in event.__repr__().replace(
        khqr["qr"], ""
    )  # the payload goes as a picture only


async def test_a_burst_of_keys_reaches_the_page_as_its_last_state() -> None:
    with running_display() as display:
        async with events_of(display) as events:
            await events.next()
            # Hold the server's loop busy, as a slow moment would, while 500 keys arrive.
            display._loop.call_soon_threadsafe(time.sleep, 0.3)  # type: ignore[union-attr]
            digits = "0123456789" * 50
            for n in range(1, 501):
                display.show(typed(digits[: n % 15 + 1]))
            assert (await events.next())["number"] == typed(digits[: 500 % 15 + 1]).number
            display.show(DisplayState.idle(SHOP))
            assert (await events.next())["stage"] == "idle"  # nothing queued in between


async def test_shows_from_several_threads_end_on_the_last_one() -> None:
    with running_display() as display:
        async with events_of(display) as events:
            await events.next()

            def typist(first_digit: str) -> None:
                for n in range(200):
                    display.show(typed(first_digit + str(n).zfill(3)))

            threads = [threading.Thread(target=typist, args=(str(d),)) for d in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            display.show(typed("012345678"))
            seen = await events.next()
            while seen["number"] != "012 345 678":
                seen = await events.next()


async def test_thank_you_goes_back_to_idle_by_itself() -> None:
    with running_display(hold_seconds=0.3) as display:
        async with events_of(display) as events:
            await events.next()
            display.show(DisplayState.thanks(SHOP, "A-000042"))
            shown = time.perf_counter()
            assert await events.next() == {
                "stage": "thanks",
                "shop": SHOP,
                "receipt_no": "A-000042",
                "hold_seconds": 0.3,
            }
            assert await events.next() == {"stage": "idle", "shop": SHOP}
            assert 0.25 < time.perf_counter() - shown < 5  # not before its hold, then by itself


async def test_a_page_opened_later_sees_only_the_sale_in_progress() -> None:
    with running_display(hold_seconds=0.1) as display:
        display.show(typed("012345678", amount=Money.usd(500)))
        display.show(DisplayState.thanks(SHOP, "A-000042"))
        time.sleep(0.3)
        async with events_of(display) as events:
            assert await events.next() == {"stage": "idle", "shop": SHOP}


async def test_every_answer_tells_the_browser_to_keep_no_copy() -> None:
    with running_display() as display:
        async with aiohttp.ClientSession() as http:
            for path in ("", "ping", "nothing-here"):
                async with http.get(display.address.url + path) as response:
                    assert response.headers["Cache-Control"] == "no-store", path
            async with http.get(display.address.url + "events") as response:
                assert response.headers["Cache-Control"] == "no-store"


async def test_the_page_is_one_file_that_loads_nothing_from_elsewhere() -> None:
    with running_display() as display:
        async with aiohttp.ClientSession() as http, http.get(display.address.url) as response:
            html = await response.text()
            policy = response.headers["Content-Security-Policy"]
    assert response.content_type == "text/html"
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    script = re.search(r"<script>(.*?)</script>", html, re.DOTALL).group(1)  # type: ignore[union-attr]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert len(html.encode()) < 16_000


@pytest.mark.parametrize(
    ("language", "not_found", "no_orders"),
    [
        (
            "en",
            "This address is not part of the customer's display: open {url}.",
            "The customer's display only shows the sale; it takes no orders.",
        ),
        (
            "zh",
            "此网址不属于顾客显示屏：请打开 {url}。",
            "顾客显示屏只显示当前交易，不接受任何操作。",
        ),
    ],
)
async def test_anything_else_is_refused_in_words(
    language: str, not_found: str, no_orders: str
) -> None:
    set_language(language)
    with running_display() as display:
        url = display.address.url
        async with aiohttp.ClientSession() as http:
            async with http.get(url + "admin") as response:
                assert response.status == 404
                assert await response.text() == not_found.format(url=url) + "\n"
            async with http.post(url + "events", data=b"x") as response:
                assert response.status == 405
                assert await response.text() == no_orders + "\n"


async def test_a_request_for_another_host_name_is_refused() -> None:
    with running_display() as display:
        url = display.address.url
        async with (
            aiohttp.ClientSession() as http,
            http.get(
                url + "events", headers={"Host": f"evil.example:{display.address.port}"}
            ) as response,
        ):
            assert response.status == 421
            assert f"This page is served only at {url}." in await response.text()
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://localhost:{display.address.port}/ping") as response,
        ):
            assert response.status == 204


def test_it_listens_only_where_it_is_told() -> None:
    with running_display("127.0.0.2:0") as display:
        assert display.address.host == "127.0.0.2"
        with socket.create_connection(("127.0.0.2", display.address.port), timeout=1):
            pass
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", display.address.port), timeout=1)


def test_a_port_in_use_is_refused_in_words() -> None:
    with running_display() as first:
        taken = str(first.address)
        with pytest.raises(DisplayError) as refused, running_display(taken):
            pass
    assert refused.value.message == (
        f"The customer's display cannot listen at {taken}: "
        f"another program already uses port {first.address.port}."
    )


def test_an_address_this_machine_does_not_have_is_refused_in_words() -> None:
    # TEST-NET-1 (RFC 5737): on no machine's interfaces; binding sends nothing.
    with pytest.raises(DisplayError) as refused, running_display("192.0.2.1:8765"):
        pass
    assert refused.value.message == (
        "The customer's display cannot listen at 192.0.2.1:8765: "
        "this machine has no network address 192.0.2.1."
    )


async def test_stop_ends_the_streams_at_once_and_frees_the_port() -> None:
    display = CustomerDisplay(
        parse_display_address("127.0.0.1:0", any_port=True), DisplayState.idle(SHOP)
    ).start()
    async with events_of(display) as events:
        await events.next()
        began = time.perf_counter()
        await_stop = threading.Thread(target=display.stop)
        await_stop.start()
        assert await events.ended(timeout=2)
        await_stop.join()
        assert time.perf_counter() - began < 5  # stops at once, not after a client's timeout
    assert not display.running
    display.show(typed("012"))  # the app may still call it while it stops: no error
    with running_display(str(display.address)) as again:
        assert again.address == display.address


async def test_what_was_shown_before_start_is_what_the_page_first_sees() -> None:
    display = CustomerDisplay(
        parse_display_address("127.0.0.1:0", any_port=True), DisplayState.idle(SHOP)
    )
    display.show(typed("012"))
    with display.start():
        async with events_of(display) as events:
            assert (await events.next())["number"] == "012"


def test_the_server_thread_never_keeps_the_app_alive() -> None:
    # Another test of this worker may still be stopping its own display: look at ours only.
    before = {t for t in threading.enumerate() if t.name == "customer-display"}
    with running_display():
        (thread,) = [
            t for t in threading.enumerate() if t.name == "customer-display" and t not in before
        ]
        assert thread.daemon
    assert not thread.is_alive()


async def test_an_expired_code_is_never_sent() -> None:
    clock = [NOW]
    with running_display(clock=lambda: clock[0]) as display:
        async with events_of(display) as events:
            await events.next()
            code = typed("010234567").paying_by_khqr(
                PAYLOAD, Money.usd(500), NOW + timedelta(minutes=5)
            )
            clock[0] = NOW + timedelta(minutes=5)
            display.show(code)
            event = await events.next()
    assert event["khqr"] == {"qr": None, "amount": "$5.00", "seconds_left": 0}
