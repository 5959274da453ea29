"""A record's page drawn once per data version and reader's scope, then served from the cache.

A record's page (a convention, a plan, an activity, an organisation, an indicator page, the
quick entry's empty form) is the same for every reader of the same scope on the same day until
its records change: its query-heavy part is drawn by a template of
its own (``_<name>_body.html``, which reads only what it is given: no ``request``, no ``user``)
and kept under the page's key, the reader's scope (:func:`core.cache.scope_key`: what they may
see and change), the day and the data version. The rest (the base template, what is the user's
own, like following a convention) is drawn for each request.

Forms in the kept part carry a slot instead of their CSRF token, filled with the reader's own
token on the way out: a token is never shared between readers. The slots' names derive from
the secret key, so that no text a user writes into a record can name one.
"""

import hashlib
from collections.abc import Callable, Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from partenariats.core.cache import scope_key, versioned


def _slot(name: str) -> str:
    """What the kept HTML holds where ``name`` goes (letters and digits: escaping leaves it be)."""
    secret = hashlib.sha256(f"core.fragments:{settings.SECRET_KEY}".encode()).hexdigest()[:20]
    return f"slot{name}{secret}"


def cached_html(
    request: HttpRequest,
    key: str,
    template: str,
    context: Callable[[], dict],
    *,
    fill: Mapping[str, str] | None = None,
) -> SafeString:
    """``template`` drawn with ``context()`` for ``request``'s reader, kept in the cache under
    ``key``, their scope, today and the data version; each name of ``fill`` is a slot the
    template writes (``{{ slots.follow }}``), replaced by its reader's own HTML."""
    today = timezone.localdate().isoformat()
    fill = fill or {}
    slots = {name: _slot(name) for name in fill}
    token_slot = _slot("csrf")

    def draw() -> str:
        return str(render_to_string(template, {**context(), "csrf_token": token_slot, "slots": slots}))

    html = versioned(lambda: f"page:{key}:{today}:{scope_key(request.user)}", draw)
    if token_slot in html:
        html = html.replace(token_slot, get_token(request))
    for name, value in fill.items():
        html = html.replace(slots[name], value)
    return mark_safe(html)  # noqa: S308 -- drawn (and escaped) by the template engine; the fills are too


def kept_page(request: HttpRequest, body: str, *, title: str, breadcrumb_data: dict, status: int = 200) -> HttpResponse:
    """The page around a body drawn by :func:`cached_html` (or, after a refused form, for this
    request alone): the base template with its title and breadcrumb."""
    return render(
        request,
        "core/kept_page.html",
        {"title": title, "body": body, "breadcrumb_data": breadcrumb_data},
        status=status,
    )
