"""Helpers for the tests of accounts, project pages, sharing and the projects API."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.test import Client

PASSWORD = "correct-horse-battery-9"


def make_user(username: str):
    """A user with the test password."""
    return get_user_model().objects.create_user(username, password=PASSWORD)


def client_for(user) -> Client:
    """A test client logged in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def send_json(client: Client, method: str, url: str, data: dict | None = None, **extra):
    """Call a JSON API route with ``method`` (get, post, patch, delete) and an optional JSON body."""
    body = json.dumps(data) if data is not None else None
    return getattr(client, method)(url, body, content_type="application/json", **extra)
