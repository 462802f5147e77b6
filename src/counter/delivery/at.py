"""AT commands over a serial port: one command at a time, unsolicited lines kept aside.

A modem answers a command with information lines and one final result code (`OK`, `ERROR`,
`+CME ERROR: n`, `+CMS ERROR: n`; TS 27.007 §4, TS 27.005 §3.2.5). Between and even inside
those answers it may send unsolicited result codes: `+CUSD:` (the USSD answer, TS 27.007
§7.15) and `+CMTI:` (an SMS was stored, TS 27.005 §3.4.1). This module separates the two,
and parses the lines the modem channel needs. It knows nothing of top-ups.
"""

from __future__ import annotations

import re
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Protocol

_FINAL_OK = ("OK",)
_FINAL_ERROR = ("ERROR", "NO CARRIER", "COMMAND NOT SUPPORT", "TOO MANY PARAMETERS")
_FINAL_ERROR_PREFIX = ("+CME ERROR:", "+CMS ERROR:")
# Kept for the caller, whenever they come.
URC_PREFIXES = ("+CUSD:", "+CMTI:")
# Status noise some modems send on their own (Huawei ^RSSI, ^BOOT; RING; registration).
_NOISE_PREFIXES = ("^", "RING", "+CREG:", "+CGREG:", "+CIEV:", "+CSQ:", "+CLIP:")


class SerialLike(Protocol):
    """What a pyserial `Serial` gives: enough to drive a modem, and to fake one."""

    in_waiting: int

    def write(self, data: bytes, /) -> int | None: ...

    def read(self, size: int = 1, /) -> bytes: ...

    def close(self) -> None: ...


class AtTimeout(Exception):
    """No final result code within the time allowed."""

    def __init__(self, command: str, lines: list[str]) -> None:
        super().__init__(command)
        self.command = command
        self.lines = lines


@dataclass(frozen=True)
class Reply:
    ok: bool
    lines: tuple[str, ...]  # information lines, without echo and unsolicited lines
    final: str  # OK, ERROR, +CME ERROR: 30, ...


class AtPort:
    """Line discipline on top of a serial port: send a command, collect its reply."""

    def __init__(self, serial: SerialLike) -> None:
        self._serial = serial
        self._buffer = bytearray()
        self.unsolicited: deque[str] = deque()
        self.garbled = 0  # lines that were not text: counted, shown in words by the caller

    def close(self) -> None:
        self._serial.close()

    def command(self, command: str, timeout: float) -> Reply:
        """Send `command` and wait for its final result code (AtTimeout after `timeout` s)."""
        self._serial.write(command.encode("ascii") + b"\r")
        deadline = time.monotonic() + timeout
        lines: list[str] = []
        while True:
            line = self._next_line(deadline)
            if line is None:
                raise AtTimeout(command, lines)
            if line == command or line.startswith(URC_PREFIXES) or line.startswith(_NOISE_PREFIXES):
                continue  # echo (before ATE0 took hold), or kept by _next_line
            if line in _FINAL_OK:
                return Reply(True, tuple(lines), line)
            if line in _FINAL_ERROR or line.startswith(_FINAL_ERROR_PREFIX):
                return Reply(False, tuple(lines), line)
            lines.append(line)

    def wait_for(self, prefix: str, timeout: float) -> str | None:
        """The next unsolicited line starting with `prefix`, kept or arriving within `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            for i, line in enumerate(self.unsolicited):
                if line.startswith(prefix):
                    del self.unsolicited[i]
                    return line
            if self._next_line(deadline) is None:
                return None

    def discard_unsolicited(self, prefix: str) -> None:
        self.unsolicited = deque(u for u in self.unsolicited if not u.startswith(prefix))

    def _next_line(self, deadline: float) -> str | None:
        """The next non-empty line; unsolicited ones are queued (and also returned)."""
        while True:
            line = self._read_line(deadline)
            if line is None:
                return None
            if not line:
                continue
            if line.startswith("+CUSD:") and line.count('"') == 1:
                line = self._rest_of_quoted(line, deadline)
            if line.startswith(URC_PREFIXES):
                self.unsolicited.append(line)
            return line

    def _rest_of_quoted(self, first: str, deadline: float) -> str:
        """A USSD answer whose quoted text runs over several lines, joined with newlines."""
        parts = [first]
        while True:
            more = self._read_line(deadline, keep_empty=True)
            if more is None:
                return "\n".join(parts)  # never closed: the caller reads it as garbled
            parts.append(more)
            if more.count('"') % 2 == 1:
                return "\n".join(parts)

    def _read_line(self, deadline: float, keep_empty: bool = False) -> str | None:
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                raw = bytes(self._buffer[:end]).rstrip(b"\r")
                del self._buffer[: end + 1]
                text = _text(raw)
                if text is None:
                    self.garbled += 1
                    text = raw.decode("ascii", errors="replace")
                if text.strip() or keep_empty:
                    return text.strip()
                continue
            if time.monotonic() >= deadline:
                return None
            waiting = self._serial.in_waiting
            chunk = self._serial.read(waiting or 1)
            if chunk:
                self._buffer.extend(chunk)


def _text(raw: bytes) -> str | None:
    """A line as text, or None when it holds bytes no modem sends in text (line noise)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 0x20 and c not in "\t" for c in text):
        return None
    return text


