from django.urls import path

from partenariats.conventions import views

urlpatterns = [
    path("", views.convention_list, name="convention_list"),
    path("<int:pk>/", views.convention_detail, name="convention_detail"),
    path("<int:pk>/suivre/", views.convention_follow, name="convention_follow"),
    path("<int:pk>/documents/ajouter/", views.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download, name="document_download"),
]
