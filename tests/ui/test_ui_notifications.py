"""A notification never covers the form's fields or the status line: up to 95 columns the
notifications are laid out above the form (which gives way), not floated over it."""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast

from tests.ui.helpers import (
    Shop,
    log_in,
    make_app,
    screen_lines,
    set_up_shop,
    type_text,
    wait_until,
)

SIZES = [(60, 20), (80, 24), (100, 30)]
NOTICE = "The receipt printer is out of paper: load a roll."


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_notification_covers_no_field_and_not_the_status_line(
    screen_home: object, size: tuple[int, int]
) -> None:
    shop: Shop = set_up_shop(opening_cash=False)
    try:
        app = make_app()
        async with app.run_test(size=size, notifications=True) as pilot:
            await log_in(pilot)
            await type_text(pilot, "012345678")
            app.notify(NOTICE, timeout=30)
            app.notify("A second notice, to stack two of them.", timeout=30)
            await wait_until(pilot, lambda: len(app.screen.query(Toast)) >= 2, "the notices")
            await pilot.pause(0.2)

            screen = app.screen
            covered = [
                screen.query_one("#number").region,
                screen.query_one("#amount").region,
                screen.query_one("#status").region,
                screen.query_one("#shop-bar").region,
            ]
            toasts = list(screen.query(Toast))
            for toast in toasts:
                assert toast.region.height > 0
                for region in covered:
                    assert not toast.region.overlaps(region), f"{toast.region} over {region}"
            rows = screen_lines(pilot)
            first = next(t for t in toasts if NOTICE in str(t.render()))
            box = first.region
            inside = " ".join(row[box.x : box.right] for row in rows[box.y : box.bottom])
            assert NOTICE in " ".join(
                inside.replace("▌", " ").split()
            )  # whole on screen, not under a bar
            assert "012345678" in " ".join(rows)  # and the number typed still shows
    finally:
        shop.ledger.close()
