"""Every API operation and every page that names a project, link or job checks the caller's access.

Routes are found, not listed: API operations come from the OpenAPI schema the app serves and pages from the root
URL resolver, so a route added later is covered the moment it exists. Path and query parameters are filled from
the tables here and in tests/web/world.py; a route with a parameter the tables do not know fails the test, asking
for a new row.

For each object route: a logged-in user without access gets 404 (other users' ids look missing), an anonymous
caller gets 401/403/404 or a redirect to the login page, and viewers and read-only link holders get 403 on every
unsafe method. After every denied call the project, its document, shares, links, jobs and video are unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from kslars.web.annotation import models as am
from kslars.web.api import api
from kslars.web.jobs.models import Job
from kslars.web.projects.models import Project, Share, ShareLink, Video
from tests.web.site_helpers import client_for
from tests.web.world import PATH_VALUES, SECRET_NAME, World

pytestmark = pytest.mark.django_db

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
DENIED_ANONYMOUS = {401, 403, 404}


# Parameters whose value is itself the credential: callers without access use one that no longer works.
DENIED_VALUES: dict[str, Callable[[World], object]] = {"token": lambda w: w.revoked_link.token}
# Required query parameters: a value, or a function of the world (an object of the secret project).
QUERY_VALUES: dict[str, object] = {
    "since": 0,
    "version": 1,
    "dominant": "hamflathand",
    "text": "privet",
    "q": "x",
    "a": lambda w: w.project.pk,
    "b": lambda w: w.project.pk,
    "tier_a": lambda w: w.tier.name,
    "tier_b": lambda w: w.tier.name,
}
# Unsafe methods anyone may call because they store nothing (dictionary searches, KSLARS_DICTIONARY_PUBLIC);
# the checks that nothing changed and nothing leaks still apply to them.
PUBLIC_SEARCHES = {"POST /api/dictionary/search/photo"}


def fingerprint(w: World) -> tuple:
    """Everything a denied call must leave as it was."""
    pid = w.project.pk
    return (
        list(Project.objects.filter(pk=pid).values_list("name", "revision", "updated_at")),
        list(am.Annotation.objects.filter(project_id=pid).values_list("key", "version", "value", "start_ms")),
        list(am.Tier.objects.filter(project_id=pid).values_list("name", "position", "hidden", "version")),
        list(am.TierType.objects.filter(project_id=pid).values_list("name", "constraint", "vocabulary_id")),
        list(am.Vocabulary.objects.filter(project_id=pid).values_list("name", "entries")),
        list(Share.objects.filter(project_id=pid).values_list("user_id", "role")),
        list(ShareLink.objects.filter(project_id=pid).values_list("token", "revoked_at")),
        list(Job.objects.filter(project_id=pid).values_list("id", "status", "cancel_requested")),
        list(Video.objects.filter(project_id=pid).values_list("original", "status")),
    )


# ---- discovering routes ----------------------------------------------------------------------------------
@dataclass
class Route:
    """One method on one path, with what it needs to be called."""

    method: str
    path: str  # with {name} placeholders
    params: list[str]
    query: list[str]
    body: dict | None  # OpenAPI requestBody

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@cache
def openapi_schema() -> dict:
    """The schema the app serves at /api/openapi.json (built once per test run)."""
    return api.get_openapi_schema()


def api_routes() -> list[Route]:
    """Every operation in the served OpenAPI schema."""
    schema = openapi_schema()
    routes = []
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            params = op.get("parameters", [])
            routes.append(
                Route(
                    method=method.upper(),
                    path=path,
                    params=[p["name"] for p in params if p["in"] == "path"],
                    query=[p["name"] for p in params if p["in"] == "query" and p.get("required")],
                    body=op.get("requestBody"),
                )
            )
    return routes


def page_routes() -> list[Route]:
    """Every page URL pattern of the root resolver outside the API, as a GET route."""
    found = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                found.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "")
    routes = []
    for pattern in found:
        if pattern.startswith("api/"):
            continue  # the API's own operations are covered through the OpenAPI schema
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern).lstrip("^").rstrip("$")
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path)
        routes.append(Route("GET", path, re.findall(r"{(\w+)}", path), [], None))
    return routes


def fill(route: Route, w: World, denied: bool) -> str:
    """The route's URL with its parameters filled from the tables (credentials spoiled when ``denied``)."""
    unknown = [p for p in route.params if p not in PATH_VALUES] + [q for q in route.query if q not in QUERY_VALUES]
    if unknown:
        pytest.fail(
            f"{route} has parameters {unknown} that tests/web/test_permissions.py cannot fill: "
            f"add them to PATH_VALUES or QUERY_VALUES"
        )
    values = {p: (DENIED_VALUES.get(p) if denied and p in DENIED_VALUES else PATH_VALUES[p])(w) for p in route.params}
    url = route.path.format(**values)
    query = {q: (QUERY_VALUES[q](w) if callable(QUERY_VALUES[q]) else QUERY_VALUES[q]) for q in route.query}
    return url + ("?" + urlencode(query) if query else "")


