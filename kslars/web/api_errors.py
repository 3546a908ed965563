"""The bodies every API error answers with, and the error statuses that routes declare in the OpenAPI schema."""

from typing import Any

from ninja import Schema


class Message(Schema):
    """An error or status message."""

    detail: str


class InputProblem(Schema):
    """One reason a request's input was refused: where (``["body", "payload", "name"]``, ``["query", "since"]``),
    what kind (pydantic's error type) and a message; ``ctx`` gives the limit or pattern where there is one."""

    type: str
    loc: list[str | int]
    msg: str
    ctx: dict[str, Any] | None = None


class InvalidInput(Schema):
    """The answer (HTTP 422) for a body, query or form that does not fit the operation's schema."""

    detail: list[InputProblem]


ERRORS = {400: Message, 401: Message, 403: Message, 404: Message, 422: InvalidInput}
