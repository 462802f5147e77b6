"""Text at the boundary: every field a person types is refused in words, naming the field,
when it holds a control, bidi-override or other format character; nothing is recorded.

The screen and the CLI both reach these use cases, so this is the check both get."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter.domain.deliveries import DeliveryPlan
from counter.domain.delivery import Channel
from counter.domain.errors import SaleRefused, UnsafeText
from counter.domain.records import Approval
from counter.services import add_user, correct_float, restock, sell, void_sale
from counter.services.deliveries import resolve
from counter.services.setup import check_setup
from tests.fakes import book_of
from tests.usecases.shop import ADMIN_PIN, SUPERVISOR_PIN, FakeShop, fake_shop

KHMER_FORMAT = "\u200b\u200c\u200d"
refused = st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp"]).filter(
    lambda c: c not in KHMER_FORMAT
)
plain = st.text(st.characters(categories=["L", "N", "Zs"]), max_size=10)
dirty = st.tuples(plain, refused, plain).map("".join)


def _sell_ref(shop: FakeShop, text: str) -> None:
    sell(shop.ledger, shop.clerk, "012 345 678", "5", operator_ref=text)


def _sell_key(shop: FakeShop, text: str) -> None:
    sell(shop.ledger, shop.clerk, "012 345 678", "5", idempotency_key="k" + text)


def _void(shop: FakeShop, text: str) -> None:
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "5")
    void_sale(
        shop.ledger,
        sale.receipt_no,
        reason="wrong number " + text,
        requested_by=shop.clerk,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
    )


def _user(shop: FakeShop, text: str) -> None:
    add_user(shop.ledger, "Bopha" + text, "clerk", "4321", by=shop.admin)


def _restock(shop: FakeShop, text: str) -> None:
    restock(shop.ledger, "cellcard", 10_000, ref="INV" + text, by=shop.supervisor)


def _correction(shop: FakeShop, text: str) -> None:
    correct_float(shop.ledger, "cellcard", 100, reason="statement " + text, by=shop.supervisor)


def _delivery(field: str) -> Callable[[FakeShop, str], None]:
    def resolve_with(shop: FakeShop, text: str) -> None:
        plan = DeliveryPlan(channels={"cellcard": Channel.MANUAL})
        shop = replace(shop, ledger=replace(shop.ledger, delivery=plan))
        sale = sell(shop.ledger, shop.clerk, "012 345 678", "5")
        if field == "ref":
            resolve(shop.ledger, sale.receipt_no, delivered=True, by=shop.clerk, ref="88" + text)
        else:
            approval = Approval("Vanna", SUPERVISOR_PIN)
            resolve(shop.ledger, sale.receipt_no, delivered=False, by=approval, reason=text)

    return resolve_with


def _shop_name(shop: FakeShop, text: str) -> None:
    check_setup("Dara Phone" + text, "A", "Sok", ADMIN_PIN)


def _address(shop: FakeShop, text: str) -> None:
    check_setup("Dara Phone", "A", "Sok", ADMIN_PIN, "St 271 " + text)


FIELDS = {
    "The operator reference": _sell_ref,
    "The idempotency key": _sell_key,
    "The reason for the void": _void,
    "The user name": _user,
    "The restock reference": _restock,
    "The reason for the correction": _correction,
    "The reference": _delivery("ref"),
    "The reason": _delivery("reason"),
    "The shop name": _shop_name,
    "The shop's address": _address,
}


def _recorded(shop: FakeShop) -> tuple[int, int, int, int, int]:
    book = book_of(shop.ledger)
    return (
        len(book.sales),
        len(book.voids),
        len(book.users),
        len(book.moves),
        len(book.delivery.changes),
    )


@pytest.mark.parametrize("field", FIELDS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=dirty)
def test_every_text_field_refuses_an_unsafe_character_naming_the_field(
    field: str, text: str
) -> None:
    shop = fake_shop()
    with pytest.raises(UnsafeText) as refusal:
        FIELDS[field](shop, text)
    assert refusal.value.message.startswith(f"{field} contains U+")
    assert refusal.value.field == field


@pytest.mark.parametrize("field", FIELDS)
def test_the_same_fields_take_khmer_chinese_and_plain_text(field: str) -> None:
    shop = fake_shop()
    before = _recorded(shop)
    FIELDS[field](shop, " ដារ៉ា\u200bហាង 店")
    if field not in ("The shop name", "The shop's address"):  # checked, nothing recorded yet
        assert _recorded(shop) != before


def test_a_refused_reference_records_nothing() -> None:
    shop = fake_shop()
    before = _recorded(shop)
    with pytest.raises(UnsafeText, match="The operator reference contains U\\+001B"):
        _sell_ref(shop, "\x1b[2J")
    with pytest.raises(UnsafeText, match="The reason for the void contains U\\+202E"):
        _void(shop, "\u202e")
    # the void's sale was sold before its reason was refused; the void itself is not there
    assert _recorded(shop)[1] == before[1]
    assert _recorded(shop)[0] == before[0] + 1


@pytest.mark.parametrize("empty", ["", "   "])
def test_an_empty_idempotency_key_is_refused_not_replaced(empty: str) -> None:
    shop = fake_shop()
    with pytest.raises(SaleRefused) as refused:
        sell(shop.ledger, shop.clerk, "012 345 678", "5", idempotency_key=empty)
    assert refused.value.errors == (
        "The idempotency key is empty: give the same 1 to 64 characters with each try of "
        "one sale, or no key at all.",
    )
    assert not book_of(shop.ledger).sales


def test_a_key_of_one_control_character_is_refused_as_such_not_as_empty() -> None:
    """Python's strip() takes \\x1c-\\x1f for spaces: the character is named first."""
    shop = fake_shop()
    with pytest.raises(UnsafeText, match="The idempotency key"):
        sell(shop.ledger, shop.clerk, "012 345 678", "5", idempotency_key="\x1f")
    assert not book_of(shop.ledger).sales
