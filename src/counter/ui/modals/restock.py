"""Restock: airtime bought from an operator (operator, amount, reference), confirmed by a
supervisor's or admin's name and PIN. Dismisses with (operator id, new balance) or None."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Static

from counter import services
from counter.domain.errors import AmountError
from counter.domain.records import Approval
from counter.i18n import _
from counter.ui.lang import N_
from counter.ui.modals.form import FormModal, read_usd_cents, supervisor_fields
from counter.ui.till import Till
from counter.ui.widgets.field_input import FieldInput

_FIELDS = (
    "#restock-operator",
    "#restock-amount",
    "#restock-ref",
    "#restock-supervisor",
    "#restock-pin",
)


class RestockScreen(FormModal):
    CSS_PATH = ["form.tcss", "restock.tcss"]  # noqa: RUF012 (Textual declares it)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="restock-back")
    ]

    def __init__(self, till: Till) -> None:
        super().__init__()
        self.till = till

    def compose(self) -> ComposeResult:
        known = ", ".join(op.id for op in self.till.rules)
        with Vertical(id="restock-box", classes="form-box") as box:
            box.border_title = _("Restock operator airtime")
            yield Static(
                _(
                    "Airtime bought from an operator ({operators}). A supervisor or admin confirms."
                ).format(operators=known),
                classes="form-intro",
            )
            with Grid(classes="form-fields"):
                for label, field_id, placeholder, extra in (
                    (
                        _("Operator"),
                        "restock-operator",
                        _("e.g. {example}").format(example="smart"),
                        {"max_length": 20},
                    ),
                    (
                        _("Amount USD"),
                        "restock-amount",
                        _("e.g. {example}").format(example="100.00"),
                        {"max_length": 12, "restrict": r"[0-9.,$]*"},
                    ),
                    (
                        _("Reference"),
                        "restock-ref",
                        _("invoice or dealer slip (optional)"),
                        {"max_length": 64},
                    ),
                ):
                    index = _FIELDS.index(f"#{field_id}")
                    yield Label(label, classes="fact-label")
                    yield FieldInput(
                        placeholder=placeholder,
                        id=field_id,
                        next_field=_FIELDS[index + 1],
                        ready=lambda: True,
                        **extra,
                    )
                yield from supervisor_fields("restock")
            yield Static("", id="form-problem")
            yield Static(
                _("Enter goes to the next line; Enter on the PIN records · Esc: back"),
                classes="form-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#restock-operator", Input).focus()

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id != "restock-pin":
            return  # FieldInput moved on
        operator, amount_text = self.value("#restock-operator"), self.value("#restock-amount")
        ref, supervisor = self.value("#restock-ref"), self.value("#restock-supervisor")
        pin = self.query_one("#restock-pin", Input).value
        if not operator or not amount_text or not supervisor or not pin:
            self.say(_("Type the operator, the amount, the supervisor's name and PIN."))
            return
        try:
            cents = read_usd_cents(amount_text)
        except AmountError as exc:
            self.say(exc.message)
            return
        op = operator.lower()
        ledger = self.till.ledger

        def record() -> tuple[str, int]:
            approval = Approval(supervisor, pin)
            return op, services.restock(ledger, op, cents, ref=ref, by=approval)

        self.run_call(record)

    def refused(self) -> None:
        pin = self.query_one("#restock-pin", Input)
        pin.value = ""
        pin.focus()

    def action_back(self) -> None:
        if not self.busy:
            self.dismiss(None)
