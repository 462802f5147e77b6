"""The composition of KHQR: `[khqr]` settings -> the code maker, Bakong and the watchers.

The use cases (`services.khqr`) see domain records only (`IssuedCode`, `BankPayment`,
`WatchResult`); here the payments adapter is put behind them: `code_for_screen` makes and
fits the code, `BakongClient` asks Bakong (opened on first use, with the token from the
environment or its 0600 file), `PaymentWatch` waits with back-off.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from counter.domain.errors import SettingsError
from counter.domain.khqr import (
    BankPayment,
    IssuedCode,
    KhqrPlan,
    KhqrRequest,
    WatchEnd,
    WatchResult,
    WatchStatus,
)
from counter.domain.money import Money
from counter.i18n import _

if TYPE_CHECKING:
    from counter.config_khqr import KhqrSettings
    from counter.payments.bakong import BakongClient, BakongTransaction, CheckResult
    from counter.payments.khqr import Merchant
    from counter.payments.poller import Backoff, PaymentWatch, PollOutcome, PollStatus, Waiter

REQUIRED = ("account_id", "merchant_name", "merchant_city")


def _utc_now() -> datetime:
    return datetime.now(UTC)


def khqr_plan(settings: KhqrSettings) -> KhqrPlan:
    """What the use cases need of `[khqr]`, as plain values."""
    return KhqrPlan(
        enabled=all((getattr(settings, name) or "").strip() for name in REQUIRED),
        expiry_minutes=settings.expiry_minutes,
        allow_manual_confirm=settings.allow_manual_confirm,
        merchant_name=settings.merchant_name or "",
    )


def merchant_of(settings: KhqrSettings, counter_code: str) -> Merchant:
    """The shop's Bakong account from `[khqr]`; a missing setting is named."""
    from counter.payments.khqr import Merchant

    for name in REQUIRED:
        if not (getattr(settings, name) or "").strip():
            raise SettingsError(
                _(
                    "KHQR is not set up: the setting {name} is missing from the [khqr] table."
                ).format(name=name)
            )
    return Merchant(
        account_id=settings.account_id or "",
        name=settings.merchant_name or "",
        city=settings.merchant_city or "",
        merchant_id=settings.merchant_id,
        acquiring_bank=settings.acquiring_bank,
        mcc=settings.mcc,
        store_label=settings.store_label,
        terminal_label=settings.terminal_label or counter_code,
        mobile_number=settings.mobile_number,
    )


def bank_payment(transaction: BakongTransaction) -> BankPayment:
    return BankPayment(
        md5=transaction.md5,
        reference=transaction.hash,
        amount=transaction.amount,
        paid_at=transaction.acknowledged_at or transaction.created_at,
    )


