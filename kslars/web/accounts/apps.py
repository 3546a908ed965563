from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kslars.web.accounts"
    label = "accounts"
