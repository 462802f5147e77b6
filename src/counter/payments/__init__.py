"""Tenders beyond cash: the KHQR payload and the Bakong API client."""
