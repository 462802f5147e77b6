"""KHQR payloads made by the National Bank of Cambodia's own SDK, to reproduce byte for byte.

PUBLISHED: full payloads (with CRC) from the SDK's test files (npm `bakong-khqr` 1.0.20,
repository gitlab.nbc.gov.kh khqr/sdk-javascript; `test/feature/timestamp/valid.test.js`
and `decode.test.js`), with the inputs they encode.

SDK_RUNS: payloads the same SDK generated on 2026-12-01 (Node 20.20.2) for Counter-like
sales, with `Date.now` fixed at 1764560000123 so the creation time is known; the script
is in docs/payments.md. Both lists give `Merchant` fields, amount, times and payload.

OLDER: payloads published with the earlier SDK (ts-khqr's and the SDK's verify tests):
amounts like `50000.0` and a creation time without expiry. Our builder does not make
these, but the test decoder must read them.
"""

from __future__ import annotations

from typing import Any

PUBLISHED: list[dict[str, Any]] = [
    {
        "name": "individual USD 101, expiry 2 minutes (SDK: 'KHQR was expired')",
        "merchant": {"account_id": "vandoeurn@devb", "name": "Vandoeurn", "city": "Phnom Penh"},
        "currency": "USD",
        "minor": 10100,
        "bill_number": None,
        "purpose": None,
        "created_ms": 1727249364974,
        "expires_ms": 1727249484974,
        "payload": "00020101021229180014vandoeurn@devb52045999530384054031015802KH5909Vandoeurn6010Phnom Penh9934001317272493649740113172724948497463047BD0",
    },
    {
        "name": "individual with account information, every label, Khmer names (decode test 1)",
        "merchant": {
            "account_id": "john_smith@devb",
            "name": "John Smith",
            "city": "PHNOM PENH",
            "account_information": "85512233455",
            "acquiring_bank": "Dev Bank",
            "mobile_number": "85512233455",
            "store_label": "Coffee Shop",
            "terminal_label": "Cashier_1",
            "alternate_language": "km",
            "alternate_name": "ចន ស្មីន",
            "alternate_city": "ភ្នំពញ",
        },
        "currency": "USD",
        "minor": 10000,
        "bill_number": "#12345",
        "purpose": "Buy coffee",
        "created_ms": 1726821915797,
        "expires_ms": 1726822035797,
        "payload": "00020101021229460015john_smith@devb0111855122334550208Dev Bank52045999530384054031005802KH5910John Smith6010PHNOM PENH62670106#123450211855122334550311Coffee Shop0709Cashier_10810Buy coffee64280002km0108ចន ស្មីន0206ភ្នំពញ993400131726821915797011317268220357976304B73E",
    },
    {
        "name": "merchant account, every label, Khmer names (decode test 2)",
        "merchant": {
            "account_id": "khqr@devb",
            "name": "John Smith",
            "city": "PHNOM PENH",
            "merchant_id": "123456",
            "acquiring_bank": "Dev Bank",
            "mobile_number": "85512233455",
            "store_label": "Coffee Shop",
            "terminal_label": "Cashier_1",
            "alternate_language": "km",
            "alternate_name": "ចន ស្មីន",
            "alternate_city": "ភ្នំពញ",
        },
        "currency": "USD",
        "minor": 10000,
        "bill_number": "#12345",
        "purpose": "Buy coffee",
        "created_ms": 1726822962612,
        "expires_ms": 1726823082612,
        "payload": "00020101021230350009khqr@devb01061234560208Dev Bank52045999530384054031005802KH5910John Smith6010PHNOM PENH62670106#123450211855122334550311Coffee Shop0709Cashier_10810Buy coffee64280002km0108ចន ស្មីន0206ភ្នំពញ993400131726822962612011317268230826126304A560",
    },
]

