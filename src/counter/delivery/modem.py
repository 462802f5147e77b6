"""The `modem` channel: a USB GSM modem holding the dealer SIM, driven by AT commands.

A top-up is the dealer's USSD code (`AT+CUSD=1,"<code>",15`, TS 27.007 §7.15) built from
the shop's template; the answer comes back as `+CUSD:` and, often later, as an SMS
(`+CMTI:` then `AT+CMGR`, TS 27.005). The shop's patterns say what each answer means.

One modem per port and one request at a time: the port is opened exclusively (pyserial's
`exclusive=True`, an flock, so a second process cannot share it) and a lock per port
serialises requests in this process. `look_up` never sends a USSD code: it reads the SMS
store for a confirmation naming the request's number and amount, so a crash between
"sent" and "answered" can never top up twice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from counter.delivery.at import (
    AtPort,
    AtTimeout,
    StoredSms,
    parse_cmgl_indexes,
    parse_cmgr,
    parse_cmti,
    parse_cusd,
)
from counter.delivery.base import DealerBalance
from counter.delivery.dealer import (
    Kind,
    OperatorCodes,
    Patterns,
    Reading,
    build_code,
    checked,
    confirms,
    in_time,
    is_trusted_sender,
    read_answer,
    read_balance,
    same_number,
    whole_dollars_only,
)
from counter.delivery.gsm import decode_text, encode_ussd_hex, sms_alphabet, ussd_alphabet
from counter.delivery.modem_words import Words
from counter.delivery.secrets import Secret, read_secret
from counter.domain.delivery import Answer, ChannelError, DeliveryRequest, Outcome, Reason
from counter.i18n import _

_INIT_REQUIRED = ("ATE0", "AT+CMGF=1")
_INIT_OPTIONAL = ("AT+CMEE=1", "AT+CSDH=1", "AT+CNMI=2,1,0,0,0")
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


@dataclass(frozen=True)
class ModemOptions:
    """The `[delivery.modem]` settings as plain values (times in seconds)."""

    port: str
    baudrate: int = 115200
    command_timeout_seconds: float = 5.0
    ussd_timeout_seconds: float = 30.0
    sms_wait_seconds: float = 60.0
    busy_timeout_seconds: float = 10.0
    pin_env: str | None = "COUNTER_DEALER_PIN"
    pin_file: Path | None = None
    ussd_hex: str = "packed"  # how the modem writes GSM 7-bit answers as hex
    ussd_send: str = "text"  # "packed_hex" for modems that want the code as hex
    operators: Mapping[str, OperatorCodes] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ModemOptions:
        """From `Settings.delivery.modem.model_dump()` (or any mapping with these keys)."""
        known = {f: data[f] for f in cls.__dataclass_fields__ if f in data and f != "operators"}
        operators = {
            op: codes if isinstance(codes, OperatorCodes) else OperatorCodes.from_mapping(codes)
            for op, codes in (data.get("operators") or {}).items()
        }
        return cls(**known, operators=operators)


class _NoModem(Exception):
    """Nothing answers `AT` on the port."""


class _Link:
    """One open port, initialised once; closed on any I/O error so the next use reopens it."""

    def __init__(self, port: str, options: ModemOptions) -> None:
        self.port = port
        self.options = options
        self.at: AtPort | None = None

    def ready(self) -> AtPort:
        if self.at is None:
            self.at = AtPort(self._open())
            try:
                self._initialise(self.at)
            except (_NoModem, AtTimeout, OSError):
                self.close()
                raise _NoModem() from None
        return self.at

    def _open(self) -> Any:
        import serial  # pyserial; imported on first use so the app starts fast

        try:
            return serial.Serial(
                self.port, self.options.baudrate, timeout=0.05, write_timeout=2, exclusive=True
            )
        except (serial.SerialException, OSError, ValueError):
            raise ChannelError(
                _(
                    "The modem port {port} cannot be opened: it is missing, or another "
                    "program (or another counter) is using it."
                ).format(port=self.port)
            ) from None

    def _initialise(self, at: AtPort) -> None:
        timeout = self.options.command_timeout_seconds
        for _attempt in range(3):
            try:
                if at.command("AT", timeout).ok:
                    break
            except AtTimeout:
                continue
        else:
            raise _NoModem()
        for command in _INIT_REQUIRED:
            if not at.command(command, timeout).ok:
                raise _NoModem()
        for command in _INIT_OPTIONAL:
            at.command(command, timeout)  # a modem without it still works, more slowly

    def close(self) -> None:
        if self.at is not None:
            with suppress(OSError):
                self.at.close()
        self.at = None


def _port_lock(port: str) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(port, threading.Lock())


class ModemChannel:
    """Top-ups by the dealer SIM's USSD codes; see the module docstring."""

    name = "modem"

    def __init__(
        self, options: ModemOptions, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.options = options
        self.clock = clock
        self._links: dict[str, _Link] = {}
        self._claims: dict[str, list[tuple[str, StoredSms]]] = {}  # reference -> SMS kept
        self._claims_lock = threading.Lock()  # ports are worked at once, one thread each

    # -- the interface ----------------------------------------------------------------------

    def send(self, request: DeliveryRequest) -> Outcome:
        codes, patterns = self._codes(request.operator_id)
        if whole_dollars_only(codes, request):
            return Words(request, None).outcome(Answer.FAILED, Reason.NO_PRODUCT)
        pin = self._pin(codes.ussd_template)
        code = build_code(codes, request, pin.reveal() if pin else None)
        words = Words(request, pin)
        with self._locked(self._port_of(codes)) as link:
            if link is None:
                return words.outcome(Answer.NOT_SENT, Reason.BUSY)
            try:
                at = link.ready()
            except _NoModem:
                return words.outcome(Answer.NOT_SENT, Reason.NO_ANSWER, port=link.port)
            try:
                return self._send_on(link, at, request, code, patterns, words)
            except OSError:
                link.close()
                return words.outcome(Answer.UNKNOWN, Reason.NO_ANSWER)

    def look_up(self, request: DeliveryRequest) -> Outcome:
        codes, patterns = self._codes(request.operator_id)
        words = Words(request, None)
        with self._locked(self._port_of(codes)) as link:
            if link is None:
                return words.outcome(Answer.UNKNOWN, Reason.BUSY)
            try:
                at = link.ready()
                found = self._scan_store(link, at, request, patterns)
            except (_NoModem, AtTimeout, OSError):
                link.close()
                return words.outcome(Answer.UNKNOWN, Reason.NO_ANSWER)
            if found is None:
                return words.outcome(Answer.UNKNOWN, Reason.PROCESSING)
            return self._confirmed(request, words, *found)

    def balance(self, operator_id: str | None = None) -> DealerBalance | None:
        operator = operator_id or next(iter(self.options.operators), None)
        if operator is None:
            return None
        codes, patterns = self._codes(operator)
        if not codes.balance_code:
            return None
        pin = self._pin(codes.balance_code)
        code = checked(codes.balance_code.replace("{pin}", pin.reveal() if pin else ""))
        with self._locked(self._port_of(codes)) as link:
            if link is None:
                raise ChannelError(_("The modem is busy with a top-up; read the balance later."))
            try:
                text = self._ussd(link.ready(), code)
            except (_NoModem, AtTimeout, OSError):
                link.close()
                text = None
        money = read_balance(text, patterns) if text else None
        if money is None:
            raise ChannelError(_("The operator's answer to the balance code gave no balance."))
        raw = pin.scrub(text) if pin and text else text or ""
        return DealerBalance(money, raw, self.clock())

    def settle(self, request: DeliveryRequest) -> None:
        """Delete the SMS that confirmed `request`, once the ledger has recorded it."""
        with self._claims_lock:
            claims = self._claims.pop(request.reference, [])
        for port, sms in claims:
            with self._locked(port) as link:
                if link is None:
                    continue
                try:
                    at = link.ready()
                    again = parse_cmgr(sms.index, at.command(f"AT+CMGR={sms.index}", self._t))
                    if again is not None and again.body == sms.body:
                        at.command(f"AT+CMGD={sms.index}", self._t)
                except (_NoModem, AtTimeout, OSError):
                    link.close()

    def close(self) -> None:
        for link in self._links.values():
            link.close()

    # -- sending ----------------------------------------------------------------------------

    def _send_on(
        self,
        link: _Link,
        at: AtPort,
        request: DeliveryRequest,
        code: str,
        patterns: Patterns,
        words: Words,
    ) -> Outcome:
        at.discard_unsolicited("+CUSD:")
        try:
            reply = at.command(self._cusd(code), self._t)
        except AtTimeout:
            return self._wait_sms(link, at, request, patterns, words, Reason.NO_ANSWER)
        if not reply.ok:
            words.evidence(reply.final)
            return words.outcome(Answer.NOT_SENT, Reason.REFUSED)
        line = at.wait_for("+CUSD:", self.options.ussd_timeout_seconds)
        if line is None:
            return self._wait_sms(link, at, request, patterns, words, Reason.NO_ANSWER)
        words.evidence(line)
        try:
            answer = parse_cusd(line)
        except ValueError:
            return self._wait_sms(link, at, request, patterns, words, Reason.GARBLED)
        text = decode_text(
            answer.text or "", ussd_alphabet(answer.dcs), hex_septets=self.options.ussd_hex
        )
        if text != (answer.text or ""):
            words.evidence(text)
        if answer.status == 1:
            at.command("AT+CUSD=2", self._t)  # close a menu session we did not ask for
        if answer.status == 4:
            return words.outcome(Answer.FAILED, Reason.REFUSED)
        if "\ufffd" in text or (answer.status not in (0, 1, 2) and not text):
            return self._wait_sms(link, at, request, patterns, words, Reason.GARBLED)
        reading = read_answer(text, patterns)
        if reading is None:
            return self._wait_sms(link, at, request, patterns, words, Reason.PROCESSING)
        return _read_ussd(request, words, reading)

    def _wait_sms(
        self,
        link: _Link,
        at: AtPort,
        request: DeliveryRequest,
        patterns: Patterns,
        words: Words,
        reason: Reason,
    ) -> Outcome:
        """Wait for the confirmation SMS; without one the answer stays pending or unknown."""
        remaining = self.options.sms_wait_seconds
        deadline = _monotonic() + remaining
        while remaining > 0:
            line = at.wait_for("+CMTI:", min(remaining, 1.0))
            stored = parse_cmti(line) if line else None
            if stored is not None:
                found = self._read_confirmation(link, at, request, patterns, stored[1])
                if found is not None:
                    return self._confirmed(request, words, *found)
            remaining = deadline - _monotonic()
        found = self._scan_store(link, at, request, patterns)  # a modem without +CMTI
        if found is not None:
            return self._confirmed(request, words, *found)
        answer = Answer.PENDING if reason is Reason.PROCESSING else Answer.UNKNOWN
        return words.outcome(answer, reason)

    # -- the SMS store ------------------------------------------------------------------------

    def _scan_store(
        self, link: _Link, at: AtPort, request: DeliveryRequest, patterns: Patterns
    ) -> tuple[StoredSms, Reading] | None:
        reply = at.command('AT+CMGL="ALL"', self._t)
        for index in parse_cmgl_indexes(reply):
            found = self._read_confirmation(link, at, request, patterns, index)
            if found is not None:
                return found
        return None

    def _read_confirmation(
        self, link: _Link, at: AtPort, request: DeliveryRequest, patterns: Patterns, index: int
    ) -> tuple[StoredSms, Reading] | None:
        """The SMS at `index`, if it is a trusted confirmation of `request` not claimed yet."""
        if self._claimed_by_other(link.port, index, request.reference):
            return None
        sms = parse_cmgr(index, at.command(f"AT+CMGR={index}", self._t))
        if sms is None or not is_trusted_sender(sms.sender, patterns):
            return None
        body = decode_text(sms.body, sms_alphabet(sms.dcs), hex_septets="unpacked")
        reading = read_answer(body, patterns)
        if reading is None or not confirms(reading, request) or not in_time(sms.sent_at, request):
            return None
        kept = StoredSms(sms.index, sms.status, sms.sender, sms.sent_at, sms.dcs, sms.body)
        with self._claims_lock:
            self._claims.setdefault(request.reference, []).append((link.port, kept))
        decoded = StoredSms(sms.index, sms.status, sms.sender, sms.sent_at, sms.dcs, body)
        return decoded, reading

    def _claimed_by_other(self, port: str, index: int, reference: str) -> bool:
        with self._claims_lock:
            return any(
                ref != reference and p == port and sms.index == index
                for ref, kept in self._claims.items()
                for p, sms in kept
            )

    def _confirmed(
        self, request: DeliveryRequest, words: Words, sms: StoredSms, reading: Reading
    ) -> Outcome:
        words.evidence(f"SMS {sms.index} from {sms.sender} at {sms.sent_at}: {sms.body}")
        if reading.kind is Kind.SUCCESS:
            return words.outcome(Answer.DELIVERED, None, ref=reading.ref, balance=reading.balance)
        reason = Reason.BALANCE_TOO_LOW if reading.kind is Kind.LOW_BALANCE else Reason.DECLINED
        return words.outcome(Answer.FAILED, reason, balance=reading.balance)

    # -- helpers ------------------------------------------------------------------------------

    @property
    def _t(self) -> float:
        return self.options.command_timeout_seconds

    def _cusd(self, code: str) -> str:
        if self.options.ussd_send == "packed_hex":
            return f'AT+CUSD=1,"{encode_ussd_hex(code)}",15'
        return f'AT+CUSD=1,"{code}",15'

    def _ussd(self, at: AtPort, code: str) -> str | None:
        at.discard_unsolicited("+CUSD:")
        if not at.command(self._cusd(code), self._t).ok:
            return None
        line = at.wait_for("+CUSD:", self.options.ussd_timeout_seconds)
        try:
            answer = parse_cusd(line) if line else None
        except ValueError:
            return None
        if answer is None or answer.text is None:
            return None
        return decode_text(
            answer.text, ussd_alphabet(answer.dcs), hex_septets=self.options.ussd_hex
        )

    def _codes(self, operator_id: str) -> tuple[OperatorCodes, Patterns]:
        codes = self.options.operators.get(operator_id)
        if codes is None:
            raise ChannelError(
                _("The modem has no dealer codes for {operator} in the settings.").format(
                    operator=operator_id
                )
            )
        return codes, Patterns.of(codes)

    def _pin(self, template: str) -> Secret | None:
        if "{pin}" not in template:
            return None
        return read_secret(_("dealer PIN"), self.options.pin_env, self.options.pin_file)

    def _port_of(self, codes: OperatorCodes) -> str:
        return codes.port or self.options.port

    @contextmanager
    def _locked(self, port: str) -> Iterator[_Link | None]:
        """The port's link while holding its lock; None when another request holds it."""
        lock = _port_lock(port)
        if not lock.acquire(timeout=self.options.busy_timeout_seconds):
            yield None
            return
        try:
            link = self._links.setdefault(port, _Link(port, self.options))
            yield link
        finally:
            lock.release()


def _read_ussd(request: DeliveryRequest, words: Words, reading: Reading) -> Outcome:
    """What a USSD answer the patterns recognised means for `request`."""
    if _names_other(reading, request):
        return words.outcome(Answer.UNKNOWN, Reason.GARBLED, other=True)
    if reading.kind is Kind.LOW_BALANCE:
        return words.outcome(Answer.FAILED, Reason.BALANCE_TOO_LOW, balance=reading.balance)
    if reading.kind is Kind.FAILURE:
        return words.outcome(Answer.FAILED, Reason.DECLINED, balance=reading.balance)
    return words.outcome(Answer.DELIVERED, None, ref=reading.ref, balance=reading.balance)


def _names_other(reading: Reading, request: DeliveryRequest) -> bool:
    """A USSD answer that names a number or amount other than the request's."""
    if reading.number is not None and not same_number(reading.number, request.msisdn):
        return True
    return reading.amount_cents is not None and reading.amount_cents != request.amount_cents


def _monotonic() -> float:
    return time.monotonic()
