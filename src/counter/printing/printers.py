"""Printers: where a rendered receipt goes. A printer never raises; it says what happened.

A sale is recorded before its receipt prints, so a failed print must reach the clerk as a
sentence (`PrintResult.message`), never as a traceback that could look like a failed sale.

`pdf` writes a file per receipt; `cups` hands the PDF to the system's print queue with
`lp`; `escpos` sends ESC/POS commands to a thermal printer by USB, TCP or a device file.
ReportLab, python-escpos and Pillow load on the first print, not on import.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from counter.domain.receipt import PrintResult
from counter.files import os_reason
from counter.i18n import LazyString, _
from counter.printing.receipt import PLAIN, Receipt, ReceiptOptions

log = logging.getLogger(__name__)

_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def not_printed(reason: str) -> str:
    """`Receipt not printed: <reason>.`: what happened; the front end says what to do."""
    return _("Receipt not printed: {reason}.").format(reason=reason)


class Printer(Protocol):
    def print_receipt(self, receipt: Receipt) -> PrintResult: ...


class NullPrinter:
    """`printer = "none"`: prints nothing, and says so."""

    def print_receipt(self, receipt: Receipt) -> PrintResult:
        return PrintResult(
            True,
            _("Receipt {receipt} not printed: printing is off.").format(receipt=receipt.receipt_no),
        )


def receipt_file_name(receipt: Receipt) -> str:
    """`A-000042.pdf`; a reprint `A-000042-copy-093005.pdf` (its local reprint time); a
    slip `A-000042-refund-slip.pdf`, so it never takes the original's file."""
    stem = _UNSAFE_IN_FILE_NAME.sub("_", receipt.receipt_no.strip()).strip("._") or "receipt"
    if receipt.slip is not None:
        return f"{stem}-{receipt.slip}-slip.pdf"
    reprinted = receipt.local_copy_printed_at
    if reprinted is not None:
        stem += f"-copy-{reprinted.strftime('%H%M%S')}"
    return f"{stem}.pdf"


