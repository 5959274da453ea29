from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from partenariats.directory.models import Membership, Note, Organisation, Person


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "academy", "city", "uai", "siret", "is_active"]
    list_filter = ["kind", "academy", "is_active", "priority_education"]
    search_fields = ["search_text"]
    autocomplete_fields = ["members"]
    raw_id_fields = ["merged_into", "basin"]

    def has_delete_permission(self, request, obj=None):
        # Organisations are deactivated or merged, never deleted.
        return False


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "email", "academy", "is_active"]
    list_filter = ["academy", "legal_basis", "is_active"]
    search_fields = ["search_text"]
    inlines = [MembershipInline]


@admin.register(Note)
class NoteAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "owner_academy", "owner_organisation", "created_at"]
    raw_id_fields = ["organisation", "owner_organisation", "author"]
