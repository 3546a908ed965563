"""URL map of SLAN: pages, the JSON API (with its OpenAPI schema), language switching."""

from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from kslars.web.api import api, no_route

urlpatterns = [
    path("api/", no_route),  # in place of django-ninja's HTML 404 at the API's root
    path("api/", api.urls),
    re_path(r"^api/", no_route),  # what no API route fits: a JSON 404 like the API's own
    path("accounts/", include("kslars.web.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Pages link their icon; this is for clients that ask for /favicon.ico all the same.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("slan/favicon.svg"), permanent=True)),
    path("", include("kslars.web.projects.urls")),
    path("", include("kslars.web.annotation.urls")),
    path("", include("kslars.web.dictionary.urls")),
    path("", include("kslars.web.search.urls")),
    path("", include("kslars.web.agreement.urls")),
    path("", include("kslars.web.corpus.urls")),
    path("", include("kslars.web.processing.urls")),
]
