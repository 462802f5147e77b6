"""`python -m counter` runs the same entry point as the `counter` script."""

from counter.cli import main

main()
