"""Django's password validators, with their messages in SLAN's own translation catalogue.

The checks are Django's; only the wording is looked up here, because Django's Kazakh catalogue lacks it.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """At least ``min_length`` characters (8 unless configured)."""

    def get_error_message(self) -> str:
        return (
            ngettext(
                "This password is too short. It must contain at least %d character.",
                "This password is too short. It must contain at least %d characters.",
                self.min_length,
            )
            % self.min_length
        )

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must contain at least %(min_length)d character.",
            "Your password must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Not too similar to the username or e-mail address."""

    def get_error_message(self) -> str:
        return _("The password is too similar to the %(verbose_name)s.")

    def get_help_text(self) -> str:
        return _("Your password can’t be too similar to your other personal information.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Not one of the 20,000 most common passwords."""

    def get_error_message(self) -> str:
        return _("This password is too common.")

    def get_help_text(self) -> str:
        return _("Your password can’t be a commonly used password.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    """Not digits only."""

    def get_error_message(self) -> str:
        return _("This password is entirely numeric.")

    def get_help_text(self) -> str:
        return _("Your password can’t be entirely numeric.")
