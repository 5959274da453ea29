"""What is costly to compute from the records, kept in the cache until they change: the indicator
reports, the dashboard's panels, the API's exact counts and list pages, the lists' counts, filter
options and forms and rows' HTML, the record pages (``core.fragments``).

Each depends on the records of the watched apps (activities, their groups and contributions,
plans and targets, conventions, organisations, territories) and on the reader's scope. It is
cached under its name, the reader's scope (or the query's own SQL, which holds it: see
:func:`cached_query`) and a data version that every committed change to those apps renews
(``post_save``, ``post_delete``, ``m2m_changed``), so an edit is never followed by old figures.
The apps are named, never imported: ``core`` stays below them. Bulk writes send no signal:
their callers (the directory's import, the refresh of the conventions' cached terms) call
:func:`records_changed`; so must any new ``QuerySet.update()`` or bulk write on those apps.
Entries also expire after ``TIMEOUT`` seconds, a bound on what a write that forgot to call it
could leave.
"""

import datetime
import hashlib
import secrets
import threading
from collections.abc import Callable

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from partenariats.core.access import scope_of
from partenariats.core.models import DataVersion

# The apps whose records the cached values count or name (labels: core imports none of them).
WATCHED_APPS = frozenset({"activities", "conventions", "directory", "territories"})
TIMEOUT = 6 * 3600
VERSION_ROW = 1
# Set on a connection whose open transaction changed watched records.
PENDING = "data_changes_pending"


# The version read during the current request (one read per request, not one per cached value);
# forgotten at the request's start and end, and when this process renews it.
_request = threading.local()


def _request_started(**kwargs) -> None:
    _request.active, _request.version = True, None


def _request_finished(**kwargs) -> None:
    _request.active, _request.version = False, None


def current_version() -> int:
    """The data version (one indexed read, once per request). A database that has none yet
    (new, or emptied) is given its own at random: at a shared 0, two databases served from one
    cache folder (the demo's and the benchmark's, say) would read each other's figures."""
    if getattr(_request, "active", False) and _request.version is not None:
        return _request.version
    version = DataVersion.objects.filter(pk=VERSION_ROW).values_list("value", flat=True)
    value = version.first()
    if value is None:
        DataVersion.objects.get_or_create(pk=VERSION_ROW, defaults={"value": secrets.randbits(62)})
        value = version.first()
    if getattr(_request, "active", False):
        _request.version = value
    return value


def bump() -> None:
    """Give the data a new version: every cached report becomes unreachable. The version is drawn
    at random rather than counted, so that a database restored from a backup (or a test's rolled
    back transaction) never meets again a version whose reports are still cached."""
    _request.version = None
    value = secrets.randbits(62)
    if not DataVersion.objects.filter(pk=VERSION_ROW).update(value=value):
        DataVersion.objects.update_or_create(pk=VERSION_ROW, defaults={"value": value})


def _after_commit() -> None:
    setattr(connections[DEFAULT_DB_ALIAS], PENDING, False)
    bump()


def _pending(connection) -> bool:
    """This transaction changed watched records and has not committed yet (a rollback empties
    ``run_on_commit``, so it is never left pending)."""
    return (
        connection.in_atomic_block
        and getattr(connection, PENDING, False)
        and any(func is _after_commit for _, func, _ in connection.run_on_commit)
    )


def _changed(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    if sender._meta.app_label not in WATCHED_APPS or sender._meta.apps is not apps:
        # Not watched, or a migration's model (its table may come before the counter's).
        return
    records_changed(using)


def records_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Renew the version once the change is committed (once per transaction). Saves and deletes
    call it through their signals; writes that send none (``bulk_create``, ``QuerySet.update``)
    call it themselves. Not inside the transaction: that would lock the version's row until the
    commit, one writer at a time."""
    connection = connections[using]
    if connection.in_atomic_block:
        if _pending(connection):
            return
        setattr(connection, PENDING, True)
    transaction.on_commit(_after_commit, using=using)


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"indicators-version-{signal is m2m_changed}-{id(signal)}")
    request_started.connect(_request_started, dispatch_uid="data-version-request-started")
    request_finished.connect(_request_finished, dispatch_uid="data-version-request-finished")


def scope_key(user) -> str:
    """The reader's scope, as a short stable text: readers with the same scope see the same figures."""
    scope = scope_of(user)
    parts = [
        f"{name}={sorted(value) if isinstance(value, frozenset) else value}" for name, value in vars(scope).items()
    ]
    return hashlib.sha256(";".join(parts).encode()).hexdigest()[:24]


def cached_report(page: str, pk: int, user, year: int, make: Callable[[], object]):
    """The report of ``page`` for ``pk`` and ``year`` as ``user`` sees it, made by ``make`` when absent."""
    return versioned(lambda: f"indicators:{page}:{pk}:{year}:{scope_key(user)}", make)


def cached_for_user(page: str, user, day: datetime.date, make: Callable[[], object]):
    """What ``make`` computes of ``page`` for ``user`` alone on ``day`` (the dashboard: their own
    conventions, followed ones, rights), kept like a report until the data change."""
    return versioned(lambda: f"user:{page}:{user.pk}:{day.isoformat()}:{scope_key(user)}", make)


def query_key(queryset) -> str:
    """A short name for what ``queryset`` reads: its SQL and parameters, the reader's scope and
    filters included."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        # Django knows it matches no row (``pk__in=[]``: a school's staff have no académie):
        # every such query gives the same empty answer.
        return "nothing"
    return hashlib.sha256(f"{sql}\x00{params!r}".encode()).hexdigest()


def cached_query(name: str, queryset, make: Callable[[object], object]):
    """``make(queryset)``, kept under ``name`` and the query until the data change. For queries
    of the watched apps only: a change elsewhere would not renew it."""
    return versioned(lambda: f"{name}:{query_key(queryset)}", lambda: make(queryset))


def versioned(key: Callable[[], str], make: Callable[[], object]):
    """What ``make`` gives, kept under ``key()`` and the data version until the data change."""
    if _pending(connections[DEFAULT_DB_ALIAS]):
        # Read inside a transaction that changed the data: the figures must include the change.
        return make()
    versioned = f"{key()}:{current_version()}"
    value = cache.get(versioned)
    if value is None:
        value = make()
        cache.set(versioned, value, TIMEOUT)
    return value
