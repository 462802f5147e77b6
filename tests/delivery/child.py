"""A separate process that delivers one top-up, so a test can kill it mid-way.

    python -m tests.delivery.child modem PORT REFERENCE
    python -m tests.delivery.child api BASE_URL REFERENCE MSISDN

It prints the outcome as JSON when it gets that far.
"""

from __future__ import annotations

import json
import sys

from counter.delivery.dtone import DtOneChannel, DtOneOptions
from counter.delivery.modem import ModemChannel, ModemOptions
from tests.delivery.conftest import SMART_CODES, request_for


def main(argv: list[str]) -> None:
    kind, where, reference = argv[:3]
    if kind == "modem":
        options = ModemOptions(
            port=where,
            ussd_timeout_seconds=30,
            sms_wait_seconds=30,
            operators={"smart": SMART_CODES},
        )
        outcome = ModemChannel(options).send(request_for(reference))
    else:
        channel = DtOneChannel(DtOneOptions(base_url=where, request_timeout_seconds=30))
        outcome = channel.send(request_for(reference, msisdn=argv[3]))
    print(json.dumps({"answer": outcome.answer, "ref": outcome.provider_ref}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