# -- parsing ---------------------------------------------------------------------------------

_CUSD_RE = re.compile(r'^\+CUSD:\s*(\d+)\s*(?:,\s*"(.*)"\s*(?:,\s*(\d+)\s*)?)?$', re.DOTALL)
_CMTI_RE = re.compile(r'^\+CMTI:\s*"([^"]*)"\s*,\s*(\d+)\s*$')
_FIELD_RE = re.compile(r'\s*(?:"([^"]*)"|([^,]*))\s*(?:,|$)')
_SCTS_RE = re.compile(r"^(\d\d)/(\d\d)/(\d\d),(\d\d):(\d\d):(\d\d)([+-])(\d\d)$")


@dataclass(frozen=True)
class UssdAnswer:
    status: int  # 0 done, 1 more input wanted, 2 ended by network, 4 not supported, 5 timeout
    text: str | None  # still as the modem sent it (maybe hex)
    dcs: int | None


@dataclass(frozen=True)
class StoredSms:
    index: int
    status: str  # REC UNREAD, REC READ, ...
    sender: str
    sent_at: datetime | None  # the service centre's time stamp, as UTC
    dcs: int | None
    body: str  # as the modem sent it (maybe UCS2 hex)


def parse_cusd(line: str) -> UssdAnswer:
    """`+CUSD: 0,"text",15`; ValueError when the line cannot be read."""
    match = _CUSD_RE.match(line)
    if not match:
        raise ValueError("not a +CUSD line")
    status, text, dcs = match.groups()
    return UssdAnswer(int(status), text, int(dcs) if dcs is not None else None)


def parse_cmti(line: str) -> tuple[str, int] | None:
    match = _CMTI_RE.match(line)
    return (match.group(1), int(match.group(2))) if match else None


def fields(text: str) -> list[str]:
    """Comma-separated header fields, quotes removed; commas inside quotes kept."""
    out: list[str] = []
    pos = 0
    while pos < len(text):
        match = _FIELD_RE.match(text, pos)
        if not match or match.end() == pos:
            break
        out.append(match.group(1) if match.group(1) is not None else match.group(2).strip())
        pos = match.end()
    return out


def parse_scts(text: str) -> datetime | None:
    """`26/11/25,14:03:12+28` (zone in quarter hours, TS 23.040 §9.2.3.11) as UTC."""
    match = _SCTS_RE.match(text.strip())
    if not match:
        return None
    yy, mo, dd, hh, mi, ss, sign, quarters = match.groups()
    offset = timedelta(minutes=15 * int(quarters)) * (-1 if sign == "-" else 1)
    try:
        local = datetime(2000 + int(yy), int(mo), int(dd), int(hh), int(mi), int(ss))
    except ValueError:
        return None
    return local.replace(tzinfo=timezone(offset)).astimezone(UTC)


def parse_cmgr(index: int, reply: Reply) -> StoredSms | None:
    """The reply to `AT+CMGR=<index>` in text mode with `AT+CSDH=1` (TS 27.005 §3.4.3)."""
    if not reply.ok or not reply.lines or not reply.lines[0].startswith("+CMGR:"):
        return None
    head = fields(reply.lines[0].removeprefix("+CMGR:"))
    if len(head) < 2:
        return None
    status, sender = head[0], head[1]
    sent_at = parse_scts(head[3]) if len(head) > 3 else None
    dcs = _int(head[7]) if len(head) > 7 else None
    return StoredSms(index, status, sender, sent_at, dcs, "\n".join(reply.lines[1:]))


def parse_cmgl_indexes(reply: Reply) -> list[int]:
    """The message indexes listed by `AT+CMGL="ALL"` (TS 27.005 §3.4.2)."""
    indexes = []
    for line in reply.lines:
        if line.startswith("+CMGL:"):
            head = fields(line.removeprefix("+CMGL:"))
            value = _int(head[0]) if head else None
            if value is not None:
                indexes.append(value)
    return indexes


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None
