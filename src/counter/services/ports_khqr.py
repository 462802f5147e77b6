"""What the KHQR use cases need from the ledger and from the bank, as Protocols.

The adapters behind them (the code builder, the Bakong client, the poller) are put
together by the composition root (`counter.khqr_link`); the use cases see domain records
only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from counter.domain.khqr import (
    BankPayment,
    IssuedCode,
    KhqrChange,
    KhqrRequest,
    KhqrState,
    NewKhqrRequest,
    WatchResult,
    WatchStatus,
)
from counter.domain.money import Money


class KhqrRecords(Protocol):
    def next_seq(self, counter_code: str) -> int: ...
    def add(self, new: NewKhqrRequest, first: KhqrChange) -> KhqrRequest: ...
    def append(self, request: KhqrRequest, change: KhqrChange) -> KhqrRequest: ...
    def get(self, request_id: int) -> KhqrRequest | None: ...
    def by_bill(self, bill_number: str) -> KhqrRequest | None: ...
    def listed(
        self,
        *,
        states: Sequence[KhqrState] | None = None,
        counter_code: str | None = None,
        limit: int = 500,
        since: datetime | None = None,
        newest_first: bool = False,
    ) -> list[KhqrRequest]: ...
    def changes(self, request_id: int) -> list[KhqrChange]: ...


class CodeMaker(Protocol):
    """Makes the shop's dynamic KHQR for one payment, fitted to `rows` x `cols`
    (KhqrError or QrTooLarge, in words, when it cannot)."""

    def __call__(
        self,
        amount: Money,
        *,
        bill_number: str,
        created_at: datetime,
        expires_at: datetime,
        rows: int,
        cols: int,
    ) -> IssuedCode: ...


class PaymentWatcher(Protocol):
    """One code's wait for payment (Bakong by MD5, with back-off); `run` blocks, the
    others may be called from another thread."""

    def run(self) -> WatchResult: ...
    def check_now(self) -> None: ...
    def cancel(self) -> None: ...


class BankLink(Protocol):
    """Bakong, as the use cases see it (BakongError, in words, when it cannot answer)."""

    def check(self, md5: str) -> BankPayment | None: ...
    def check_many(self, md5s: Sequence[str]) -> Mapping[str, BankPayment | None]: ...
    def watcher(
        self, request: KhqrRequest, on_status: Callable[[WatchStatus], None] | None = None
    ) -> PaymentWatcher: ...
