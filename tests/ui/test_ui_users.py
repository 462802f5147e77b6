"""Users on the screen (Reports `u`, the palette "Users"): the list with each user's role
and state, add a clerk or supervisor, a new PIN, unlock, disable, each through the CLI's
use case with the acting person's PIN. Driven with Pilot; asserts on the ledger and words."""

from __future__ import annotations

from datetime import UTC

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from counter.domain.errors import AuthError
from counter.services import authenticate
from tests.ui.helpers import (
    ADMIN,
    ADMIN_PIN,
    CLERK,
    CLERK_PIN,
    NOW,
    SUPERVISOR,
    SUPERVISOR_PIN,
    Shop,
    audited,
    burst,
    footer_keys,
    log_in,
    make_app,
    run_command,
    screen_text,
    steady_cursor,
    type_text,
    wait_for_screen,
    wait_until,
)


def rows(pilot: Pilot[None]) -> list[list[str]]:
    table = pilot.app.screen.query_one("#users-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_users(pilot: Pilot[None]) -> None:
    await pilot.press("f10")
    await wait_for_screen(pilot, "ReportsScreen")
    await pilot.press("u")
    await wait_for_screen(pilot, "UsersScreen")
    await wait_until(pilot, lambda: len(rows(pilot)) >= 3, "the users")


async def fill(pilot: Pilot[None], *lines: str) -> None:
    """Type each line and Enter, as a person fills a form."""
    for line in lines:
        await type_text(pilot, line)
        await pilot.press("enter")


async def choose(pilot: Pilot[None], name: str) -> None:
    while rows(pilot)[pilot.app.screen.query_one(DataTable).cursor_row][0] != name:
        await pilot.press("down")


def lock_out_the_clerk(shop: Shop) -> None:
    for _ in range(10):
        with pytest.raises(AuthError) as refused:
            authenticate(shop.ledger, CLERK, "0000", now=NOW.astimezone(UTC))
        if "locked" in str(refused.value):
            return
    raise AssertionError("the clerk never locked")


async def test_an_admin_adds_a_clerk_who_can_then_log_in(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, ADMIN, ADMIN_PIN)
        await open_users(pilot)
        assert sorted(rows(pilot)) == [
            [CLERK, "clerk", "active"],
            [ADMIN, "admin", "active"],
            [SUPERVISOR, "supervisor", "active"],
        ]
        await pilot.press("a")
        await wait_for_screen(pilot, "AddUserScreen")
        for field in ("#user-new-pin", "#user-new-pin-again", "#user-acting-pin"):
            assert pilot.app.screen.query_one(field, Input).password, "a PIN is never shown"
        await fill(pilot, "Bopha", "clerk", "4321", "4321", ADMIN_PIN)
        await wait_for_screen(pilot, "UsersScreen")
        await wait_until(pilot, lambda: len(rows(pilot)) == 4, "the new user in the list")
        assert screen_text(pilot, "#users-message") == "Added Bopha (clerk)."
        assert ["Bopha", "clerk", "active"] in rows(pilot)
    bopha = authenticate(shop.ledger, "Bopha", "4321")
    assert bopha.role.value == "clerk" and bopha.active
    assert [actor for actor, _ in audited(shop, "user_added")][-1] == ADMIN


async def test_a_supervisor_unlocks_a_locked_clerk(shop: Shop) -> None:
    lock_out_the_clerk(shop)
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, SUPERVISOR, SUPERVISOR_PIN)
        await open_users(pilot)
        assert [CLERK, "clerk", "locked"] in rows(pilot)
        await choose(pilot, CLERK)
        await pilot.press("u")
        await wait_for_screen(pilot, "UnlockScreen")
        await fill(pilot, SUPERVISOR_PIN)
        await wait_for_screen(pilot, "UsersScreen")
        await wait_until(pilot, lambda: [CLERK, "clerk", "active"] in rows(pilot), "unlocked")
        assert screen_text(pilot, "#users-message") == f"{CLERK} is unlocked."
        # A supervisor may not add users: the use case's own sentence, on the form.
        await pilot.press("a")
        await wait_for_screen(pilot, "AddUserScreen")
        await fill(pilot, "Bopha", "clerk", "4321", "4321", SUPERVISOR_PIN)
        await wait_until(
            pilot,
            lambda: "only an admin can add users" in screen_text(pilot, "#form-problem"),
            "the refusal",
        )
        assert screen_text(pilot, "#form-problem") == (
            f"{SUPERVISOR} is a supervisor: only an admin can add users."
        )
    assert authenticate(shop.ledger, CLERK, CLERK_PIN).failed_attempts == 0
    assert [actor for actor, _ in audited(shop, "user_unlocked")] == [SUPERVISOR]


