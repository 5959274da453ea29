"""One JSON object per log line, for log collectors in production; no secret key in any line."""

import json
import logging
import re
from datetime import UTC, datetime

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                payload[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


# Addresses whose last part is a secret (a personal link, a calendar feed, a magic link): the key
# must not reach the logs when Django logs a refused request with its path.
SECRET_PATHS = re.compile(r"(/diffusion/|/conventions/agenda/|/saisie/\d+/)[^/\s'\"]+")
HIDDEN = "[clé masquée]"


def redact(text: str) -> str:
    return SECRET_PATHS.sub(lambda match: match[1] + HIDDEN, text)


class RedactSecrets(logging.Filter):
    """Masks the secret part of those addresses in a record's message, arguments and request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            record.request = redact(str(request))
        return True
