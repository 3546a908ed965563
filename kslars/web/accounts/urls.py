"""Pages of the accounts app: sign up, log in, log out (POST), change the password."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from kslars.web.accounts import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.RateLimitedLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChange.as_view(), name="password-change"),
]
