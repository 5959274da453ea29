from django.urls import path

from partenariats.activities import views_import as views

urlpatterns = [
    path("activites/import/", views.import_start, name="import_start"),
    path("activites/import/apercu/", views.import_preview, name="import_preview"),
    path("activites/import/modele/", views.import_template, name="import_template"),
    path("activites/import/statut/<str:result_id>/", views.import_status, name="import_status"),
]
