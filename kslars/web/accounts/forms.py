"""Forms of the accounts app, with labels and messages in SLAN's own translation catalogue."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Username and password."""

    error_messages = {
        "invalid_login": _(
            "Please enter a correct username and password. Note that both fields may be case-sensitive."
        ),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")

    def get_invalid_login_error(self) -> ValidationError:
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class SignupForm(UserCreationForm):
    """A new account: a username and a password checked by the password validators."""

    error_messages = {"password_mismatch": _("The two password fields didn’t match.")}

    class Meta(UserCreationForm.Meta):
        fields = ("username",)
        labels = {"username": _("Username")}
        help_texts = {"username": _("Up to 150 characters: letters, digits and @ . + - _ only.")}
        error_messages = {"username": {"invalid": _("Enter a valid username: use only letters, digits and @ . + - _.")}}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = _("Password")
        self.fields["password2"].label = _("Password confirmation")
        self.fields["password2"].help_text = _("Enter the same password as before, for verification.")


class PasswordForm(PasswordChangeForm):
    """The old password, then the new one twice."""

    error_messages = {
        "password_incorrect": _("Your old password was entered incorrectly. Please enter it again."),
        "password_mismatch": _("The two password fields didn’t match."),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Old password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password confirmation")
