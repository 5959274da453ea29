"""The logs never hold the secret part of a personal link, a calendar feed or a magic link."""

import io
import logging

import pytest
from django.test import Client

from partenariats.core.logging import JsonFormatter, RedactSecrets

KEYS = {
    "/diffusion/Zx9_secret-key/": "/diffusion/[clé masquée]/",
    "/conventions/agenda/abcdef0123.ics": "/conventions/agenda/[clé masquée]",
    "/saisie/12/jeton-secret/": "/saisie/12/[clé masquée]/",
}


@pytest.fixture
def captured():
    """What the console handler of the settings writes, with its filter and the JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactSecrets())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "masked"), KEYS.items())
def test_a_refused_secret_link_is_logged_without_its_key(captured, path, masked):
    Client().get(path)
    logged = captured.getvalue()
    secret = path.strip("/").split("/")[-1].removesuffix(".ics")
    assert secret not in logged
    if not path.startswith("/diffusion/"):  # that view logs its refusals itself, without the path
        assert masked.rstrip("/") in logged


def test_other_paths_are_logged_as_they_are():
    record = logging.makeLogRecord({"msg": "Not Found: %s", "args": ("/conventions/12/",)})
    RedactSecrets().filter(record)
    assert record.getMessage() == "Not Found: /conventions/12/"
