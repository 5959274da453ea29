"""Who may read or change a convention's steering records, for the steering views.

Out of scope is a 404 (the convention is fetched through the scoped queryset); in scope but not
allowed to change it is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from partenariats.conventions.models import Convention


def readable_convention(request: HttpRequest, pk: int) -> Convention:
    """The convention if the user reads it (404 otherwise)."""
    return get_object_or_404(Convention.objects.for_user(request.user), pk=pk)


def may_edit(user, convention: Convention) -> bool:
    """Whether ``user`` may change the convention (académie staff of a party, platform admins)."""
    return Convention.objects.editable_by(user).filter(pk=convention.pk).exists()


def editable_convention(request: HttpRequest, pk: int) -> Convention:
    """The convention if the user may change it: out of scope → 404, read-only → 403."""
    convention = readable_convention(request, pk)
    if not may_edit(request.user, convention):
        raise PermissionDenied
    return convention


def posted_version(request: HttpRequest) -> int | None:
    """The ``version`` a form was opened at (optimistic locking), or None if absent or garbled."""
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None
