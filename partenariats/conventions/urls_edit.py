from django.urls import path

from partenariats.conventions import views_edit

urlpatterns = [
    path("nouvelle/", views_edit.convention_create, name="convention_create"),
    path("<int:pk>/modifier/", views_edit.convention_update, name="convention_update"),
    path("<int:pk>/signature/", views_edit.signature_create, name="signature_create"),
    path("<int:pk>/avenant/", views_edit.amendment_create, name="amendment_create"),
    path("<int:pk>/evenement/", views_edit.event_create, name="event_create"),
    path("<int:pk>/supprimer/", views_edit.convention_archive, name="convention_archive"),
    # htmx fragments of the edit page
    path("formulaire/partie/", views_edit.party_row, name="party_row"),
    path("formulaire/signataire/", views_edit.signatory_row, name="signatory_row"),
    path("formulaire/organisations/", views_edit.organisation_options, name="organisation_options"),
]
