"""The shop's rules in pure Python: numbers, money, operators and verdicts.

Nothing here does I/O or imports a UI, database or PDF library (an import-linter
contract holds it), so every rule is quick to test and safe to call on each keystroke.
"""
