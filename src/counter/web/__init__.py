"""The customer's display: a small web page beside the counter."""
