"""Hand-made sales and voids (the ledger's own records) for the reporting tests, and a
random day for timing."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from counter.domain.cash import Payment, settle
from counter.domain.dayend import DaySummary, summarise
from counter.domain.money import Money
from counter.domain.operators import Operator, RuleBook
from counter.domain.records import Sale, Void

DAY = date(2026, 11, 25)
ZONE = ZoneInfo("Asia/Phnom_Penh")  # UTC+7
RATE = 4000
PRINTED_AT = datetime(2026, 11, 25, 14, 5, tzinfo=UTC)  # 21:05 in Phnom Penh
COMMISSION_BP = {
    "smart": 350,
    "cellcard": 300,
    "metfone": 400,
    "seatel": 500,
    "cootel": 500,
    "qb": 250,
}
OPERATOR_NAMES = {
    "smart": "Smart",
    "cellcard": "Cellcard",
    "metfone": "Metfone",
    "seatel": "Seatel",
    "cootel": "CooTel",
    "qb": "qb",
}


def rules() -> RuleBook:
    """The operators of the sample, with their commission rates."""
    return RuleBook(
        Operator(op, OPERATOR_NAMES[op], "#000000", True, {}, 50, 10_000, 50, commission_bp=bp)
        for op, bp in COMMISSION_BP.items()
    )


def sale_row(
    receipt_no: str,
    local_time: str,
    operator: str,
    amount: str,
    *,
    clerk: str = "Dara",
    paid: str | None = None,
    currency: str = "USD",
    status: str = "sold",
    day: date = DAY,
) -> Sale:
    """One recorded sale; change is worked out with the domain's own rule, as the till does."""
    hour, minute = (int(p) for p in local_time.split(":"))
    at = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).astimezone(UTC)
    cents = int(amount.replace(".", ""))
    if paid is None:
        paid = amount
    paid_money = (
        Money.usd(int(paid.replace(".", ""))) if currency == "USD" else Money.khr(int(paid))
    )
    change = settle(cents, Payment.cash(paid_money), RATE)
    return Sale(
        id=_sale_id(receipt_no),
        receipt_no=receipt_no,
        counter_code=receipt_no.split("-")[0],
        clerk_id=1,
        clerk_name=clerk,
        created_at=at,
        business_date=day,
        operator_id=operator,
        msisdn="+85512345678",
        amount_cents=cents,
        validity_days=None,
        payment=change.payment,
        riel_per_usd=RATE,
        change_usd_cents=change.change_usd_cents,
        change_khr=change.change_khr,
        rounding_khr=change.rounding_khr,
        operator_ref=f"REF{receipt_no[-3:]}",
        idempotency_key=f"key-{receipt_no}",
        voided=status == "voided",
    )


def _sale_id(receipt_no: str) -> int:
    counter, _dash, number = receipt_no.rpartition("-")
    return (ord(counter[0]) - ord("A")) * 1_000_000 + int(number)


def void_of(
    sale: Sale,
    reason: str = "test",
    *,
    by: str = "Dara",
    approver: str = "Chenda",
    at: datetime | None = None,
) -> Void:
    return Void(
        sale.id,
        sale.id,
        sale.receipt_no,
        by,
        approver,
        at or sale.created_at,
        reason,
        sale.amount_cents,
    )


def sample_rows() -> list[Sale]:
    """Two counters, three clerks, riel payments, a void (A-000004) and a gap (A-000007)."""
    return [
        sale_row("A-000001", "07:05", "smart", "5.00", paid="10.00"),
        sale_row("A-000002", "07:40", "cellcard", "2.00", paid="8000", currency="KHR"),
        sale_row(
            "A-000003", "08:10", "metfone", "1.00", paid="5000", currency="KHR", clerk="Sokha"
        ),
        sale_row("A-000004", "08:15", "smart", "10.00", status="voided", clerk="Sokha"),
        sale_row("A-000005", "09:30", "smart", "2.50", paid="3.00", clerk="Sokha"),
        sale_row("A-000006", "11:00", "seatel", "1.25", paid="2.00"),
        # A-000007 is missing on purpose.
        sale_row("A-000008", "12:45", "cootel", "20.00", paid="20.00", clerk="Vanna"),
        sale_row("A-000009", "13:05", "smart", "1.00", paid="4000", currency="KHR", clerk="Vanna"),
        sale_row("A-000010", "17:50", "qb", "3.00", paid="5.00"),
        sale_row("B-000001", "07:20", "smart", "5.00", clerk="Vanna"),
        sale_row(
            "B-000002", "10:00", "metfone", "10.00", paid="50000", currency="KHR", clerk="Vanna"
        ),
        sale_row("B-000003", "18:30", "cellcard", "0.50", paid="1.00", clerk="Vanna"),
    ]


def sample_voids() -> list[Void]:
    voided = next(s for s in sample_rows() if s.receipt_no == "A-000004")
    return [
        void_of(
            voided,
            "wrong number",
            by="Sokha",
            at=datetime(2026, 11, 25, 1, 20, tzinfo=UTC),
        )
    ]


def summary_of(
    rows: list[Sale], voids: list[Void], counters: tuple[str, ...] = ("A", "B")
) -> DaySummary:
    return summarise(
        rows,
        voids,
        shop_name="Sok Phone Shop",
        day=DAY,
        counters=counters,
        printed_by="Chenda",
        printed_at=PRINTED_AT,
        rules=rules(),
        zone=ZONE,
    )


def random_day(n: int, seed: int = 5, void_every: int = 50) -> tuple[list[Sale], list[Void]]:
    """`n` realistic sales on counter A between 07:00 and 21:00, every `void_every`-th voided."""
    rng = random.Random(seed)
    clerks = ["Dara", "Sokha", "Vanna", "Chenda"]
    amounts = ["1.00", "2.00", "2.50", "5.00", "10.00", "20.00"]
    rows: list[Sale] = []
    voids: list[Void] = []
    for i in range(1, n + 1):
        seconds = 7 * 3600 + (14 * 3600 * i) // (n + 1)
        minute = (datetime(2026, 1, 1) + timedelta(seconds=seconds)).strftime("%H:%M")
        amount = rng.choice(amounts)
        voided = i % void_every == 0
        receipt = f"A-{i:06d}"
        row = sale_row(
            receipt,
            minute,
            rng.choice(list(OPERATOR_NAMES)),
            amount,
            clerk=rng.choice(clerks),
            status="voided" if voided else "sold",
        )
        rows.append(row)
        if voided:
            voids.append(void_of(row))
    return rows, voids
