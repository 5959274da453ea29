from django.urls import path

from partenariats.directory import views, views_import

app_name = "directory"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/ajouter/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/modifier/", views.organisation_update, name="organisation_update"),
    path("organisations/<int:pk>/desactiver/", views.organisation_deactivate, name="organisation_deactivate"),
    path("organisations/<int:pk>/reactiver/", views.organisation_reactivate, name="organisation_reactivate"),
    path("organisations/<int:pk>/notes/ajouter/", views.organisation_note_create, name="organisation_note_create"),
    path("organisations/<int:pk>/adherents/", views.organisation_members, name="organisation_members"),
    path("organisations/<int:pk>/adherents/ajouter/", views.organisation_member_add, name="organisation_member_add"),
    path(
        "organisations/<int:pk>/adherents/retirer/", views.organisation_member_remove, name="organisation_member_remove"
    ),
    path("organisations/<int:pk>/fusionner/", views.organisation_merge, name="organisation_merge"),
    path(
        "organisations/<int:pk>/fusionner/<int:duplicate_pk>/",
        views.organisation_merge_confirm,
        name="organisation_merge_confirm",
    ),
    path("personnes/", views.person_list, name="person_list"),
    path("personnes/ajouter/", views.person_create, name="person_create"),
    path("personnes/<int:pk>/", views.person_detail, name="person_detail"),
    path("personnes/<int:pk>/modifier/", views.person_update, name="person_update"),
    path("personnes/<int:pk>/desactiver/", views.person_deactivate, name="person_deactivate"),
    path("personnes/<int:pk>/reactiver/", views.person_reactivate, name="person_reactivate"),
    path("personnes/<int:pk>/rattachements/ajouter/", views.membership_create, name="membership_create"),
    path("rattachements/<int:pk>/terminer/", views.membership_end, name="membership_end"),
    # Imports (views_import.py)
    path("import/", views_import.import_upload, name="import_upload"),
    path("import/apercu/", views_import.import_preview, name="import_preview"),
    path("import/modele/", views_import.import_template, name="import_template"),
    path("import/statut/<str:result_id>/", views_import.import_status, name="import_status"),
]
