"""A child process that sells in a loop and acknowledges each committed sale.

Run by test_crash.py: `python -m tests.ledger.seller ACK_FILE COUNT` with COUNTER_HOME
(and COUNTER_DATABASE_URL) set. A receipt number is written to ACK_FILE only after
`sell` returned, i.e. after the commit: what the clerk would have seen on screen.
"""

from __future__ import annotations

import os
import random
import sys
import uuid
from dataclasses import replace

from counter.bootstrap import open_ledger
from counter.config import load_settings
from counter.domain.errors import Fault, StorageError
from counter.services import authenticate, sell


def main() -> None:
    ack_path, count = sys.argv[1], int(sys.argv[2])
    opened = open_ledger(load_settings())
    # A test of numbering under kill -9, not of the drawer: the clerk sells at once.
    ledger = replace(opened, policy=replace(opened.policy, shift_required=False))
    clerk = authenticate(ledger, "Dara", "5678")
    rng = random.Random(os.getpid())
    with open(ack_path, "a", encoding="ascii") as ack:
        done = 0
        while count == 0 or done < count:
            number = f"012{rng.randrange(1_000_000):06d}"
            key = uuid.uuid4().hex  # one sale, however often it is tried
            while True:
                try:
                    sale = sell(
                        ledger, clerk, number, "1", allow_duplicate=True, idempotency_key=key
                    )
                    break
                except StorageError as exc:
                    # The ledger busy past its timeout (siblings selling on a loaded machine):
                    # the clerk tries again, as the message says. Anything else is a failure.
                    if exc.fault is not Fault.BUSY:
                        raise
            ack.write(sale.receipt_no + "\n")
            ack.flush()
            done += 1


if __name__ == "__main__":
    main()
