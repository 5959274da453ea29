"""The terms engine: status, deadlines and timeline of a convention on any date (no Django).

``compute(data, on)`` is the Python API; ``partenariats timeline`` (``terms.cli``) the command.
The rules are written in ``terms.engine``'s docstring.
"""

from partenariats.terms.engine import OUTPUT_KEYS, STATUS_LABELS, STATUSES, TIMELINE_KINDS, compute
from partenariats.terms.inputs import TermsInputError

__all__ = ["OUTPUT_KEYS", "STATUSES", "STATUS_LABELS", "TIMELINE_KINDS", "TermsInputError", "compute"]
