from django.urls import path

from partenariats.activities import views_activities as views
from partenariats.activities import views_activity_forms as forms_views
from partenariats.activities import views_attachments as attachment_views

urlpatterns = [
    path("activites/", views.activity_list, name="activity_list"),
    path("activites/nouvelle/", forms_views.activity_create, name="activity_create"),
    path("activites/saisie-rapide/", forms_views.activity_quick, name="activity_quick"),
    path("activites/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activites/<int:pk>/modifier/", forms_views.activity_update, name="activity_update"),
    path("activites/<int:pk>/retirer/", views.activity_withdraw, name="activity_withdraw"),
    path("activites/<int:pk>/retablir/", views.activity_restore, name="activity_restore"),
    path(
        "activites/<int:pk>/rattachements/<int:contribution_pk>/confirmer/",
        views.contribution_confirm,
        name="contribution_confirm",
    ),
    # htmx fragments of the forms
    path("activites/formulaire/listes/", forms_views.select_options, name="select_options"),
    path("activites/formulaire/organisations/", forms_views.organisation_choices, name="organisation_choices"),
    path("activites/formulaire/compte-pour/", forms_views.contribution_choices, name="contribution_choices"),
    # attachments
    path("activites/<int:pk>/pieces-jointes/ajouter/", attachment_views.attachment_upload, name="attachment_upload"),
    path(
        "activites/<int:pk>/pieces-jointes/<int:attachment_pk>/",
        attachment_views.attachment_download,
        name="attachment_download",
    ),
    path(
        "activites/<int:pk>/pieces-jointes/<int:attachment_pk>/supprimer/",
        attachment_views.attachment_delete,
        name="attachment_delete",
    ),
]
