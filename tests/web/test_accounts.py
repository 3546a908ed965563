"""Sign up, log in, log out, and the limit on failed logins."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, override_settings

from kslars.web.accounts import ratelimit
from tests.web.site_helpers import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_signup_creates_the_account_and_logs_in():
    client = Client()
    response = client.post("/accounts/signup/", {"username": "dana", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert get_user_model().objects.filter(username="dana").exists()
    page = client.get("/")
    assert page.status_code == 200 and b"dana" in page.content


def test_pages_offer_sign_up_while_it_is_open():
    page = Client().get("/accounts/login/")
    assert page.status_code == 200 and page.content.count(b'href="/accounts/signup/"') == 2  # header and form


@override_settings(KSLARS_SIGNUP=False)
def test_a_closed_installation_refuses_sign_up_and_does_not_offer_it():
    client = Client()
    page = client.get("/accounts/signup/")
    assert page.status_code == 403 and b"Sign-up is closed" in page.content and b'name="password1"' not in page.content
    response = client.post("/accounts/signup/", {"username": "dana", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 403
    assert not get_user_model().objects.filter(username="dana").exists()
    login_page = client.get("/accounts/login/")
    assert login_page.status_code == 200 and b"/accounts/signup/" not in login_page.content
    make_user("erlan")  # accounts made by an administrator still log in
    assert client.post("/accounts/login/", {"username": "erlan", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(
    "password, message",
    [("short1", "too short"), ("password123", "too common"), ("84736251094", "entirely numeric")],
)
def test_signup_checks_passwords_with_django_validators(password, message):
    response = Client().post("/accounts/signup/", {"username": "dana", "password1": password, "password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.exists()


def test_signup_refuses_a_taken_username():
    make_user("dana")
    response = Client().post("/accounts/signup/", {"username": "dana", "password1": PASSWORD, "password2": PASSWORD})
    assert "already exists" in response.content.decode()
    assert get_user_model().objects.count() == 1


def test_login_and_logout():
    make_user("dana")
    client = Client()
    response = client.post("/accounts/login/", {"username": "dana", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200
    assert client.get("/accounts/logout/").status_code == 405  # logging out needs a POST (CSRF-protected)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response.url == "/accounts/login/"
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_pages_need_login_and_come_back_after_it():
    make_user("dana")
    client = Client()
    response = client.get("/help/")
    assert response.status_code == 200  # Help is open to everyone
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/accounts/login/?next=/"
    response = client.post("/accounts/login/?next=/help/", {"username": "dana", "password": PASSWORD, "next": "/help/"})
    assert response.url == "/help/"


def test_login_form_is_csrf_protected():
    make_user("dana")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "dana", "password": PASSWORD})
    assert response.status_code == 403


@override_settings(KSLARS_LOGIN_ATTEMPTS=3, KSLARS_LOGIN_WINDOW_SECONDS=600)
def test_failed_logins_are_limited_per_client_and_username():
    make_user("dana")
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "dana", "password": "wrong-password"})
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()
    # Now even the right password is refused from that client, with a clear message.
    response = client.post("/accounts/login/", {"username": "DANA", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "10 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Whoever guessed cannot lock dana out: she logs in from her own address.
    response = Client(REMOTE_ADDR="10.0.0.9").post("/accounts/login/", {"username": "dana", "password": PASSWORD})
    assert response.status_code == 302


@override_settings(KSLARS_LOGIN_ATTEMPTS=5, KSLARS_LOGIN_ATTEMPTS_PER_CLIENT=3, KSLARS_LOGIN_WINDOW_SECONDS=600)
def test_failed_logins_are_limited_per_address_whatever_the_usernames():
    make_user("dana")
    client = Client(REMOTE_ADDR="10.0.0.7")
    for name in ("a1", "a2", "a3"):
        client.post("/accounts/login/", {"username": name, "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": "dana", "password": PASSWORD})
    assert response.status_code == 429
    # Another address can still log in as dana.
    response = Client(REMOTE_ADDR="10.0.0.8").post("/accounts/login/", {"username": "dana", "password": PASSWORD})
    assert response.status_code == 302


@override_settings(
    KSLARS_LOGIN_ATTEMPTS=3, KSLARS_LOGIN_WINDOW_SECONDS=600, KSLARS_CLIENT_ADDRESS_HEADER="X-Forwarded-For"
)
def test_behind_a_proxy_the_configured_header_names_the_client():
    """Every request comes from the proxy's address; the proxy appends the client's own to X-Forwarded-For."""
    make_user("dana")
    guesser = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    for _ in range(3):
        guesser.post("/accounts/login/", {"username": "dana", "password": "wrong-password"})
    assert guesser.post("/accounts/login/", {"username": "dana", "password": PASSWORD}).status_code == 429
    # An address the guesser writes in front of the proxy's entry does not make it a new client.
    forged = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    assert forged.post("/accounts/login/", {"username": "dana", "password": PASSWORD}).status_code == 429
    dana = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert dana.post("/accounts/login/", {"username": "dana", "password": PASSWORD}).status_code == 302


@override_settings(KSLARS_LOGIN_ATTEMPTS=2, KSLARS_LOGIN_WINDOW_SECONDS=600)
def test_logins_work_again_after_the_window(monkeypatch):
    make_user("dana")
    client = Client()
    for _ in range(2):
        client.post("/accounts/login/", {"username": "dana", "password": "wrong-password"})
    assert client.post("/accounts/login/", {"username": "dana", "password": PASSWORD}).status_code == 429
    start = time.time()
    monkeypatch.setattr(ratelimit, "clock", lambda: start + 530)
    response = client.post("/accounts/login/", {"username": "dana", "password": PASSWORD})
    assert response.status_code == 429 and "try again in 2 minutes" in response.content.decode()
    monkeypatch.setattr(ratelimit, "clock", lambda: start + 601)
    assert client.post("/accounts/login/", {"username": "dana", "password": PASSWORD}).status_code == 302


@override_settings(KSLARS_LOGIN_ATTEMPTS=3, KSLARS_LOGIN_WINDOW_SECONDS=600)
def test_the_window_counts_from_the_first_failure(monkeypatch):
    make_user("dana")
    client = Client()
    start = time.time()
    for offset in (0, 300, 590):  # three failures within one window
        monkeypatch.setattr(ratelimit, "clock", lambda offset=offset: start + offset)
        client.post("/accounts/login/", {"username": "dana", "password": "wrong-password"})
    assert client.post("/accounts/login/", {"username": "dana", "password": PASSWORD}).status_code == 429
    monkeypatch.setattr(ratelimit, "clock", lambda: start + 601)  # the window ends 600 s after the first one
    assert client.post("/accounts/login/", {"username": "dana", "password": PASSWORD}).status_code == 302


@override_settings(KSLARS_LOGIN_ATTEMPTS=3, KSLARS_LOGIN_WINDOW_SECONDS=600)
def test_a_successful_login_forgets_the_usernames_failures():
    make_user("dana")
    client = Client()
    for _ in range(2):
        client.post("/accounts/login/", {"username": "dana", "password": "wrong-password"})
    assert client.post("/accounts/login/", {"username": "dana", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(2):
        client.post("/accounts/login/", {"username": "dana", "password": "wrong-password"})
    assert client.post("/accounts/login/", {"username": "dana", "password": PASSWORD}).status_code == 302


def test_change_password():
    dana = make_user("dana")
    client = Client()
    client.force_login(dana)
    page = client.get("/accounts/password/").content.decode()
    assert "You are logged in as <strong>dana</strong>." in page
    new = "another-long-passphrase-7"

    def change(old: str, password: str, **extra):
        data = {"old_password": old, "new_password1": password, "new_password2": password}
        return client.post("/accounts/password/", data, **extra).content.decode()

    assert "Your old password was entered incorrectly" in change("wrong", new)
    assert "too short" in change(PASSWORD, "dana")
    assert "Your password was changed." in change(PASSWORD, new, follow=True)
    assert client.get("/").status_code == 200  # still logged in
    assert Client().login(username="dana", password=new)


@override_settings(KSLARS_LOGIN_ATTEMPTS=3, KSLARS_LOGIN_WINDOW_SECONDS=600)
def test_wrong_old_passwords_are_limited_on_the_password_change_form():
    """Someone at an unattended, logged-in browser cannot guess the old password without end."""
    dana = make_user("dana")
    client = Client()
    client.force_login(dana)
    new = "another-long-passphrase-7"
    for _ in range(3):
        response = client.post(
            "/accounts/password/", {"old_password": "guess", "new_password1": new, "new_password2": new}
        )
        assert response.status_code == 200
    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.content.decode() and "10 minutes" in response.content.decode()
    assert Client().login(username="dana", password=PASSWORD)  # unchanged


def test_change_password_needs_login():
    response = Client().get("/accounts/password/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
