"""The project's own error types: each carries a sentence a clerk can act on."""


class CounterError(Exception):
    """Base for every refusal the app explains to a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NumberError(CounterError):
    """A phone number that cannot be topped up, and why."""


class AmountError(CounterError):
    """A typed amount that is not a valid amount of money, and why."""


class PaymentError(CounterError):
    """Cash received that does not cover the sale."""


class RulesError(CounterError):
    """An operator rules file that cannot be used; names the file and the field."""


class RateError(CounterError):
    """An exchange rate that this shop does not accept, and why; `rate` is what was given."""

    def __init__(self, message: str, *, rate: int | None = None) -> None:
        super().__init__(message)
        self.rate = rate


class DisplayError(CounterError):
    """A customer's display address that cannot be used, or a server that cannot start there."""