async def test_a_clerk_gets_no_entry_and_a_direct_call_is_refused(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        titles = [c.title for c in pilot.app.get_system_commands(pilot.app.screen)]
        assert "Users" not in titles and "Printer test" in titles
        await pilot.press("f10")
        await wait_for_screen(pilot, "ReportsScreen")
        assert "u" not in footer_keys(pilot)
        await pilot.press("u")
        await pilot.pause(0.2)
        assert type(pilot.app.screen).__name__ == "ReportsScreen"
        from counter.ui.screens.users import UsersScreen

        await pilot.app.push_screen(UsersScreen(pilot.app.till))  # type: ignore[attr-defined]
        await wait_until(
            pilot, lambda: "only" in screen_text(pilot, "#users-message"), "the refusal"
        )
        assert screen_text(pilot, "#users-message") == (
            f"{CLERK} is a clerk: only a supervisor or admin can see the users."
        )
        assert rows(pilot) == []


async def test_a_pin_mismatch_is_said_and_nothing_is_added(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, ADMIN, ADMIN_PIN)
        await open_users(pilot)
        await pilot.press("a")
        await wait_for_screen(pilot, "AddUserScreen")
        await fill(pilot, "Bopha", "clerk", "4321", "4322", ADMIN_PIN)
        await wait_until(
            pilot, lambda: "not the same" in screen_text(pilot, "#form-problem"), "the mismatch"
        )
        assert screen_text(pilot, "#form-problem") == (
            "The two new PINs are not the same: type the new PIN twice again."
        )
        assert pilot.app.screen.focused is pilot.app.screen.query_one("#user-new-pin")
    assert all("Bopha" not in detail for _, detail in audited(shop, "user_added"))


async def test_disable_asks_first_then_disables(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, ADMIN, ADMIN_PIN)
        await run_command(pilot, "Users")  # the palette's entry, from the sale screen
        await wait_for_screen(pilot, "UsersScreen")
        await wait_until(pilot, lambda: len(rows(pilot)) == 3, "the users")
        await choose(pilot, CLERK)
        await pilot.press("d")
        await wait_for_screen(pilot, "DisableScreen")
        assert screen_text(pilot, "#user-form-intro").startswith(f"Disable {CLERK}?")
        await pilot.press("escape")  # keeps the account
        await wait_for_screen(pilot, "UsersScreen")
        assert [CLERK, "clerk", "active"] in rows(pilot)
        await pilot.press("d")
        await wait_for_screen(pilot, "DisableScreen")
        await fill(pilot, ADMIN_PIN)
        await wait_for_screen(pilot, "UsersScreen")
        await wait_until(pilot, lambda: [CLERK, "clerk", "disabled"] in rows(pilot), "disabled")
    with pytest.raises(AuthError, match="disabled"):
        authenticate(shop.ledger, CLERK, CLERK_PIN)


async def _users_screen(pilot: Pilot[None]) -> None:
    await log_in(pilot, ADMIN, ADMIN_PIN)
    await open_users(pilot)
    steady_cursor(pilot)
    await pilot.pause(0.1)


def test_users_screen_snapshot(shop: Shop, snap_compare) -> None:  # type: ignore[no-untyped-def]
    lock_out_the_clerk(shop)
    assert snap_compare(make_app(), run_before=_users_screen, terminal_size=(80, 24))


async def test_the_add_form_typed_as_one_burst_adds_the_user(shop: Shop) -> None:
    """A fast typist (or a paste) fills the whole form in one read: each line lands in its
    field, in order, and the PIN check sees the last one."""
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, ADMIN, ADMIN_PIN)
        await open_users(pilot)
        burst(pilot, f"aBopha\rsupervisor\r4321\r4321\r{ADMIN_PIN}\r")
        await wait_until(pilot, lambda: len(rows(pilot)) == 4, "the new user in the list")
        assert screen_text(pilot, "#users-message") == "Added Bopha (supervisor)."
    assert authenticate(shop.ledger, "Bopha", "4321").role.value == "supervisor"


async def test_an_admin_sets_a_clerks_new_pin(shop: Shop) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot, ADMIN, ADMIN_PIN)
        await open_users(pilot)
        await choose(pilot, CLERK)
        await pilot.press("n")
        await wait_for_screen(pilot, "NewPinScreen")
        await fill(pilot, "9753", "9753", "0000")  # a wrong PIN of the admin first
        await wait_until(
            pilot, lambda: "do not match" in screen_text(pilot, "#form-problem"), "the refusal"
        )
        await pilot.press("tab")  # focus is back on the new PIN: on to the acting PIN
        await pilot.press("tab")
        await fill(pilot, ADMIN_PIN)
        await wait_for_screen(pilot, "UsersScreen")
        assert screen_text(pilot, "#users-message") == f"New PIN set for {CLERK}."
    assert authenticate(shop.ledger, CLERK, "9753").name == CLERK
    with pytest.raises(AuthError):
        authenticate(shop.ledger, CLERK, CLERK_PIN)
