from django.urls import path

from partenariats.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/annuler/", views.job_cancel, name="job_cancel"),
    path("<int:pk>/verifier/", views.job_review, name="job_review"),
]
