from django.urls import path

from partenariats.conventions import views_content, views_edit

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
    # Articles and commitments, one at a time
    path("<int:pk>/articles/ajouter/", views_content.article_create, name="article_create"),
    path("<int:pk>/articles/<int:article_pk>/modifier/", views_content.article_update, name="article_update"),
    path("<int:pk>/articles/<int:article_pk>/deplacer/", views_content.article_move, name="article_move"),
    path("<int:pk>/articles/<int:article_pk>/supprimer/", views_content.article_delete, name="article_delete"),
    path("<int:pk>/engagements/ajouter/", views_content.commitment_create, name="commitment_create"),
    path(
        "<int:pk>/engagements/<int:commitment_pk>/modifier/",
        views_content.commitment_update,
        name="commitment_update",
    ),
    path(
        "<int:pk>/engagements/<int:commitment_pk>/supprimer/",
        views_content.commitment_delete,
        name="commitment_delete",
    ),
]
