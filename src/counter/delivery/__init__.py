"""Channels that deliver a top-up to the customer's phone (assumed, manual, modem, API)."""
