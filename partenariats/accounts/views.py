from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partenariats.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": "Connexion"}


def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"title": "Mon compte"})


def user_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/user_list.html", {"title": "Comptes"})