class PdfFolderPrinter:
    """Writes each receipt as `<receipt_no>.pdf` into a folder, created when missing.

    Writes go to a temporary file that is renamed into place, so a crash or a full disk
    never leaves half a receipt under the real name. The original receipt is written
    again only by a retry of the same receipt; reprints (COPY) get their own file.
    """

    def __init__(self, folder: Path, width_mm: float = 80, options: ReceiptOptions = PLAIN) -> None:
        self.folder = Path(folder)
        self.width_mm = width_mm
        self.options = options

    def print_receipt(self, receipt: Receipt) -> PrintResult:
        try:
            from counter.printing.pdf import render_pdf  # ReportLab loads on first print

            data = render_pdf(receipt, self.width_mm, self.options)
        except Exception as exc:  # a layout bug must not look like a failed sale
            return _layout_failed(receipt, exc)
        try:
            path = self._write(receipt, data)
        except OSError as exc:
            reason = os_reason(exc)
            log.warning("writing receipt %s to %s failed: %s", receipt.receipt_no, self.folder, exc)
            return PrintResult(
                False,
                not_printed(
                    _("cannot write to {folder} ({reason})").format(
                        folder=self.folder, reason=reason
                    )
                ),
            )
        return PrintResult(
            True,
            _("Receipt {receipt} saved to {path}.").format(receipt=receipt.receipt_no, path=path),
            path,
        )

    def _write(self, receipt: Receipt, data: bytes) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)  # receipts hold numbers
        target = self._target(receipt)
        handle, temp_name = tempfile.mkstemp(dir=self.folder, prefix=".receipt-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as temp:
                temp.write(data)
                temp.flush()
                os.fsync(temp.fileno())
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        return target

    def _target(self, receipt: Receipt) -> Path:
        target = self.folder / receipt_file_name(receipt)
        if not receipt.is_copy and receipt.slip is None:
            return target
        # Two reprints in the same second (or two slips of one sale) keep both files.
        serial = 2
        while target.exists():
            target = target.with_name(f"{Path(receipt_file_name(receipt)).stem}-{serial}.pdf")
            serial += 1
        return target


def _layout_failed(receipt: Receipt, exc: Exception) -> PrintResult:
    log.exception("rendering receipt %s failed", receipt.receipt_no, exc_info=exc)
    return PrintResult(
        False, not_printed(_("it could not be laid out ({error})").format(error=exc))
    )


# -- CUPS -------------------------------------------------------------------------------

_JOB_ID = re.compile(r"request id is (\S+)")


class CupsPrinter:
    """Sends the receipt's PDF to a CUPS queue: `lp -d QUEUE -o media=Custom.WxHmm file.pdf`.

    The media option makes the page the receipt's own size (without it, a receipt lands
    on an A4 page). A queue that is paused (CUPS pauses one whose printer failed) is
    refused before sending, so the receipt waits in the app's print queue instead of in
    CUPS, and a retry cannot print it twice. `ok` means CUPS accepted the job.
    """

    def __init__(
        self,
        queue: str,
        width_mm: float = 80,
        options: ReceiptOptions = PLAIN,
        *,
        timeout_s: float = 20,
        lp: str = "lp",
        lpstat: str = "lpstat",
    ) -> None:
        self.queue = queue
        self.width_mm = width_mm
        self.options = options
        self.timeout_s = timeout_s
        self.lp = lp
        self.lpstat = lpstat

    def print_receipt(self, receipt: Receipt) -> PrintResult:
        lp = shutil.which(self.lp)
        if lp is None:
            return self._failed(
                _("the lp command is missing (install the Debian package cups-client)")
            )
        try:
            from counter.printing.pdf import render_pdf_page

            page = render_pdf_page(receipt, self.width_mm, self.options)
        except Exception as exc:
            return _layout_failed(receipt, exc)
        problem = self._queue_problem()
        if problem:
            return self._failed(problem)
        media = f"Custom.{page.width_mm:.0f}x{page.height_mm + 0.5:.0f}mm"
        with tempfile.TemporaryDirectory(prefix="counter-lp-") as folder:
            path = Path(folder) / f"{_UNSAFE_IN_FILE_NAME.sub('_', receipt.receipt_no)}.pdf"
            path.write_bytes(page.data)
            command = [lp, "-d", self.queue, "-o", f"media={media}", "-t", receipt.receipt_no]
            try:
                done = subprocess.run(
                    [*command, str(path)],
                    capture_output=True,
                    text=True,
                    timeout=self.timeout_s,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                return self._failed(
                    _("the print system did not answer within {seconds:g} seconds").format(
                        seconds=self.timeout_s
                    )
                )
            except OSError as exc:
                return self._failed(
                    _("lp could not be started ({reason})").format(reason=exc.strerror or exc)
                )
        if done.returncode != 0:
            return self._failed(self._lp_error(done.stderr))
        job = _JOB_ID.search(done.stdout)
        if job:
            sent = _("Receipt {receipt} sent to printer {queue} (job {job}).")
        else:
            sent = _("Receipt {receipt} sent to printer {queue}.")
        return PrintResult(
            True,
            sent.format(receipt=receipt.receipt_no, queue=self.queue, job=job[1] if job else ""),
        )

    def _queue_problem(self) -> str | None:
        """Why the queue cannot print now (missing, paused, CUPS down), or None."""
        lpstat = shutil.which(self.lpstat)
        if lpstat is None:
            return None  # lp alone will tell
        state = self._run(lpstat, "-p", self.queue)
        if state is None:
            return None
        code, out = state
        if code != 0:
            return self._why_missing()
        if re.search(r"\bdisabled\b", out):
            return _("printer {queue} is paused in CUPS (cupsenable {queue} resumes it)").format(
                queue=self.queue
            )
        return None

    def _why_missing(self) -> str:
        lpstat = shutil.which(self.lpstat)
        scheduler = self._run(lpstat, "-r") if lpstat else None
        if scheduler is not None and "not running" in scheduler[1]:
            return _("the print system (CUPS) is not running")
        return _("there is no print queue named {queue} (lpstat -p lists the queues)").format(
            queue=self.queue
        )

    def _lp_error(self, stderr: str) -> str:
        text = " ".join(stderr.split())
        if "does not exist" in text or "No such file or directory" in text:
            return self._why_missing()
        if "not accepting jobs" in text:
            return _("printer {queue} is not accepting jobs (cupsaccept {queue})").format(
                queue=self.queue
            )
        return _("lp failed: {reason}").format(
            reason=text.removeprefix("lp: ") or _("no reason given")
        )

    def _run(self, *args: str) -> tuple[int, str] | None:
        try:
            done = subprocess.run(
                args, capture_output=True, text=True, timeout=self.timeout_s, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.returncode, done.stdout + done.stderr

    def _failed(self, reason: str) -> PrintResult:
        log.warning("CUPS printer %s: %s", self.queue, reason)
        return PrintResult(False, not_printed(reason))


# -- ESC/POS ----------------------------------------------------------------------------

_CONNECTION = re.compile(
    r"^(?:usb:(?P<vendor>0x[0-9A-Fa-f]{1,4}):(?P<product>0x[0-9A-Fa-f]{1,4})"
    r"|tcp:(?P<host>[^:\s]+)(?::(?P<port>\d{1,5}))?"
    r"|file:(?P<file>/\S+))$"
)


@dataclass(frozen=True)
class EscposConnection:
    """Where a thermal printer is: `usb:0x04b8:0x0202`, `tcp:HOST[:9100]`, `file:/dev/usb/lp0`."""

    kind: str  # "usb", "tcp" or "file"
    vendor: int = 0
    product: int = 0
    host: str = ""
    port: int = 9100
    path: str = ""

    @classmethod
    def parse(cls, text: str) -> EscposConnection:
        match = _CONNECTION.match(text.strip())
        if match is None:
            raise ValueError(
                _(
                    "{text!r} is not a printer connection: use usb:0xVVVV:0xPPPP, "
                    "tcp:HOST:PORT or file:/dev/..."
                ).format(text=text)
            )
        if match["vendor"]:
            return cls("usb", vendor=int(match["vendor"], 16), product=int(match["product"], 16))
        if match["host"]:
            return cls("tcp", host=match["host"], port=int(match["port"] or 9100))
        return cls("file", path=match["file"])

    def __str__(self) -> str:
        if self.kind == "usb":
            return f"USB {self.vendor:04x}:{self.product:04x}"
        if self.kind == "tcp":
            return f"{self.host}:{self.port}"
        return self.path


class EscposPrinter:
    """A thermal printer spoken to in ESC/POS through python-escpos.

    The whole receipt is first rendered into memory (`Dummy`), then sent in one write, so
    a receipt that cannot be laid out never starts printing half-way.
    """

    def __init__(
        self,
        connection: str | EscposConnection,
        profile: str = "TM-T88V",
        width_mm: float = 80,
        options: ReceiptOptions = PLAIN,
        *,
        timeout_s: float = 10,
        dots: int | None = None,
    ) -> None:
        self.dots = dots  # picture width when the profile does not give one
        self.connection = (
            connection
            if isinstance(connection, EscposConnection)
            else EscposConnection.parse(connection)
        )
        self.profile = profile
        self.width_mm = width_mm
        self.options = options
        self.timeout_s = timeout_s

    def render(self, receipt: Receipt) -> bytes:
        """The exact bytes this printer is sent for `receipt`."""
        from escpos.printer import Dummy

        from counter.printing.escpos import render_escpos

        dummy = Dummy(profile=self.profile)
        render_escpos(receipt, dummy, width_mm=self.width_mm, options=self.options, dots=self.dots)
        return bytes(dummy.output)

    def print_receipt(self, receipt: Receipt) -> PrintResult:
        from escpos.capabilities import CAPABILITIES

        if self.profile not in CAPABILITIES["profiles"]:
            return self._failed(
                _(
                    "python-escpos has no printer profile {profile!r} "
                    "(docs/printers.md lists the names)"
                ).format(profile=self.profile)
            )
        try:
            data = self.render(receipt)
        except Exception as exc:
            return _layout_failed(receipt, exc)
        try:
            device = self._open()
        except Exception as exc:
            return self._failed(self._why_not_open(exc))
        try:
            device._raw(data)
        except Exception as exc:
            return self._failed(
                _("the printer at {printer} stopped answering ({reason})").format(
                    printer=self.connection, reason=_reason(exc)
                )
            )
        finally:
            try:
                device.close()
            except Exception:
                log.debug("closing printer %s failed", self.connection, exc_info=True)
        return PrintResult(
            True,
            _("Receipt {receipt} printed on {printer}.").format(
                receipt=receipt.receipt_no, printer=self.connection
            ),
        )

    def _open(self) -> Any:
        from escpos import printer

        conn = self.connection
        device: Any
        if conn.kind == "usb":
            if not printer.Usb.is_usable():
                raise _NoUsbLibrary("pyusb missing")
            device = printer.Usb(
                conn.vendor, conn.product, timeout=int(self.timeout_s * 1000), profile=self.profile
            )
        elif conn.kind == "tcp":
            device = printer.Network(
                conn.host, conn.port, timeout=self.timeout_s, profile=self.profile
            )
        else:
            device = printer.File(conn.path, profile=self.profile)
        device.open()
        return device

    def _why_not_open(self, exc: Exception) -> str:
        conn, reason = self.connection, _reason(exc)
        if conn.kind == "usb":
            if isinstance(exc, _NoUsbLibrary):
                return _("USB printing needs pyusb (pip install pyusb) and libusb on this machine")
            return _(
                "no printer answers on {printer}: check the cable and power ({reason})"
            ).format(printer=conn, reason=reason)
        if conn.kind == "tcp":
            return _(
                "cannot reach the printer at {printer}: check it is on and on the network ({reason})"
            ).format(printer=conn, reason=reason)
        return _("cannot open the printer device {path} ({reason})").format(
            path=conn.path, reason=reason
        )

    def _failed(self, reason: str) -> PrintResult:
        log.warning("ESC/POS printer %s: %s", self.connection, reason)
        return PrintResult(False, not_printed(reason))


class _NoUsbLibrary(RuntimeError):
    pass


def _reason(exc: BaseException) -> str:
    """The last line of an exception's text (python-escpos puts the OS error there)."""
    text = str(getattr(exc, "msg", "") or exc).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__


# -- choosing ---------------------------------------------------------------------------


class MisconfiguredPrinter:
    """A printer the settings cannot describe: every print says what to fix."""

    def __init__(self, problem: str | LazyString) -> None:
        self.problem = problem  # a LazyString is translated when a print fails

    def print_receipt(self, receipt: Receipt) -> PrintResult:
        return PrintResult(False, not_printed(str(self.problem)))
