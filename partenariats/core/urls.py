from django.urls import path

from partenariats.core import views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("plancher/", views.floor, name="floor"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.personal_data, name="personal_data"),
    path("gestion-des-cookies/", views.cookies, name="cookies"),
    path("plan-du-site/", views.sitemap, name="sitemap"),
]
