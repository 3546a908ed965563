"""Accounts: sign up, log in (rate-limited), log out, interface language."""
