from django.urls import path

from partenariats.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.home, name="home"),
    path("conventions/<int:pk>/", views.convention_indicators, name="convention"),
    path("organisations/<int:pk>/", views.organisation_indicators, name="organisation"),
    path("academies/<int:pk>/", views.academy_indicators, name="academy"),
    path("bassins/<int:pk>/", views.basin_indicators, name="basin"),
]
