from django.urls import path

from partenariats.steering import views_reviews as views

YEAR = "<int:year>/"

# Under /conventions/<convention_pk>/bilans/ (see ``steering.urls``).
urlpatterns = [
    path("", views.review_list, name="review_list"),
    path("creer/", views.review_create, name="review_create"),
    path(YEAR, views.review_detail, name="review_detail"),
    path(YEAR + "actualiser/", views.review_refresh, name="review_refresh"),
    path(YEAR + "sections/<slug:key>/", views.section_update, name="section_update"),
    path(YEAR + "faits-marquants/", views.review_highlights, name="review_highlights"),
    path(YEAR + "approuver/", views.review_approve, name="review_approve"),
]
