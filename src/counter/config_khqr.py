"""`[khqr]`: the shop's Bakong account for KHQR payments (docs/payments.md).

Kept apart from `config.py` so that file stays one screenful of settings per concern.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from counter.payments.address import DEFAULT_API_URL, check_api_url


class KhqrSettings(BaseModel):
    """`[khqr]`: the shop's Bakong account for KHQR payments (docs/payments.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    account_id: str | None = None
    """The shop's Bakong account id, like `shop@aclb` (the bank app shows it)."""

    merchant_name: str | None = None
    """The name the customer's bank app shows (25 characters at most)."""

    merchant_city: str | None = None
    """The shop's city (15 characters at most), e.g. `Phnom Penh`."""

    merchant_id: str | None = None
    """For a bank's merchant account only: the merchant id the bank gave."""

    acquiring_bank: str | None = None
    """For a merchant account: the bank's name, e.g. `ABA Bank`."""

    mcc: str = Field(default="5999", pattern=r"^[0-9]{4}$")
    """Merchant category code; 5999 (miscellaneous retail) is the NBC SDK's default."""

    store_label: str | None = None
    """Shown in the bank app; left out when the code must be smaller to fit the screen."""

    terminal_label: str | None = None
    """Shown in the bank app; empty means this counter's code."""

    mobile_number: str | None = None
    """The shop's number for the bank app, digits only (`85512345678`); optional."""

    expiry_minutes: int = Field(default=10, ge=1, le=1440)
    """How long a code can be paid."""

    token_env: str = "BAKONG_TOKEN"
    """The environment variable holding the Bakong API token (it wins over the file)."""

    token_file: Path | None = None
    """A file holding the token; only its owner may read it (mode 0600)."""

    api_url: str = DEFAULT_API_URL
    """The Bakong Open API; https only (plain http only to this machine, for tests)."""

    allow_manual_confirm: bool = False
    """Let a clerk confirm a payment seen in the shop's bank app, with its reference."""

    @field_validator("api_url")
    @classmethod
    def _https_only(cls, value: str) -> str:
        return check_api_url(value)