class KhqrLink:
    """`[khqr]` for one counter: makes codes, checks them, watches them (thread-safe)."""

    def __init__(
        self,
        settings: KhqrSettings,
        counter_code: str,
        *,
        clock: Callable[[], datetime] = _utc_now,
        backoff: Backoff | None = None,
        waiter: Callable[[], Waiter] | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.settings = settings
        self.counter_code = counter_code
        self.plan = khqr_plan(settings)
        self._clock = clock
        self._backoff = backoff
        self._waiter = waiter
        self._timeout = timeout
        self._client: BakongClient | None = None
        self._lock = threading.Lock()

    def make_code(
        self,
        amount: Money,
        *,
        bill_number: str,
        created_at: datetime,
        expires_at: datetime,
        rows: int,
        cols: int,
    ) -> IssuedCode:
        from counter.payments.display import code_for_screen

        shown = code_for_screen(
            merchant_of(self.settings, self.counter_code),
            amount,
            created_at=created_at,
            expires_at=expires_at,
            bill_number=bill_number,
            max_rows=rows,
            max_cols=cols,
        )
        code, picture = shown.code, shown.picture
        return IssuedCode(
            payload=code.payload,
            md5=code.md5,
            amount=code.amount,
            created_at=code.created_at,
            expires_at=code.expires_at,
            lines=tuple(picture.lines),
            style=picture.style,
            left_out=shown.left_out,
        )

    def client(self) -> BakongClient:
        """The Bakong client, made on first use (BakongTokenMissing/Unsafe in words)."""
        from counter.payments.bakong import BakongClient
        from counter.payments.token import load_token

        with self._lock:
            if self._client is None:
                token = load_token(env_name=self.settings.token_env, file=self.settings.token_file)
                self._client = BakongClient(
                    str(token.value), api_url=self.settings.api_url, timeout=self._timeout
                )
            return self._client

    def check(self, md5: str) -> BankPayment | None:
        from counter.payments.bakong import Paid

        result = self.client().check_transaction_by_md5(md5)
        return bank_payment(result.transaction) if isinstance(result, Paid) else None

    def check_many(self, md5s: Sequence[str]) -> Mapping[str, BankPayment | None]:
        """Paid or not for each code Bakong answered about (the others are left out)."""
        from counter.payments.bakong import NotFound, Paid

        if not md5s:
            return {}
        found: dict[str, BankPayment | None] = {}
        for md5, result in self.client().check_transactions_by_md5_list(list(md5s)).items():
            if isinstance(result, Paid):
                found[md5] = bank_payment(result.transaction)
            elif isinstance(result, NotFound):
                found[md5] = None
        return found

    def watcher(
        self, request: KhqrRequest, on_status: Callable[[WatchStatus], None] | None = None
    ) -> Watch:
        return Watch(self, request, on_status)

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


class Watch:
    """One request's wait for payment: `PaymentWatch` on the request's kept payload."""

    def __init__(
        self,
        link: KhqrLink,
        request: KhqrRequest,
        on_status: Callable[[WatchStatus], None] | None,
    ) -> None:
        from counter.payments.khqr import KhqrCode
        from counter.payments.poller import PaymentWatch

        code = KhqrCode(
            payload=request.payload,
            md5=request.md5,
            amount=request.charge,
            bill_number=request.bill_number,
            created_at=request.created_at,
            expires_at=request.expires_at,
        )
        self._link = link
        self._on_status = on_status
        self._watch: PaymentWatch = PaymentWatch(
            code,
            self._check,
            clock=link._clock,
            waiter=link._waiter() if link._waiter else None,
            backoff=link._backoff,
            on_status=self._status if on_status else None,
        )

    def _check(self, md5: str) -> CheckResult:
        return self._link.client().check_transaction_by_md5(md5)

    def _status(self, status: PollStatus) -> None:
        if self._on_status is not None:
            self._on_status(WatchStatus(status.checks, status.next_check_at, status.problem))

    def check_now(self) -> None:
        self._watch.check_now()

    def cancel(self) -> None:
        self._watch.cancel()

    def run(self) -> WatchResult:
        from counter.domain.payment_errors import BakongError

        try:
            outcome = self._watch.run()
        except BakongError as exc:  # the token could not be read at all
            return WatchResult(WatchEnd.STOPPED, problem=str(exc))
        return _result(outcome)


def _result(outcome: PollOutcome) -> WatchResult:
    from counter.payments.poller import Cancelled, Confirmed, Expired, Stopped, WrongAmount

    if isinstance(outcome, Confirmed):
        return WatchResult(WatchEnd.PAID, bank_payment(outcome.transaction), None, outcome.checks)
    if isinstance(outcome, WrongAmount):
        return WatchResult(
            WatchEnd.WRONG_AMOUNT, bank_payment(outcome.transaction), None, outcome.checks
        )
    if isinstance(outcome, Expired):
        return WatchResult(WatchEnd.EXPIRED, None, outcome.problem, outcome.checks)
    if isinstance(outcome, Cancelled):
        return WatchResult(WatchEnd.CANCELLED, None, None, outcome.checks)
    assert isinstance(outcome, Stopped)
    return WatchResult(WatchEnd.STOPPED, None, str(outcome.error), outcome.checks)


def token_notice(settings: KhqrSettings, now: datetime, zone: tzinfo = UTC) -> str | None:
    """What the clerk is told at login about the Bakong token: None when the shop takes
    no KHQR or the token is good for a while; when Bakong cannot confirm (expired, no
    token), what happens to a KHQR payment instead."""
    from counter.domain.payment_errors import BakongError
    from counter.payments.token import expiry_notice, load_token

    plan = khqr_plan(settings)
    if not plan.enabled:
        return None
    try:
        token = load_token(env_name=settings.token_env, file=settings.token_file)
    except BakongError as exc:
        return f"{exc} {_fallback(plan)}"
    notice = expiry_notice(token, now, zone=zone)
    if notice is None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return f"{notice} {_fallback(plan)}"
    return notice


def _fallback(plan: KhqrPlan) -> str:
    if plan.allow_manual_confirm:
        return _(
            "Until then a KHQR payment is confirmed by hand: the bank's reference from the "
            "shop's bank app (m at the code)."
        )
    return _(
        "Until then Bakong cannot confirm a KHQR payment: take cash, or a supervisor "
        "confirms it by hand with the bank's reference."
    )


def has_token(settings: KhqrSettings) -> bool:
    """Whether Bakong can be asked at all: `[khqr]` set and a token that can be read (an
    expired one too: Bakong's refusal is then said in words)."""
    from counter.domain.payment_errors import BakongError
    from counter.payments.token import load_token

    if not khqr_plan(settings).enabled:
        return False
    try:
        load_token(env_name=settings.token_env, file=settings.token_file)
    except BakongError:
        return False
    return True
