from django.contrib.auth import views as auth_views
from django.urls import path

from partenariats.accounts import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe-oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe-oublie/envoye/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reinitialisation/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reinitialisation/termine/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("invitation/<uidb64>/<token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("", views.profile, name="profile"),
    path("mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path("jetons/", views.token_create, name="token_create"),
    path("jetons/<int:pk>/revoquer/", views.token_revoke, name="token_revoke"),
    path("utilisateurs/", views.user_list, name="user_list"),
    path("utilisateurs/inviter/", views.user_invite, name="user_invite"),
    path("utilisateurs/<int:pk>/", views.user_detail, name="user_detail"),
    path("utilisateurs/<int:pk>/roles/ajouter/", views.user_role_add, name="user_role_add"),
    path(
        "utilisateurs/<int:pk>/roles/<int:assignment_pk>/retirer/",
        views.user_role_remove,
        name="user_role_remove",
    ),
    path("utilisateurs/<int:pk>/desactiver/", views.user_deactivate, name="user_deactivate"),
    path("utilisateurs/<int:pk>/reactiver/", views.user_reactivate, name="user_reactivate"),
    path("utilisateurs/<int:pk>/invitation/", views.user_invitation_resend, name="user_invitation_resend"),
]
