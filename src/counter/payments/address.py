"""The Bakong API's address: https only, so the token never travels in clear.

Kept apart from the client so that the settings can check the address without importing
httpx (start-up stays fast).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from counter.i18n import _

__all__ = ["DEFAULT_API_URL", "check_api_url"]

DEFAULT_API_URL = "https://api-bakong.nbc.gov.kh"
_LOCAL = ("localhost", "127.0.0.1", "::1")


def check_api_url(url: str) -> str:
    """The address without a trailing slash; plain http is allowed only to this machine."""
    parts = urlsplit(url)
    if not parts.hostname or not (
        parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOCAL)
    ):
        raise ValueError(
            _(
                "{url!r} is not an https address: the Bakong token must never travel in clear."
            ).format(url=url)
        )
    return url.rstrip("/")
