#!/usr/bin/env python3
"""Benchmark the counter screen: start-up to a ready login, and confirm key to "Sold".

1. Start-up: the real `counter` command in a real terminal (tmux, 100x30; `--terminal pty`
   for a bare pseudo-terminal), from its start until the login screen's text is on the
   terminal, against a minimal Textual app started the same way in the same run
   (alternating, median of N). Goal: ratio at most 1.5.
2. Confirm -> Sold: the app driven headless (Pilot) on a fresh ledger, printing off
   (`printer = "none"`), from the confirming Enter (posted as the terminal driver posts it)
   until the status line says "Sold" (Textual paints it on its next frame, within ~17 ms).
   Goal: median under 100 ms.

Run: .venv/bin/python scripts/bench_startup.py [--runs 7] [--sales 20]
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import itertools
import os
import pty
import select
import shlex
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("Minimal app ready")

Minimal().run()
"""


def time_to_text(argv: list[str], text: bytes, env: dict[str, str], timeout: float = 20) -> float:
    """Seconds from starting `argv` in a 100x30 pty until `text` appears in its output."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen = b""
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
                if text in seen:
                    return time.perf_counter() - start
        raise RuntimeError(f"{text!r} did not appear within {timeout}s in {argv[0]}")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)


_SERVERS = itertools.count()


def time_in_tmux(argv: list[str], text: str, env: dict[str, str], timeout: float = 20) -> float:
    """Seconds from starting `argv` in a 100x30 tmux window until `text` is on its screen."""
    tmux = shutil.which("tmux")
    assert tmux is not None, "tmux is not installed: use --terminal pty"
    # A new server each time: a kill-server returns before the old one is gone, and a
    # new session on its socket would meet a dying server.
    socket = f"counter-bench-{os.getpid()}-{next(_SERVERS)}"
    exports = [f"{k}={v}" for k, v in env.items() if k.startswith("COUNTER_") or k == "PATH"]
    command = shlex.join(["env", *exports, *argv])
    base = [tmux, "-L", socket]
    start = time.perf_counter()
    subprocess.run(
        [*base, "new-session", "-d", "-s", "bench", "-x", "100", "-y", "30", command],
        env=env,
        check=True,
    )
    try:
        while time.perf_counter() - start < timeout:
            shown = subprocess.run(
                [*base, "capture-pane", "-p", "-t", "bench"], capture_output=True, text=True
            ).stdout
            if text in shown:
                return time.perf_counter() - start
            time.sleep(0.005)
        raise RuntimeError(f"{text!r} did not appear within {timeout}s in {argv[0]}")
    finally:
        subprocess.run([*base, "kill-server"], capture_output=True, check=False)
        folder = Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"
        (folder / socket).unlink(missing_ok=True)


def startup(runs: int, terminal: str = "tmux") -> tuple[list[float], list[float]]:
    home = Path(tempfile.mkdtemp(prefix="counter-bench-"))
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("COUNTER_") and k not in ("COLUMNS", "LINES")
    }
    env.update(COUNTER_HOME=str(home), TERM="xterm-256color")
    counter = str(Path(sys.executable).with_name("counter"))
    subprocess.run(
        [
            counter,
            "init",
            "--shop-name",
            "Bench Shop",
            "--counter",
            "A",
            "--admin",
            "Sok",
            "--admin-pin",
            "1234",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    script = home / "minimal_app.py"
    script.write_text(MINIMAL_APP)
    ours, minimal = [], []
    try:
        for _ in range(runs):
            if terminal == "tmux":
                minimal.append(
                    time_in_tmux([sys.executable, str(script)], "Minimal app ready", env)
                )
                ours.append(time_in_tmux([counter], "Your name", env))
                continue
            minimal.append(time_to_text([sys.executable, str(script)], b"Minimal app ready", env))
            # "Your name" is drawn once the login screen is mounted and focused.
            ours.append(time_to_text([counter], b"Your name", env))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return ours, minimal


async def confirm_to_sold(sales: int) -> list[float]:
    home = tempfile.mkdtemp(prefix="counter-bench-")
    os.environ["COUNTER_HOME"] = home
    os.environ["COUNTER_PIN_HASH_PROFILE"] = "test"
    from datetime import datetime

    from textual import events

    from counter.bootstrap import init_shop
    from counter.config import load_settings
    from counter.services import authenticate, record_opening_cash
    from counter.ui.app import CounterApp

    ledger = init_shop(
        load_settings(),
        shop_name="Bench Shop",
        counter_code="A",
        admin_name="Sok",
        admin_pin="1234",
    )
    # The day's opening cash is entered up front, so login goes straight to the sale screen.
    today = datetime.now(ledger.zone).date()
    record_opening_cash(ledger, today, "A", 0, 0, by=authenticate(ledger, "Sok", "1234"))
    ledger.close()
    app = CounterApp(load_settings(printer="none", duplicate_window_seconds=0))
    timings: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:

        async def until(check, what: str) -> None:  # type: ignore[no-untyped-def]
            for _ in range(2000):
                if check():
                    return
                await asyncio.sleep(0.001)
            raise RuntimeError(f"no {what}")

        await until(lambda: type(app.screen).__name__ == "LoginScreen", "login")
        await pilot.press(*"Sok", "enter", *"1234", "enter")
        await until(lambda: type(app.screen).__name__ == "SaleScreen", "sale screen")
        sale_screen = app.screen
        status = sale_screen.query_one("#status")
        for index in range(sales):
            await pilot.press(*f"0102{index:05d}", "enter", "5", "enter")
            await until(lambda: type(app.screen).__name__ == "ConfirmSaleScreen", "confirmation")
            receipt = f"Sold A-{index + 1:06d}"
            await pilot.pause(0.05)
            # The key goes in as the terminal driver sends it (Pilot.press would also wait
            # for the screen to settle, which is not what the clerk waits for).
            start = time.perf_counter()
            app.post_message(events.Key("enter", "\r"))
            await until(lambda receipt=receipt: receipt in str(status.render()), receipt)
            timings.append(time.perf_counter() - start)
    shutil.rmtree(home, ignore_errors=True)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sales", type=int, default=20)
    parser.add_argument(
        "--terminal",
        choices=("tmux", "pty"),
        default="tmux" if shutil.which("tmux") else "pty",
        help="tmux (a real terminal; the default when installed) or a bare pseudo-terminal",
    )
    args = parser.parse_args()

    ours, minimal = startup(args.runs, args.terminal)
    ours_ms, minimal_ms = statistics.median(ours) * 1000, statistics.median(minimal) * 1000
    print(
        f"start-up in {args.terminal}, median of {args.runs}: counter to login {ours_ms:.0f} ms, "
        f"minimal Textual app {minimal_ms:.0f} ms, ratio {ours_ms / minimal_ms:.2f} (goal <= 1.5)"
    )
    print(f"  counter runs (ms): {', '.join(f'{t * 1000:.0f}' for t in ours)}")
    print(f"  minimal runs (ms): {', '.join(f'{t * 1000:.0f}' for t in minimal)}")

    sold = asyncio.run(confirm_to_sold(args.sales))
    ms = sorted(t * 1000 for t in sold)
    print(
        f"confirm -> Sold, {len(ms)} sales, printing off: median {statistics.median(ms):.1f} ms, "
        f"max {ms[-1]:.1f} ms (goal median < 100 ms)"
    )


if __name__ == "__main__":
    main()
