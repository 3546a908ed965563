"""Schemathesis against the API's own OpenAPI schema: generated requests, valid and invalid, to every operation,
as the owner of a project with one of everything, get no server error and no status the schema does not declare.

Bounded for the test suite: a fixed seed and a few examples per operation and kind, a few hundred requests in all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings

from kslars.web.wsgi import application
from tests.web.world import PATH_VALUES, World

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.core.failures import FailureGroup  # noqa: E402
from schemathesis.specs.openapi.checks import status_code_conformance  # noqa: E402

pytestmark = pytest.mark.django_db
EXAMPLES = 4  # per operation and kind (valid, invalid)
KEEP = {"DELETE /api/projects/{project_id}"}  # generated ids only: the project itself stays for the other operations


@contextmanager
def database_kept_open() -> Iterator[None]:
    """Requests go to the WSGI application itself, which (unlike Django's test client) would close the test's
    database connection at the end of each request."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_generated_requests_get_declared_statuses_and_no_server_error(world: World):
    client = Client()
    client.force_login(world.owner)
    client.get("/")  # sets the CSRF cookie
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    headers = {"X-CSRFToken": cookies["csrftoken"]}
    failures: list[str] = []
    with database_kept_open():
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
        for operation in (result.ok() for result in schema.get_all_operations()):
            for mode in schemathesis.GenerationMode:
                if mode is schemathesis.GenerationMode.NEGATIVE and not has_inputs(operation):
                    continue  # nothing to send wrong (GET /api/formats)
                try:
                    check_operation(operation, mode, world, headers, cookies)
                except FailureGroup as group:  # every operation is tried, then all failures are shown
                    failures += [
                        f"{operation.method.upper()} {operation.path} ({mode.value}): {failure}"
                        for failure in group.exceptions
                    ]
    assert not failures, "\n\n".join(failures)


def has_inputs(operation) -> bool:
    """Whether a request to ``operation`` carries anything: path, query, header or cookie parameters, or a body."""
    return bool(list(operation.iter_parameters())) or bool(operation.body)


def check_operation(operation, mode, world: World, headers: dict, cookies: dict) -> None:
    """A few generated requests to ``operation``; the ids in its path are the world's (so that requests get past
    the lookups) except where a request would delete what the other operations need."""
    label = f"{operation.method.upper()} {operation.path}"
    names = [p.name for p in operation.path_parameters] if label not in KEEP else []
    strategy = operation.as_strategy(mode, path_parameters={name: PATH_VALUES[name](world) for name in names} or None)

    @settings(
        max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=strategy)
    def check(case) -> None:
        response = case.call(headers=headers, cookies=cookies)
        case.validate_response(response, checks=[not_a_server_error, status_code_conformance])

    check()
