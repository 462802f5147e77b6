"""KHQR payments: the code a customer's bank app scans, and Bakong's word that it was paid.

An adapter: it imports only `counter.domain` and `counter.i18n` (an import-linter contract
holds it), so the screen, the CLI and the later ledger step can all use it.
"""
