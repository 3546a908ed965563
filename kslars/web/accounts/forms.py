"""Forms of the accounts app."""

from __future__ import annotations

from django.contrib.auth.forms import UserCreationForm


class SignupForm(UserCreationForm):
    """A new account: a username and a password checked by Django's password validators."""

    class Meta(UserCreationForm.Meta):
        fields = ("username",)
