"""Sign up, log in, change one's password. Failed logins and wrong old passwords are rate-limited (ratelimit.py)."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic.edit import FormView

from kslars.web.accounts import ratelimit
from kslars.web.accounts.forms import LoginForm, PasswordForm, SignupForm


class RateLimitedLoginView(LoginView):
    """Django's login page, refusing with HTTP 429 after too many failed attempts."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        wait_seconds = ratelimit.blocked_for(ratelimit.login_limits(request, request.POST.get("username", "")))
        if wait_seconds:
            return refuse_form(self, too_many_attempts_message(wait_seconds))
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        ratelimit.record_failure(ratelimit.login_limits(self.request, self.request.POST.get("username", "")))
        return super().form_invalid(form)

    def form_valid(self, form) -> HttpResponse:
        ratelimit.forget_login_failures(self.request, form.get_user().get_username())
        return super().form_valid(form)


def refuse_form(view: FormView, message: str) -> HttpResponse:
    """``view``'s page again with ``message`` as the form's only error, as HTTP 429 (Too Many Requests)."""
    form = view.get_form()
    form.errors.clear()
    form.add_error(None, message)
    response = view.render_to_response(view.get_context_data(form=form))
    response.status_code = 429
    return response


def wait_minutes(wait_seconds: int) -> int:
    """``wait_seconds`` in whole minutes, rounded up (at least one)."""
    return max(1, math.ceil(wait_seconds / 60))


def too_many_attempts_message(wait_seconds: int) -> str:
    """What a user sees when logins are refused for another ``wait_seconds``."""
    minutes = wait_minutes(wait_seconds)
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

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        wait_seconds = ratelimit.blocked_for(ratelimit.password_change_limits(request.user.pk))
        if wait_seconds:
            minutes = wait_minutes(wait_seconds)
            return refuse_form(
                self,
                ngettext(
                    "Too many wrong passwords. For your safety, changing the password is paused: try again in "
                    "%(minutes)d minute.",
                    "Too many wrong passwords. For your safety, changing the password is paused: try again in "
                    "%(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        if "old_password" in form.errors:
            ratelimit.record_failure(ratelimit.password_change_limits(self.request.user.pk))
        return super().form_invalid(form)

    def form_valid(self, form) -> HttpResponse:
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)
