"""What a user may see and change, as plain data every app's ``for_user`` reads.

The accounts app computes a :class:`Scope` from a user's role assignments
(``user.scope``); the apps below it only read it, so they never import accounts.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scope:
    """The territories and organisations one user acts in."""

    is_platform_admin: bool = False
    # Académies whose own records (contacts, notes, later conventions) the user may read…
    academy_ids: frozenset[int] = field(default_factory=frozenset)
    # …and those where the user may also write.
    writable_academy_ids: frozenset[int] = field(default_factory=frozenset)
    # Académies where the user manages accounts (invites, assigns roles, deactivates).
    managed_academy_ids: frozenset[int] = field(default_factory=frozenset)
    # Bassins of a CLEE member: organisations located there are writable.
    basin_ids: frozenset[int] = field(default_factory=frozenset)
    # Organisations the user works for (a school, a company, a federation…).
    organisation_ids: frozenset[int] = field(default_factory=frozenset)
    # Among them, the federations (organisations that can have members): their staff read their
    # members' shared records. Only the federations' ids are kept, never their members' (20,000 or
    # more at national scale): the apps join the membership table in a subquery instead.
    federation_ids: frozenset[int] = field(default_factory=frozenset)
    # Any active role at all: the identity of schools and companies is readable by every role.
    has_role: bool = False
    read_only: bool = True

    @property
    def is_academy_side(self) -> bool:
        return bool(self.academy_ids) or self.is_platform_admin


EMPTY_SCOPE = Scope()


def scope_of(user) -> Scope:
    """The user's scope; anonymous and role-less users get the empty one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return EMPTY_SCOPE
    return getattr(user, "scope", EMPTY_SCOPE)