SDK_RUNS: list[dict[str, Any]] = [
    {
        "name": "individual USD 5.00, bill, store, terminal",
        "merchant": {
            "account_id": "lucky_phone@aclb",
            "name": "Lucky Phone",
            "city": "Phnom Penh",
            "store_label": "Lucky Phone",
            "terminal_label": "A",
        },
        "currency": "USD",
        "minor": 500,
        "bill_number": "A-000042",
        "purpose": None,
        "created_ms": 1764560000123,
        "expires_ms": 1764560600123,
        "payload": "00020101021229200016lucky_phone@aclb520459995303840540155802KH5911Lucky Phone6010Phnom Penh62320108A-0000420311Lucky Phone0701A9934001317645600001230113176456060012363046EFE",
        "md5": "8054c7e6c09b8eb2ab294bf3d014f106",
    },
    {
        "name": "individual USD 2.50",
        "merchant": {"account_id": "lucky_phone@aclb", "name": "Lucky Phone", "city": "Phnom Penh"},
        "currency": "USD",
        "minor": 250,
        "bill_number": "A-000043",
        "purpose": None,
        "created_ms": 1764560000123,
        "expires_ms": 1764560600123,
        "payload": "00020101021229200016lucky_phone@aclb52045999530384054042.505802KH5911Lucky Phone6010Phnom Penh62120108A-00004399340013176456000012301131764560600123630453EB",
        "md5": "14c2c6a449d8bb8531165351f0d9aef3",
    },
    {
        "name": "individual USD 0.01",
        "merchant": {"account_id": "lucky_phone@aclb", "name": "Lucky Phone", "city": "Siem Reap"},
        "currency": "USD",
        "minor": 1,
        "bill_number": None,
        "purpose": None,
        "created_ms": 1764560000123,
        "expires_ms": 1764560300123,
        "payload": "00020101021229200016lucky_phone@aclb52045999530384054040.015802KH5911Lucky Phone6009Siem Reap9934001317645600001230113176456030012363048DB7",
        "md5": "9fdf655b49d05fe82fb416c1984ada9d",
    },
    {
        "name": "individual KHR 20000, mobile",
        "merchant": {
            "account_id": "sokha@wing",
            "name": "Sokha Mobile",
            "city": "Battambang",
            "mobile_number": "85512345678",
        },
        "currency": "KHR",
        "minor": 20000,
        "bill_number": "B-001000",
        "purpose": None,
        "created_ms": 1764560000123,
        "expires_ms": 1764561800123,
        "payload": "00020101021229140010sokha@wing5204599953031165405200005802KH5912Sokha Mobile6010Battambang62270108B-001000021185512345678993400131764560000123011317645618001236304E150",
        "md5": "b83cf58b650b29ab34c8995f21247393",
    },
    {
        "name": "individual USD 1234.56, MCC 4814",
        "merchant": {
            "account_id": "sokha@wing",
            "name": "Sokha Mobile",
            "city": "Kampot",
            "terminal_label": "A",
            "mcc": "4814",
        },
        "currency": "USD",
        "minor": 123456,
        "bill_number": "A-123456",
        "purpose": None,
        "created_ms": 1764560000123,
        "expires_ms": 1764560600123,
        "payload": "00020101021229140010sokha@wing52044814530384054071234.565802KH5912Sokha Mobile6006Kampot62170108A-1234560701A9934001317645600001230113176456060012363042810",
        "md5": "a5b056a8970a1071084206b6f340ecd4",
    },
    {
        "name": "merchant KHR 100",
        "merchant": {
            "account_id": "shop@abaa",
            "name": "Dara Shop",
            "city": "Phnom Penh",
            "merchant_id": "012345678",
            "acquiring_bank": "ABA Bank",
            "store_label": "Dara Shop",
            "terminal_label": "C",
        },
        "currency": "KHR",
        "minor": 100,
        "bill_number": "C-000001",
        "purpose": None,
        "created_ms": 1764560000123,
        "expires_ms": 1764560600123,
        "payload": "00020101021230380009shop@abaa01090123456780208ABA Bank52045999530311654031005802KH5909Dara Shop6010Phnom Penh62300108C-0000010309Dara Shop0701C9934001317645600001230113176456060012363049D41",
        "md5": "f766ab164ff5c9fc9ef20c53bc0a4c59",
    },
    {
        "name": "merchant USD 10",
        "merchant": {
            "account_id": "shop@abaa",
            "name": "Dara Shop",
            "city": "Phnom Penh",
            "merchant_id": "012345678",
            "acquiring_bank": "ABA Bank",
        },
        "currency": "USD",
        "minor": 1000,
        "bill_number": None,
        "purpose": None,
        "created_ms": 1764560000123,
        "expires_ms": 1764560060123,
        "payload": "00020101021230380009shop@abaa01090123456780208ABA Bank5204599953038405402105802KH5909Dara Shop6010Phnom Penh993400131764560000123011317645600601236304BF35",
        "md5": "9167eeb875d658b1dafc4d2d8ac93693",
    },
]

OLDER: list[str] = [
    "00020101021229180014jonhsmith@nbcq520459995303116540750000.05802KH5910Jonh Smith6010Phnom Penh62150211855123456789917001316257134678276304A96B",
    "00020101021229180014jonhsmith@nbcq52045999530384054031.05802KH5910Jonh Smith6010PHNOM PENH62210117INV-2021-07-65822991700131625713467827630451CF",
    "00020101021230400014jonhsmith@devb01061234560208Dev Bank520459995303840540410.05802KH5910Jonh Smith6010Phnom Penh62360117INV-2021-07-658220211855123456789917001316257134678276304ED60",
    "00020101021230410015john_smith@devb01061234560208Dev Bank53038405204599954035.05802KH5916john smith actor6010Phnom Penh62150111Invoice#06999170013161343857589263040437",
    "00020101021229190015john_smith@devb52045999530311654065000.05802KH5910jonh smith6010Phnom Penh62360109#INV-20030313Coffee Klaing0702#299170013161302797275763049ACF",
    "00020101021229310014jonhsmith@nbcq0109012345678520459995303116540750000.05802KH5910Jonh Smith6009Siam Reap62550117INV-2021-07-658220211855123456780305BKK-1070601234599170013163039583850263041134",
]

# Published as invalid by the SDK's verify tests: (payload, what is wrong).
INVALID: list[tuple[str, str]] = [
    ("00020101021126200016coffeeklang@pras63045927", "no merchant account, category, name or city"),
    ("63046007", "nothing but a CRC"),
    (
        "00020101021126150011jonhsmith@nbcq5204599953031165802KH5912Jonh Smith6010Phnom Penh63046D28",
        "lengths that do not match the values",
    ),
    (
        "00020101021252045999530384054035.05802KH5916john smith actor6010Phnom Penh62150111Invoice#06999170013161343857589263042494",
        "no account template (29 or 30)",
    ),
    (
        "00020101021229190015john_smith@devb52045999530384054035.05802KH6010Phnom Penh62150111Invoice#06999170013161343857589263043518",
        "no merchant name",
    ),
    (
        "00020101021229190015john_smith@devb52045999530384054035.05802KH5916john smith actor62150111Invoice#06999170013161343857589263043B26",
        "no merchant city",
    ),
    (
        "00020101021229190015john_smith@devb52045999530384954035.05802KH5916john smith actor6010Phnom Penh9917001316134385758926304951E",
        "currency 849",
    ),
    (
        "00020101021229190015john_smith@devb52045999530384054035.05803KKH63042FD2",
        "country code of 3 letters",
    ),
]
