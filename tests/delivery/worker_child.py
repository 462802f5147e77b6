"""A separate process that runs the delivery worker once over its counter's deliveries, so
a test can kill it between "sent" and "answer", or race two of them.

    python -m tests.delivery.worker_child [SWEEPS]

The ledger, the counter and `[delivery]` come from the environment (COUNTER_HOME,
COUNTER_COUNTER_CODE, COUNTER_DELIVERY), as for `counter screen`. It prints one line per
delivery it recorded: receipt and state.
"""

from __future__ import annotations

import sys

from counter.bootstrap import open_ledger
from counter.config import load_settings
from counter.couriers import ChannelCourier
from counter.services.delivery_worker import DeliveryWorker


def main(argv: list[str]) -> None:
    sweeps = int(argv[0]) if argv else 1
    settings = load_settings()
    ledger = open_ledger(settings)
    courier = ChannelCourier(settings.delivery)
    worker = DeliveryWorker(ledger, courier)
    for _ in range(sweeps):
        for recorded in worker.run_once():
            print(recorded.delivery.receipt_no, recorded.delivery.state.value, flush=True)
    courier.close()
    ledger.close()


if __name__ == "__main__":
    main(sys.argv[1:])
