"""URL map of SLAN: pages, the JSON API (with its OpenAPI schema), language switching."""

from django.urls import include, path

from kslars.web.api import api

urlpatterns = [
    path("api/", api.urls),
    path("accounts/", include("kslars.web.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("kslars.web.projects.urls")),
    path("", include("kslars.web.annotation.urls")),
    path("", include("kslars.web.dictionary.urls")),
]
