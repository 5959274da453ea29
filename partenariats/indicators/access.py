"""Who sees which indicator page, shared by the pages and the API. Out of scope: 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from partenariats.conventions.models import Convention
from partenariats.core.access import Scope, scope_of
from partenariats.directory.models import Organisation
from partenariats.territories.models import Academy, Basin


def may_see_organisation(scope: Scope, organisation: Organisation) -> bool:
    """Its own staff, the académie side of its académie, platform admins."""
    return (
        scope.is_platform_admin
        or organisation.pk in scope.organisation_ids
        or (organisation.academy_id is not None and organisation.academy_id in scope.academy_ids)
    )


def may_see_academy(scope: Scope, academy_id: int) -> bool:
    """The académie side of that académie (staff, observers, CLEE of its bassins), platform admins."""
    return scope.is_platform_admin or academy_id in scope.academy_ids


def may_see_basin(scope: Scope, basin: Basin) -> bool:
    return may_see_academy(scope, basin.academy_id) or basin.pk in scope.basin_ids


def readable_convention(user, pk: int) -> Convention:
    """Whoever reads the convention reads its indicators."""
    return get_object_or_404(Convention.objects.for_user(user), pk=pk)


def readable_organisation(user, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.for_user(user), pk=pk)
    if not may_see_organisation(scope_of(user), organisation):
        raise Http404
    return organisation


def readable_academy(user, pk: int) -> Academy:
    academy = get_object_or_404(Academy, pk=pk)
    if not may_see_academy(scope_of(user), academy.pk):
        raise Http404
    return academy


def readable_basin(user, pk: int) -> Basin:
    basin = get_object_or_404(Basin.objects.select_related("academy"), pk=pk)
    if not may_see_basin(scope_of(user), basin):
        raise Http404
    return basin
