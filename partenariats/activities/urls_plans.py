from django.urls import path

from partenariats.activities import views_plans as views

PLAN = "conventions/<int:convention_pk>/plans/<int:year>/"

urlpatterns = [
    path("conventions/<int:convention_pk>/plans/", views.plan_list, name="plan_list"),
    path("conventions/<int:convention_pk>/plans/nouveau/", views.plan_create, name="plan_create"),
    path(PLAN, views.plan_detail, name="plan_detail"),
    path(PLAN + "adopter/", views.plan_adopt, name="plan_adopt"),
    path(PLAN + "cibles/", views.plan_targets, name="plan_targets"),
    path(PLAN + "actions/nouvelle/", views.action_create, name="action_create"),
    path(PLAN + "actions/<int:action_pk>/modifier/", views.action_update, name="action_update"),
    path(PLAN + "actions/<int:action_pk>/supprimer/", views.action_delete, name="action_delete"),
]
