from django.urls import path

from partenariats.activities import views_links as views

urlpatterns = [
    path("conventions/<int:convention_pk>/liens-de-saisie/", views.link_list, name="link_list"),
    path(
        "conventions/<int:convention_pk>/liens-de-saisie/<int:link_pk>/revoquer/",
        views.link_revoke,
        name="link_revoke",
    ),
    # Public: the link's number and its django-sesame token are the only credentials.
    path("saisie/<int:link_pk>/<str:token>/", views.record_by_link, name="record_by_link"),
]
