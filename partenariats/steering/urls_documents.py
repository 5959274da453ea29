from django.urls import path

from partenariats.steering import views_documents as views

# Under /conventions/<convention_pk>/documents-generes/ (see ``steering.urls``).
urlpatterns = [
    path("bilan/<int:year>/generer/", views.review_render, name="review_render"),
    path("reunion/<int:meeting_pk>/generer/", views.minutes_render, name="minutes_render"),
    path("<int:pk>/", views.rendering_detail, name="rendering_detail"),
    path("<int:pk>/telecharger/", views.rendering_download, name="rendering_download"),
]