def example(schema: dict, components: dict) -> object:
    """A small value that satisfies ``schema``, so that requests get past validation to the access check."""
    if "$ref" in schema:
        return example(components[schema["$ref"].rsplit("/", 1)[1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return example(options[0], components)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        required = schema.get("required", [])
        return {k: example(v, components) for k, v in schema.get("properties", {}).items() if k in required}
    if kind == "string" and schema.get("format") == "binary":
        return SimpleUploadedFile("clip.mp4", b"\x00" * 64, content_type="video/mp4")
    return {"array": [], "string": "x", "integer": 1, "number": 1.0, "boolean": False}.get(kind)


def call(client: Client, route: Route, url: str, **headers) -> object:
    """Send ``route``'s method to ``url`` with a valid-looking body."""
    content = (route.body or {}).get("content", {})
    components = openapi_schema().get("components", {}).get("schemas", {})
    if "multipart/form-data" in content:
        data = example(content["multipart/form-data"]["schema"], components)
        return client.generic(route.method, url, **_multipart(client, data), headers=headers)
    if "application/json" in content:
        body = json.dumps(example(content["application/json"]["schema"], components))
        return client.generic(route.method, url, body, content_type="application/json", headers=headers)
    return client.generic(route.method, url, headers=headers)


def _multipart(client: Client, data: dict) -> dict:
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    return {"data": encode_multipart(BOUNDARY, data), "content_type": MULTIPART_CONTENT}


def is_login_redirect(response) -> bool:
    return response.status_code in (301, 302) and "/accounts/login/" in response.get("Location", "")


def object_routes(routes: list[Route]) -> list[Route]:
    return [r for r in routes if r.params]


# ---- the checks ------------------------------------------------------------------------------------------------
def test_routes_are_discovered_and_the_parameter_tables_are_meaningful(world):
    """The discovered routes include every app's, and the owner reaches every object GET with the filled values."""
    routes = api_routes()
    paths = {r.path for r in routes}
    assert "/api/projects/{project_id}/document" in paths and "/api/projects/{project_id}/annotations/{ann_id}" in paths
    owner = client_for(world.owner)
    for route in object_routes(routes + page_routes()):
        if route.method == "GET":
            r = call(owner, route, fill(route, world, denied=False))
            assert r.status_code in (200, 206, 302, 405), f"the owner gets {r.status_code} from {route}: PATH_VALUES?"


def test_users_without_access_get_404_on_every_object_route(world):
    before = fingerprint(world)
    stranger = client_for(world.stranger)
    for route in object_routes(api_routes()):
        r = call(stranger, route, fill(route, world, denied=True))
        assert r.status_code == 404, f"{route}: a user without access got {r.status_code}"
        assert SECRET_NAME not in r.content.decode(errors="replace"), f"{route} leaks the project to a stranger"
        assert fingerprint(world) == before, f"{route} changed data for a user without access"
    owner = client_for(world.owner)
    for route in object_routes(page_routes()):
        url = fill(route, world, denied=True)
        post_only = owner.get(fill(route, world, denied=False)).status_code == 405
        if not post_only:
            r = stranger.get(url)
            assert r.status_code == 404, f"page {url}: a user without access got {r.status_code}"
        r = stranger.post(url)
        allowed = (404,) if post_only else (404, 405)
        assert r.status_code in allowed, f"page {url}: POST by a user without access got {r.status_code}"
        assert fingerprint(world) == before, f"page {url} changed data for a user without access"


def test_anonymous_callers_are_denied_on_every_object_route(world):
    before = fingerprint(world)
    anonymous = Client()
    for route in object_routes(api_routes()):
        r = call(anonymous, route, fill(route, world, denied=True))
        assert r.status_code in DENIED_ANONYMOUS, f"{route}: an anonymous caller got {r.status_code}"
        assert fingerprint(world) == before, f"{route} changed data for an anonymous caller"
    for route in object_routes(page_routes()):
        url = fill(route, world, denied=True)
        r = anonymous.get(url)
        assert r.status_code == 404 or is_login_redirect(r), f"page {url}: an anonymous caller got {r.status_code}"
        assert SECRET_NAME not in r.content.decode(errors="replace")


def viewer_client(world: World, who: str) -> tuple[Client, dict]:
    """A client for the project's viewer or for a holder of its read-only link, with the headers to send."""
    if who == "viewer":
        return client_for(world.viewer), {}
    return Client(), {"X-Share-Token": world.link.token}


@pytest.mark.parametrize("who", ["viewer", "read-only link"])
def test_viewers_get_403_on_every_unsafe_method(world, who):
    before = fingerprint(world)
    client, headers = viewer_client(world, who)
    for route in object_routes(api_routes()):
        if route.method in UNSAFE:
            r = call(client, route, fill(route, world, denied=False), **headers)
            assert r.status_code == 403, f"{route}: a {who} got {r.status_code}"
            assert fingerprint(world) == before, f"{route} changed data for a {who}"
    for route in object_routes(page_routes()):
        url = fill(route, world, denied=False)
        r = client.post(url, headers=headers)
        assert r.status_code in (403, 405) or is_login_redirect(r), f"page {url}: POST by a {who} got {r.status_code}"
        assert fingerprint(world) == before, f"page {url} changed data for a {who}"


@pytest.mark.parametrize("who", ["viewer", "read-only link"])
def test_viewers_get_403_before_their_input_is_checked(world, who):
    """A viewer's write whose body does not fit is refused for who sends it (403), not for the body (422)."""
    before = fingerprint(world)
    client, headers = viewer_client(world, who)
    for route in object_routes(api_routes()):
        if route.method in UNSAFE and route.body:
            url = fill(route, world, denied=False)
            r = client.generic(route.method, url, '{"nonsense": [1]}', content_type="application/json", headers=headers)
            assert r.status_code == 403, f"{route}: a {who} with a wrong body got {r.status_code}"
            assert fingerprint(world) == before, f"{route} changed data for a {who}"


def test_routes_without_an_object_never_show_other_peoples_projects(world):
    before = fingerprint(world)
    stranger, anonymous = client_for(world.stranger), Client()
    for route in [r for r in api_routes() if not r.params]:
        r = call(anonymous, route, fill(route, world, denied=True))
        if route.method in UNSAFE and str(route) not in PUBLIC_SEARCHES:
            assert r.status_code in (401, 403), f"{route}: an anonymous caller got {r.status_code}"
        assert SECRET_NAME not in r.content.decode(errors="replace"), f"{route} shows the project to anonymous"
        if route.method == "GET":
            r = call(stranger, route, fill(route, world, denied=False))
            assert r.status_code < 500 and SECRET_NAME not in r.content.decode(), f"{route} leaks the project"
    for route in [r for r in page_routes() if not r.params]:
        for client in (stranger, anonymous):
            r = client.get(route.path)
            assert SECRET_NAME not in r.content.decode(errors="replace"), f"page {route.path} leaks the project"
    assert fingerprint(world) == before
