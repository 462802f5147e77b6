"""Reading digits the way customers and keyboards write them."""

# Khmer digits (U+17E0..U+17E9) and full-width digits (typed with a Chinese input
# method) are read as the ASCII digits they stand for. Other scripts' digits are not:
# nobody at a Cambodian counter types them, so they are more likely a mistake.
_DIGITS = {ord(c): str(i) for i, c in enumerate("០១២៣៤៥៦៧៨៩")}
_DIGITS.update({ord(c): str(i) for i, c in enumerate("０１２３４５６７８９")})
_DIGITS.update({ord("＋"): "+", ord("．"): ".", ord("，"): ",", ord("－"): "-"})
_DIGITS.update({ord("（"): "(", ord("）"): ")", ord("　"): " "})


def to_ascii_digits(text: str) -> str:
    """Replace Khmer and full-width digits (and full-width + . , - ( ) space) by ASCII."""
    return text.translate(_DIGITS)
