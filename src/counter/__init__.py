"""Counter: the top-up counter of a Cambodian phone shop."""

__version__ = "0.1.0"
