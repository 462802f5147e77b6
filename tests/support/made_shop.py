"""A shop made once per test module and copied into each test's COUNTER_HOME, and the
child `counter` processes the kill tests start and SIGKILL.

Setting a shop up through the CLI takes seconds on a busy machine; the tests that only
need one as a starting point make it once (`make_once`) and copy it (`copy_into`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.system import INFRA_ENV

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def home_for_making(made: Path) -> Iterator[pytest.MonkeyPatch]:
    """COUNTER_HOME at `made`, no COUNTER_* of the machine, the quick PIN hashes."""
    with pytest.MonkeyPatch.context() as patch:
        for key in [k for k in os.environ if k.startswith("COUNTER_") and k not in INFRA_ENV]:
            patch.delenv(key)
        patch.setenv("COUNTER_HOME", str(made))
        patch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
        yield patch


def copy_into(made: Path, counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The made shop, copied as it is (links kept) into this test's COUNTER_HOME."""
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    shutil.copytree(made, counter_home, dirs_exist_ok=True, symlinks=True)
    return counter_home


def start_counter(*args: str, **env: str) -> subprocess.Popen[bytes]:
    """`python -m counter ARGS` in its own process, with this process's environment."""
    return subprocess.Popen(
        [sys.executable, "-m", "counter", *args],
        env=dict(os.environ, PYTHONPATH=str(REPO), **env),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def kill_when(
    child: subprocess.Popen[bytes], ready: Callable[[], bool], sig: int = signal.SIGKILL
) -> bool:
    """SIGKILL the child as soon as `ready()` (or send `sig`: SIGSTOP pauses it); False if
    it finished first."""
    deadline = time.monotonic() + 120
    while not ready():
        if child.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    child.send_signal(sig)
    if sig == signal.SIGKILL:
        child.wait()
    return True
