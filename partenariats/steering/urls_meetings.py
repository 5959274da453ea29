from django.urls import path

from partenariats.steering import views_meetings as views

MEETING = "reunions/<int:meeting_pk>/"

# Under /conventions/<convention_pk>/comite/ (see ``steering.urls``).
urlpatterns = [
    path("", views.committee, name="committee"),
    path("membres/ajouter/", views.member_create, name="member_create"),
    path("membres/<int:pk>/modifier/", views.member_update, name="member_update"),
    path("membres/<int:pk>/retirer/", views.member_end, name="member_end"),
    path("reunions/planifier/", views.meeting_create, name="meeting_create"),
    path(MEETING, views.meeting_detail, name="meeting_detail"),
    path(MEETING + "modifier/", views.meeting_update, name="meeting_update"),
    path(MEETING + "convocations/", views.meeting_invite, name="meeting_invite"),
    path(MEETING + "invitation.ics", views.meeting_ics, name="meeting_ics"),
    path(MEETING + "presences/", views.meeting_attendance, name="meeting_attendance"),
    path(MEETING + "compte-rendu/", views.meeting_minutes, name="meeting_minutes"),
    path(MEETING + "decisions/ajouter/", views.decision_create, name="decision_create"),
    path(MEETING + "decisions/<int:pk>/modifier/", views.decision_update, name="decision_update"),
    path(MEETING + "actions/ajouter/", views.corrective_create, name="corrective_create"),
    path("actions/<int:pk>/", views.corrective_update, name="corrective_update"),
    path(MEETING + "annuler/", views.meeting_cancel, name="meeting_cancel"),
]
