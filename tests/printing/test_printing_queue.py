"""Printer offline: the sale is recorded, the receipt queued, printed once on retry, no duplicate.

Runs on SQLite and PostgreSQL (the ledger fixtures). Printers are a fake that counts
what it was given and a real PdfFolderPrinter (dead when its folder is under a file).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from counter.cli.app import app
from counter.domain.receipt import PrintResult
from counter.domain.records import PrintJob, Sale
from counter.printing.printers import PdfFolderPrinter
from counter.printing.receipt import Receipt
from counter.services import business_date, record_opening_cash, sell
from counter.services.queries import pending_receipts
from counter.services.receipts import print_sale, retry_pending
from tests.ledger import conftest as ledger_fixtures
from tests.ledger.conftest import CLERK_PIN, Shop

# The ledger fixtures (SQLite and PostgreSQL) live in tests/ledger/conftest.py.
backend = ledger_fixtures.backend
shop = ledger_fixtures.shop

OFFLINE = "Receipt not printed: the printer is offline."


class FakePrinter:
    """Records every receipt it is given; `ok=False` is a printer that is off."""

    def __init__(self, ok: bool = True, delay_s: float = 0.0) -> None:
        self.ok = ok
        self.delay_s = delay_s
        self.printed: list[Receipt] = []
        self._lock = threading.Lock()

    def print_receipt(self, receipt: Receipt) -> PrintResult:
        time.sleep(self.delay_s)
        if not self.ok:
            return PrintResult(False, OFFLINE)
        with self._lock:
            self.printed.append(receipt)
        return PrintResult(True, f"Receipt {receipt.receipt_no} printed.")

    def numbers(self) -> list[str]:
        return [r.receipt_no + (" COPY" if r.is_copy else "") for r in self.printed]


def jobs(shop: Shop, sale: Sale) -> list[dict[str, Any]]:
    with shop.ledger.uow(write=False) as uow:
        found: list[PrintJob] = uow.prints.jobs(sale.id)
    return [job.__dict__ for job in found]


def sale_no(shop: Shop, n: int) -> Sale:
    return sell(shop.ledger, shop.clerk, f"012 345 67{n}", "1")


def dead_pdf_printer(tmp_path: Path) -> PdfFolderPrinter:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a regular file where the receipts folder should be")
    return PdfFolderPrinter(blocker / "receipts")


def pdfs(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.pdf"))


def test_offline_printer_queues_the_receipt_and_retry_prints_it_once(shop: Shop) -> None:
    sale = sale_no(shop, 1)
    result = print_sale(shop.ledger, FakePrinter(ok=False), sale)

    assert not result.ok
    assert result.message.startswith(OFFLINE)
    assert "waits in the print queue" in result.message
    assert "History" not in result.message, "no reprint advice: it prints by itself"
    [job] = jobs(shop, sale)
    assert (job["status"], job["copy"], job["attempts"]) == ("pending", False, 1)
    assert job["last_error"].startswith(OFFLINE)
    assert job["claimed_at"] is None and job["printed_at"] is None
    assert [s.receipt_no for s in pending_receipts(shop.ledger)] == [sale.receipt_no]

    # Still offline: the retry tries once more and says so.
    [again] = retry_pending(shop.ledger, FakePrinter(ok=False))
    assert not again.ok
    assert jobs(shop, sale)[0]["attempts"] == 2

    printer = FakePrinter()
    [printed] = retry_pending(shop.ledger, printer)
    assert printed.ok
    assert printer.numbers() == [sale.receipt_no]
    [job] = jobs(shop, sale)
    assert (job["status"], job["attempts"], job["last_error"]) == ("printed", 3, None)
    assert job["printed_at"] is not None
    assert pending_receipts(shop.ledger) == []

    # No duplicate: a second retry and a direct print of the original print nothing.
    assert retry_pending(shop.ledger, printer) == []
    again = print_sale(shop.ledger, printer, sale)
    assert again.ok and "already printed" in again.message
    assert printer.numbers() == [sale.receipt_no]


def test_dead_pdf_folder_then_retry_writes_one_file(shop: Shop, tmp_path: Path) -> None:
    first, second = sale_no(shop, 1), sale_no(shop, 2)
    dead = dead_pdf_printer(tmp_path)
    for sale in (first, second):
        result = print_sale(shop.ledger, dead, sale)
        assert not result.ok
        assert "cannot write to" in result.message
        [job] = jobs(shop, sale)
        assert job["status"] == "pending" and "cannot write to" in job["last_error"]

    folder = tmp_path / "receipts"
    results = retry_pending(shop.ledger, PdfFolderPrinter(folder))
    assert [r.ok for r in results] == [True, True]
    assert pdfs(folder) == [f"{first.receipt_no}.pdf", f"{second.receipt_no}.pdf"]
    mtimes = [p.stat().st_mtime_ns for p in sorted(folder.glob("*.pdf"))]

    assert retry_pending(shop.ledger, PdfFolderPrinter(folder)) == []
    assert print_sale(shop.ledger, PdfFolderPrinter(folder), first).ok
    assert [p.stat().st_mtime_ns for p in sorted(folder.glob("*.pdf"))] == mtimes, "not rewritten"


def test_retry_stops_at_the_first_failure_oldest_first(shop: Shop) -> None:
    sales = [sale_no(shop, n) for n in range(3)]
    for sale in sales:
        print_sale(shop.ledger, FakePrinter(ok=False), sale)
    assert [s.receipt_no for s in pending_receipts(shop.ledger)] == [s.receipt_no for s in sales]

    dead = FakePrinter(ok=False)
    results = retry_pending(shop.ledger, dead)
    assert [r.ok for r in results] == [False], "a dead printer is tried once per retry"
    assert [jobs(shop, s)[0]["attempts"] for s in sales] == [2, 1, 1]

    printer = FakePrinter()
    assert [r.ok for r in retry_pending(shop.ledger, printer)] == [True, True, True]
    assert printer.numbers() == [s.receipt_no for s in sales]


def test_a_copy_prints_every_time_and_is_recorded(shop: Shop) -> None:
    sale = sale_no(shop, 1)
    printer = FakePrinter()
    assert print_sale(shop.ledger, printer, sale).ok
    for _ in range(2):
        assert print_sale(shop.ledger, printer, sale, copy=True).ok
    assert printer.numbers() == [
        sale.receipt_no,
        f"{sale.receipt_no} COPY",
        f"{sale.receipt_no} COPY",
    ]
    assert all(r.copy_printed_at is not None for r in printer.printed[1:])
    copies = [j for j in jobs(shop, sale) if j["copy"]]
    assert [(j["status"], j["printed_at"] is not None) for j in copies] == [("printed", True)] * 2
    assert retry_pending(shop.ledger, printer) == [], "copies are never retried"

    with shop.ledger.uow(write=False) as uow:
        reprints = uow.audit.entries(action="receipt_reprinted")
    assert len(reprints) == 2 and sale.receipt_no in reprints[0].detail


def test_a_failed_copy_is_recorded_failed_and_not_retried(shop: Shop) -> None:
    sale = sale_no(shop, 1)
    assert print_sale(shop.ledger, FakePrinter(), sale).ok
    result = print_sale(shop.ledger, FakePrinter(ok=False), sale, copy=True)
    assert not result.ok and "try the reprint again" in result.message
    [copy] = [j for j in jobs(shop, sale) if j["copy"]]
    assert copy["status"] == "failed" and copy["last_error"].startswith(OFFLINE)
    assert pending_receipts(shop.ledger) == []


def test_a_copy_printed_while_the_original_waits_takes_its_place(shop: Shop) -> None:
    sale = sale_no(shop, 1)
    print_sale(shop.ledger, FakePrinter(ok=False), sale)
    printer = FakePrinter()
    assert print_sale(shop.ledger, printer, sale, copy=True).ok
    assert printer.numbers() == [f"{sale.receipt_no} COPY"]
    assert retry_pending(shop.ledger, printer) == [], "not the original later as well"
    assert printer.numbers() == [f"{sale.receipt_no} COPY"]
    original = next(j for j in jobs(shop, sale) if not j["copy"])
    assert original["status"] == "failed" and "COPY" in original["last_error"]


def test_two_workers_retrying_at_once_print_each_receipt_once(shop: Shop) -> None:
    sales = [sale_no(shop, n) for n in range(4)]
    for sale in sales:
        print_sale(shop.ledger, FakePrinter(ok=False), sale)
    printer = FakePrinter(delay_s=0.05)  # slow, so the workers overlap
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            retry_pending(shop.ledger, printer)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert sorted(printer.numbers()) == sorted(s.receipt_no for s in sales)
    assert pending_receipts(shop.ledger) == []


def test_a_claim_left_by_a_dead_worker_is_taken_over_after_the_lease(shop: Shop) -> None:
    from datetime import timedelta

    from counter.services.receipts import CLAIM_LEASE

    utc_now = shop.ledger.clock
    sale = sale_no(shop, 1)
    with shop.ledger.uow() as uow:  # a worker claims, then dies mid-print
        queue = uow.prints
        long_ago = utc_now() - CLAIM_LEASE - timedelta(seconds=5)
        assert queue.claim(sale.id, long_ago, long_ago - CLAIM_LEASE) is not None
        uow.commit()
    printer = FakePrinter()
    # Mark before send: the dead worker's ORIGINAL may be out, so this one is a COPY.
    assert [r.ok for r in retry_pending(shop.ledger, printer)] == [True]
    assert printer.numbers() == [f"{sale.receipt_no} COPY"]
    assert retry_pending(shop.ledger, printer) == []  # and never again

    fresh = sale_no(shop, 2)
    with shop.ledger.uow() as uow:  # a live claim: nobody else prints it
        queue = uow.prints
        assert queue.claim(fresh.id, utc_now(), utc_now() - CLAIM_LEASE) is not None
        uow.commit()
    assert retry_pending(shop.ledger, printer) == []
    assert "being printed" in print_sale(shop.ledger, printer, fresh).message
    assert printer.numbers() == [f"{sale.receipt_no} COPY"]


def test_cli_sell_with_printer_offline_then_printers_retry(
    shop: Shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import counter.cli.ledger
    import counter.cli.printers  # noqa: F401  (register the commands)

    cli = CliRunner()
    today = business_date(shop.ledger, shop.ledger.clock())
    record_opening_cash(shop.ledger, today, "A", 0, 0, by=shop.clerk)  # the clerk may sell
    monkeypatch.setenv("COUNTER_PIN", CLERK_PIN)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("COUNTER_RECEIPTS_DIR", str(blocker / "receipts"))
    sold = cli.invoke(app, ["sell", "012345678", "5", "--clerk", "Dara"])
    assert sold.exit_code == 0, sold.output
    receipt_no = sold.stdout.splitlines()[0]
    assert "waits in the print queue" in sold.output
    assert "counter printers retry" in sold.output

    still_dead = cli.invoke(app, ["printers", "retry"])
    assert still_dead.exit_code == 1
    assert f"1 receipt(s) still waiting to print: {receipt_no}." in still_dead.output

    folder = tmp_path / "receipts"
    monkeypatch.setenv("COUNTER_RECEIPTS_DIR", str(folder))
    back = cli.invoke(app, ["printers", "retry"])
    assert back.exit_code == 0, back.output
    assert "Printed 1 waiting receipt(s)." in back.output
    assert pdfs(folder) == [f"{receipt_no}.pdf"]

    nothing = cli.invoke(app, ["printers", "retry"])
    assert nothing.exit_code == 0 and "No receipts waiting to print." in nothing.output
    assert pdfs(folder) == [f"{receipt_no}.pdf"]

    # --no-receipt: not now, and not later by a retry either.
    quiet = cli.invoke(app, ["sell", "012345679", "5", "--clerk", "Dara", "--no-receipt"])
    assert quiet.exit_code == 0, quiet.output
    assert cli.invoke(app, ["printers", "retry"]).exit_code == 0
    assert pdfs(folder) == [f"{receipt_no}.pdf"]


def test_a_claim_of_a_dead_process_is_released_at_start_and_prints_a_copy(shop: Shop) -> None:
    """A worker killed mid-print on this machine: the next start releases its claim at
    once (no lease to wait for), and the receipt prints as a COPY, never a second ORIGINAL."""
    import socket

    from tests.ledger.conftest import reopen
    from tests.support.ledger import execute

    sale = sale_no(shop, 1)
    with shop.ledger.uow() as uow:
        assert uow.prints.claim(sale.id, shop.ledger.clock(), shop.ledger.clock()) is not None
        uow.commit()
    dead = f"{socket.gethostname()[:60]}:999999999"  # no such process
    execute(shop.ledger, "UPDATE print_queue SET claimed_by = :who", {"who": dead})
    printer = FakePrinter()
    assert retry_pending(shop.ledger, printer) == []  # still held (the lease runs)
    with reopen() as started:
        assert [r.ok for r in retry_pending(started, printer)] == [True]
    assert printer.numbers() == [f"{sale.receipt_no} COPY"]
