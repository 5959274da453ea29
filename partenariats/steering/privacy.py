"""Personal data out of the public documents: e-mail addresses and French telephone numbers.

Plain Python, no Django: the minutes and the review both scrub their free texts with it before
a public version is drawn.
"""

import re

REMOVED = "[coordonnées retirées]"

# The local part as RFC 5322 allows it unquoted (atext and dots), the domain as a host name.
EMAIL = re.compile(r"[\w!#$%&'*+\-/=?^`{|}~.]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)

# 06 12 34 56 78, 06.12.34.56.78, 06-12-34-56-78, 0612345678, +33 6 12 34 56 78, +33 (0)6 12…,
# 0033 6 12…: ten digits starting with 0 (or the country code instead of the 0). A year range
# (« 2025-2026 »), a count (« 340 élèves ») or a date (« 01/12/2026 ») has no such shape.
PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|0)"
    r"[1-9](?:[\s.\-]?\d{2}){4}"
    r"(?!\d)"
)


def scrub_personal_data(text: str) -> str:
    """``text`` with every e-mail address and French telephone number replaced by « [coordonnées retirées] »."""
    if not text:
        return text or ""
    text = EMAIL.sub(REMOVED, text)
    return PHONE.sub(REMOVED, text)
