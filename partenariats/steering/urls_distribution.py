from django.urls import path

from partenariats.steering import views_distribution as views

urlpatterns = [
    path(
        "conventions/<int:convention_pk>/diffusions/bilan/<int:year>/",
        views.review_distribute,
        name="review_distribute",
    ),
    path(
        "conventions/<int:convention_pk>/diffusions/reunion/<int:meeting_pk>/",
        views.minutes_distribute,
        name="minutes_distribute",
    ),
    path("conventions/<int:convention_pk>/diffusions/<int:pk>/", views.distribution_detail, name="distribution_detail"),
    # Public: the personal key in the address is the only credential (only its hash is stored).
    path("diffusion/<str:key>/", views.distribution_link, name="distribution_link"),
]
