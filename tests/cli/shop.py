"""A shop set up through the command line, for the CLI tests of tests/cli."""

from __future__ import annotations

from tests.support.cli import counter

ADMIN, ADMIN_PIN = "Sok", "1234"
CLERK, CLERK_PIN = "Dara", "5678"


def set_up_cli_shop(*, rate: int = 4000) -> None:
    """`counter init`, a clerk, and today's opening cash: the clerk may sell."""
    steps = [
        (
            (
                "init",
                "--shop-name",
                "Dara Phone",
                "--counter",
                "A",
                "--admin",
                ADMIN,
                "--admin-pin",
                ADMIN_PIN,
                "--rate",
                str(rate),
            ),
            None,
            None,
        ),
        (("users", "add", CLERK, "--role", "clerk", "--by", ADMIN), ADMIN_PIN, CLERK_PIN),
        (("opening-cash", "--usd", "0", "--khr", "0", "--clerk", CLERK), CLERK_PIN, None),
    ]
    for args, pin, new_pin in steps:
        done = counter(*args, pin=pin, new_pin=new_pin)
        assert done.returncode == 0, (args, done.stderr)
