"""Every sentence `counter doctor` can say has a test of the case that produces it.

`SENTENCES` maps each msgid of doctor's modules (read with `ast`: every `_()` call) to
the test that makes doctor say it, rendered with its values (`module::test`), or to the
reason it cannot be produced from outside. A new sentence in those modules without a
row here fails `test_every_doctor_sentence_has_its_test`; a row whose test is gone, or
whose test does not hold the sentence's words, fails too.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "counter" / "storage"
MODULES = (
    "integrity",
    "integrity_bindings",
    "integrity_codes",
    "integrity_delivery",
    "integrity_khqr",
    "integrity_paths",
    "schema_check",
    "witness",
    "evidence",
)
S = "test_doctor_sentences::"
R = "test_doctor_sentences_rows::"
T = "test_tamper::"
NOT_DOCTOR = "not said by doctor: "

SENTENCES: dict[str, str] = {
    # integrity.py
    "none": S + "test_every_sale_removed_leaves_a_counter_ahead_of_none",
    "{first} to {last}": S + "test_two_sales_removed_are_named_as_a_range",
    "There is no witness key on this machine, so the chains' seals cannot be checked.": S
    + "test_without_the_witness_key_no_seal_and_no_code_can_be_checked",
    "The sales were not checked: the table {tables} is missing or incomplete.": S
    + "test_a_dropped_table_of_the_sales_stops_their_walk_with_no_false_rollback",
    "No witness log at {path}: nothing there to check against.": S
    + "test_a_witness_log_that_is_not_there",
    "the witness log ({count} lines in {files}, the last on {time})": S
    + "test_the_witness_log_read_and_what_cannot_be_ruled_out_without_it",
    "Checkpoint {id}: its recorded heads cannot be read (changed outside the app).": S
    + "test_a_checkpoint_whose_heads_cannot_be_read",
    "a ledger replaced by an older copy of itself (a rollback), when no sale was made after it": S
    + "test_the_witness_log_read_and_what_cannot_be_ruled_out_without_it",
    "a rewrite by someone who can read this machine's witness key (its shell or its files), "
    "with every hash, seal and checkpoint made again": S
    + "test_the_witness_log_read_and_what_cannot_be_ruled_out_without_it",
    "SQLite integrity check: {result}": S + "test_sqlite_s_own_check_is_said_as_it_reports",
    "{label} {id}: the chain is broken before it (a row was removed or inserted).": S
    + "test_an_audit_row_removed_at_the_end_and_in_the_middle",
    "{label} {id}: changed after it was recorded (its hash does not match).": S
    + "test_a_void_changed_and_a_head_without_its_seal",
    "The {chain} chain has lost its head record (deleted outside the app): rows removed at "
    "its end could not be seen, and nothing more is recorded in it.": T
    + "test_doctor_catches_an_edit_with_a_sentence",
    "The {chain} chain has {count} rows but its head records {recorded} (rows were removed "
    "at its end, or added outside the app).": S
    + "test_an_audit_row_removed_at_the_end_and_in_the_middle",
    "The {chain} chain's head does not carry this shop's seal: the chain was changed and "
    "its hashes made again outside the app.": S + "test_a_void_changed_and_a_head_without_its_seal",
    "Sale {receipt}: the chain is broken before it (a sale was removed or inserted).": S
    + "test_a_sale_removed_between_two_is_a_gap_and_a_broken_link",
    "Sale {receipt}: changed after it was recorded (its hash does not match).": T
    + "test_doctor_catches_an_edit_with_a_sentence",
    "Counter {code}: the last sale's hash does not match the counter (the last sale was "
    "changed or removed).": T + "test_doctor_catches_an_edit_with_a_sentence",
    "Counter {code}: its numbering does not carry this shop's seal: its next number, last "
    "sale or last closed day was changed outside the app.": T
    + "test_doctor_catches_an_edit_with_a_sentence",
    "Counter {code}: receipt numbers missing before {receipt}: {missing}.": S
    + "test_a_sale_removed_between_two_is_a_gap_and_a_broken_link",
    "Counter {code}: the last recorded sale is {last}, but the counter would give {next} "
    "next, a number a sale already has: a sale was added outside the app, or the counter's "
    "numbering was set back.": "test_doctor_numbering::"
    "test_a_counter_set_back_onto_its_last_sale_is_said_in_receipts",
    "Counter {code}: the last recorded sale is {last}, but the counter would give {next} "
    "next, skipping the numbers between: sales were removed at the end, or the counter was "
    "edited.": S + "test_every_sale_removed_leaves_a_counter_ahead_of_none",
    # integrity_bindings.py
    "User {name} (id {id}) has no record in the users chain: the account was added outside "
    "the app.": R + "test_a_user_added_by_sql_has_no_record",
    "User {name} (id {id}): the name, role, state or PIN is not what the users chain last "
    "recorded (changed outside the app).": T + "test_doctor_catches_an_edit_with_a_sentence",
    "The ledger setting {key} is {value}, but the settings chain last recorded {recorded} "
    "(changed outside the app).": R + "test_a_setting_added_or_removed_by_sql",
    "Sale id {id}: the print queue says its original was printed, but the print marks do "
    "not record it (the queue was changed outside the app).": T
    + "test_doctor_catches_an_edit_with_a_sentence",
    "Counter {code}: its last closed day is {closed}, but the day of {day} was closed (the "
    "counter was changed outside the app).": R + "test_a_counter_whose_closed_day_was_cleared",
    "Operator {operator}: the kept airtime balance is {kept} but the recorded restocks, "
    "corrections, sales and voids give {recomputed}.": R + "test_an_operator_balance_set_by_sql",
    # integrity_codes.py
    "The code {code} cannot be checked: there is no witness key on this machine.": S
    + "test_without_the_witness_key_no_seal_and_no_code_can_be_checked",
    "the code of receipt {receipt}": R + "test_z_report_codes_that_match_and_that_do_not",
    "The code {code} does not match receipt {receipt} in this ledger: that sale or one "
    "before it was rewritten after the receipt was printed (or the code was mistyped).": T
    + "test_a_code_that_matches_nothing_says_so",
    "Receipt {receipt} was lost in a restore recorded in the ledger: the customer holds it, "
    "the ledger does not.": S
    + "test_what_a_restore_lost_is_a_note_and_a_lost_receipt_s_code_says_so",
    "Receipt {receipt} was printed, but the ledger's sales of counter {code} end before it: "
    "the ledger was rolled back (replaced by an older copy, or sales removed).": T
    + "test_a_code_that_matches_nothing_says_so",
    "Receipt {receipt} was printed, but the ledger has no such sale: it was removed.": R
    + "test_a_printed_receipt_s_sale_removed_in_the_middle",
    "The Z report code {code} names checkpoint {id}, which the ledger does not have: the "
    "ledger was rolled back to before that close, or rows were removed.": R
    + "test_z_report_codes_that_match_and_that_do_not",
    "the code of checkpoint {id} ({reason} {ref})": R
    + "test_z_report_codes_that_match_and_that_do_not",
    "The Z report code {code} does not match checkpoint {id} in this ledger: the ledger was "
    "rewritten after that close (or the code was mistyped).": R
    + "test_z_report_codes_that_match_and_that_do_not",
    "the code of checkpoint {id}": R + "test_z_report_codes_that_match_and_that_do_not",
    "No receipt or close in this ledger has the code {code}: the ledger was rewritten or "
    "rolled back before it was printed (or the code was mistyped; type the receipt number "
    "with it, as printed: A-000042/7KQ4M-2XDP9).": R + "test_a_bare_code_that_matches_nothing",
    # integrity_delivery.py
    "Sale {receipt} has no delivery record.": R + "test_a_sale_whose_delivery_was_removed",
    "Delivery of {receipt}: {problem}.": R + "test_a_delivery_that_does_not_start_pending",
    "it does not start pending": R + "test_a_delivery_that_does_not_start_pending",
    "its state says {kept} but its last change says {last}": R
    + "test_a_delivery_set_failed_by_sql",
    "Delivery of {receipt} is {state} but no refund was recorded.": R
    + "test_a_delivery_set_failed_by_sql",
    "Refund {id} of {receipt} does not match a failed or reversed delivery.": R
    + "test_a_refund_that_does_not_match_its_delivery",
    "Refund {id} belongs to no delivery.": R + "test_a_refunded_delivery_removed",
    # integrity_khqr.py
    "KHQR payment {bill}: {problem}.": "test_khqr::test_doctor_finds_a_path_that_skips_a_state",
    "it does not start waiting": "test_khqr::test_doctor_finds_a_path_that_skips_a_state",
    "KHQR payment {bill} was sold but names no recorded sale.": R
    + "test_a_khqr_payment_whose_sale_was_unlinked",
    "Sale {receipt} has no KHQR payment line for {bill}.": "test_khqr::"
    "test_doctor_finds_an_edited_or_forged_khqr_record",
    "Sale {receipt} has a KHQR payment line that no confirmed KHQR payment gave.": R
    + "test_a_khqr_payment_whose_sale_was_unlinked",
    # integrity_paths.py (inside "Delivery of ..." and "KHQR payment ...")
    "it has no recorded change": R + "test_a_delivery_whose_changes_were_removed",
    "change {number} does not follow the one before it": R + "test_a_delivery_change_renumbered",
    "{before} cannot become {after}": R + "test_a_delivery_made_to_skip_a_state",
    # schema_check.py
    "The table {table} is missing from the ledger (dropped outside the app): what it holds "
    "cannot be read or checked.": T + "test_doctor_catches_an_edit_with_a_sentence",
    "The column {column} of table {table} is missing from the ledger.": S
    + "test_a_dropped_column_is_named_and_doctor_still_speaks",
    "The index {index} of table {table} is missing from the ledger.": S
    + "test_a_dropped_index_is_named",
    "The unique key {index} of table {table} is missing from the ledger.": S
    + "test_a_table_made_again_without_its_unique_key_is_named",
    # witness.py
    "Cannot write the witness log {path}: {reason}.": NOT_DOCTOR
    + "written when a commit appends its line (tests/storage), never by the doctor's walk",
    "Cannot read the witness log {path}: {reason}.": S + "test_a_witness_log_that_cannot_be_read",
    "Line {line} of the witness log {path} is not a witness line (it was cut or edited).": S
    + "test_a_cut_witness_line",
    "Line {line} of the witness log {path} is not signed with this shop's witness key: it "
    "was edited or forged, or comes from another shop.": T
    + "test_a_forged_witness_line_is_refused",
    # evidence.py (what the witnesses saw)
    "line {line} of {path}": S
    + "test_rows_removed_at_the_end_with_the_key_are_a_rollback_to_the_witnesses",
    "checkpoint {id}": S + "test_a_void_rewritten_with_the_key_differs_from_the_day_close",
    "counter {code}'s sales": S
    + "test_what_a_restore_lost_is_a_note_and_a_lost_receipt_s_code_says_so",
    "the {chain} chain": S + "test_a_void_rewritten_with_the_key_differs_from_the_day_close",
    "Counter {code}: receipt {code}-{seq:06d} is not what {source} saw on {time} ({count} "
    "witnessed points differ): that sale or one before it was rewritten.": S
    + "test_sales_rewritten_with_the_key_differ_from_the_day_close",
    "{title}: row {position} is not what {source} saw on {time} ({count} witnessed points "
    "differ): that row or one before it was rewritten.": S
    + "test_a_void_rewritten_with_the_key_differs_from_the_day_close",
    "Counter {code}: the ledger's sales end at {code}-{have:06d}, but {source} saw "
    "{code}-{seq:06d} on {time}: the ledger was rolled back (replaced by an older copy, or "
    "sales were removed).": S
    + "test_the_last_sale_removed_with_the_key_is_a_rollback_to_the_day_close",
    "{title} has {have} rows, but {source} saw {position} on {time}: the ledger was rolled "
    "back (replaced by an older copy, or rows were removed).": S
    + "test_rows_removed_at_the_end_with_the_key_are_a_rollback_to_the_witnesses",
    "{title}: {count} witnessed points up to {position} were lost in a restore recorded in "
    "the ledger.": S + "test_what_a_restore_lost_is_a_note_and_a_lost_receipt_s_code_says_so",
}


def doctor_msgids() -> set[str]:
    """Every msgid of a `_()` call in doctor's modules."""
    found = set()
    for module in MODULES:
        tree = ast.parse((SRC / f"{module}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(str(node.args[0].value))
    return found


def _literals(module: str) -> list[str]:
    """The string literals of a test module (implicit concatenations joined by `ast`)."""
    path = Path(__file__).with_name(f"{module}.py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def _words(msgid: str) -> str:
    """The msgid's longest stretch of words between placeholders."""
    return max(re.split(r"\{[^}]*\}", msgid), key=len)


def test_every_doctor_sentence_has_its_test() -> None:
    said = doctor_msgids()
    assert len(said) > 50, "the msgids were not found: has doctor moved?"
    assert sorted(said - set(SENTENCES)) == [], "a doctor sentence with no test in SENTENCES"
    assert sorted(set(SENTENCES) - said) == [], "a row of SENTENCES doctor no longer says"


def test_each_named_test_exists_and_holds_the_sentence_s_words() -> None:
    wrong = []
    for msgid, where in SENTENCES.items():
        if where.startswith(NOT_DOCTOR):
            continue
        module, test = where.split("::")
        found = importlib.import_module(f"tests.ledger.{module}")
        words = _words(msgid).strip()
        if not callable(getattr(found, test, None)):
            wrong.append(f"{where}: no such test")
        elif not any(words in text for text in _literals(module)):
            wrong.append(f"{where}: does not say {words!r}")
    assert wrong == []
