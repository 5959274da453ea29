from django.urls import path

from partenariats.directory import views, views_import

app_name = "directory"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("personnes/", views.person_list, name="person_list"),
    path("personnes/<int:pk>/", views.person_detail, name="person_detail"),
    # Imports (views_import.py)
    path("import/", views_import.import_upload, name="import_upload"),
    path("import/apercu/", views_import.import_preview, name="import_preview"),
    path("import/statut/<str:result_id>/", views_import.import_status, name="import_status"),
]
