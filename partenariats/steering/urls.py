from django.urls import include, path

app_name = "steering"

# Under /conventions/<convention_pk>/comite/ ; the personal links of a distribution under /diffusion/.
urlpatterns = [
    path("conventions/<int:convention_pk>/comite/", include("partenariats.steering.urls_meetings")),
    path("conventions/<int:convention_pk>/bilans/", include("partenariats.steering.urls_reviews")),
    path("conventions/<int:convention_pk>/documents-generes/", include("partenariats.steering.urls_documents")),
    path("", include("partenariats.steering.urls_distribution")),
]
