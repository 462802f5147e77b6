"""A GSM modem stand-in on a pseudo-terminal, speaking AT commands with scripted answers.

The channel under test opens the slave side with real pyserial, exactly as it opens
`/dev/ttyUSB0`; this thread sits on the master side and answers like a modem does
(ITU-T V.250 framing: the command echoed until `ATE0`, each response between CR LF;
`+CUSD:` per 3GPP TS 27.007 §7.15; SMS text mode per TS 27.005 with `AT+CSDH=1`).
It counts every command, so a test can prove a USSD code was sent once, or never.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import threading
import time
import tty
from collections.abc import Callable
from dataclasses import dataclass, field

# What the modem does with a USSD code: lines to send after OK, each after a delay (s).
UssdScript = list[tuple[float, bytes]]
_CUSD = re.compile(r'^AT\+CUSD=1,"([^"]*)"(?:,(\d+))?$')
_CMGR = re.compile(r"^AT\+CMGR=(\d+)$")
_CMGD = re.compile(r"^AT\+CMGD=(\d+)(?:,\d+)?$")


def cusd(text: str, status: int = 0, dcs: int = 15) -> bytes:
    return f'+CUSD: {status},"{text}",{dcs}'.encode()


@dataclass
class Sms:
    sender: str
    body: str  # as the modem shows it in text mode (UCS2 messages as hex)
    scts: str = "26/11/25,14:03:12+28"  # 2026-11-25 07:03:12 UTC
    dcs: int = 0
    read: bool = False


@dataclass
class FakeModem:
    """Answers AT commands on a pty until `close()`."""

    on_ussd: Callable[[str], UssdScript] = lambda code: [(0.05, cusd("OK"))]
    silent: bool = False  # answers nothing at all (a modem that hung)
    commands: list[str] = field(default_factory=list)
    sms: dict[int, Sms] = field(default_factory=dict)
    ussd_open: int = 0  # USSD codes sent whose scripted answer is not written yet
    most_ussd_open: int = 0  # the most at once: a modem takes one request at a time

    def __post_init__(self) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)
        self.echo = True
        self._lock = threading.Lock()
        self._due: list[tuple[float, bytes]] = []
        self._actions: list[tuple[float, Callable[[], None]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fake-modem", daemon=True)
        self._thread.start()

    # -- what a test does -------------------------------------------------------------------

    def ussd_codes(self) -> list[str]:
        return [c for c in self.commands if c.startswith("AT+CUSD=1")]

    def deliver_sms(self, index: int, message: Sms, after: float = 0.0) -> None:
        """Store an SMS and announce it with `+CMTI`, `after` seconds from now."""

        def arrive() -> None:
            self.sms[index] = message

        self._later(after, f'+CMTI: "SM",{index}'.encode(), arrive)

    def store_sms(self, index: int, message: Sms) -> None:
        """An SMS already in the store (arrived while nobody listened)."""
        self.sms[index] = message

    def send_line(self, line: bytes, after: float = 0.0) -> None:
        self._later(after, line)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)

    # -- the modem ----------------------------------------------------------------------------

    def _later(self, delay: float, line: bytes, action: Callable[[], None] | None = None) -> None:
        with self._lock:
            if action is not None:
                self._actions.append((time.monotonic() + delay, action))
            if line:
                self._due.append((time.monotonic() + delay, line))

    def _run(self) -> None:
        buffer = b""
        while not self._stop.is_set():
            self._flush_due()
            ready, _, _ = select.select([self._master], [], [], 0.02)
            if not ready:
                continue
            try:
                chunk = os.read(self._master, 1024)
            except OSError:
                continue
            buffer += chunk
            while b"\r" in buffer:
                raw, buffer = buffer.split(b"\r", 1)
                command = raw.strip(b"\n").decode("ascii", errors="replace").strip()
                if command:
                    self._answer(command)

    def _flush_due(self) -> None:
        now = time.monotonic()
        with self._lock:
            actions = [a for t, a in self._actions if t <= now]
            self._actions = [(t, a) for t, a in self._actions if t > now]
            lines = [line for t, line in self._due if t <= now]
            self._due = [(t, line) for t, line in self._due if t > now]
        for action in actions:
            action()
        for line in lines:
            if line:
                self._write(b"\r\n" + line + b"\r\n")

    def _write(self, data: bytes) -> None:
        with contextlib.suppress(OSError):
            os.write(self._master, data)

    def _answer(self, command: str) -> None:
        self.commands.append(command)
        if self.silent:
            return
        if self.echo:
            self._write(command.encode() + b"\r")
        for line in self._respond(command):
            self._write(b"\r\n" + line + b"\r\n")

    def _respond(self, command: str) -> list[bytes]:
        if command == "ATE0":
            self.echo = False
            return [b"OK"]
        if command in ("AT", "AT+CMGF=1", "AT+CMEE=1", "AT+CSDH=1", "AT+CUSD=2") or (
            command.startswith("AT+CNMI=")
        ):
            return [b"OK"]
        if match := _CUSD.match(command):
            script = self.on_ussd(match.group(1))
            self.ussd_open += 1
            self.most_ussd_open = max(self.most_ussd_open, self.ussd_open)
            for delay, line in script:
                self._later(delay, line)
            self._later(max((d for d, _l in script), default=0.0), b"", self._ussd_closed)
            return [b"OK"]
        if match := _CMGR.match(command):
            return self._read(int(match.group(1)))
        if command == 'AT+CMGL="ALL"':
            return self._list()
        if match := _CMGD.match(command):
            self.sms.pop(int(match.group(1)), None)
            return [b"OK"]
        return [b"ERROR"]

    def _ussd_closed(self) -> None:
        self.ussd_open -= 1

    def _read(self, index: int) -> list[bytes]:
        message = self.sms.get(index)
        if message is None:
            return [b"+CMS ERROR: 321"]  # invalid memory index
        status = "REC READ" if message.read else "REC UNREAD"
        message.read = True
        head = (
            f'+CMGR: "{status}","{message.sender}",,"{message.scts}",145,4,0,'
            f'{message.dcs},"+85512000000",145,{len(message.body)}'
        )
        return [head.encode(), message.body.encode(), b"OK"]

    def _list(self) -> list[bytes]:
        lines = []
        for index, message in sorted(self.sms.items()):
            status = "REC READ" if message.read else "REC UNREAD"
            lines.append(f'+CMGL: {index},"{status}","{message.sender}",,"{message.scts}"'.encode())
            lines.append(message.body.encode())
        return [*lines, b"OK"]
