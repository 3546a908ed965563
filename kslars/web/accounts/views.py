"""Sign up and log in. Failed logins are rate-limited per username and per client address."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.auth import login
from django.contrib import messages
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.urls import reverse_lazy
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters

from kslars.web.accounts import ratelimit
from kslars.web.accounts.forms import LoginForm, PasswordForm, SignupForm


class RateLimitedLoginView(LoginView):
    """Django's login page, refusing with HTTP 429 after too many failed attempts."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        wait_seconds = ratelimit.blocked_for(request, request.POST.get("username", ""))
        if wait_seconds:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, too_many_attempts_message(wait_seconds))
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        ratelimit.record_failure(self.request, self.request.POST.get("username", ""))
        return super().form_invalid(form)

    def form_valid(self, form) -> HttpResponse:
        ratelimit.clear_username(self.request, form.get_user().get_username())
        return super().form_valid(form)


def too_many_attempts_message(wait_seconds: int) -> str:
    """What a user sees when logins are refused for another ``wait_seconds``."""
    minutes = max(1, math.ceil(wait_seconds / 60))
    return ngettext(
        "Too many failed attempts to log in. For your safety, logging in is paused: try again in %(minutes)d minute.",
        "Too many failed attempts to log in. For your safety, logging in is paused: try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


@sensitive_post_parameters("password1", "password2")
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account and log in with it; refused (403) on an installation where sign-up is closed."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    if not settings.KSLARS_SIGNUP:
        return render(request, "accounts/signup_closed.html", status=403)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/signup.html", {"form": form})


class PasswordChange(PasswordChangeView):
    """Change one's password: the old one first, the new one checked by the password validators."""

    template_name = "accounts/password.html"
    form_class = PasswordForm
    success_url = reverse_lazy("project-list")

    def form_valid(self, form) -> HttpResponse:
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)
