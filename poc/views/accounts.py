"""Signing in and out, changing the password, and self-registration of an applicant."""
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from poc.forms import LoginForm, RegisterForm
from poc.institutions import services

from .common import form_data, submit_form


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def register(request):
    """An applicant creates an account with an email and a password, then registers or joins an institution."""
    if request.user.is_authenticated:
        return redirect("home")
    form = RegisterForm(form_data(request))

    def register_and_sign_in(data):
        user = services.register_applicant(email=data["email"], password=data["password"], name=data["name"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return user

    done = submit_form(request, form, register_and_sign_in, redirect_to="institution-start",
                       success=_("Welcome! Your account is ready. Now register your institution, or ask to join one "
                                 "that is already registered."))
    return done or render(request, "registration/register.html", {"form": form})
