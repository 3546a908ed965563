"""The body every API error answers with, and the error statuses that routes declare in the OpenAPI schema."""

from ninja import Schema


class Message(Schema):
    """An error or status message."""

    detail: str


ERRORS = {400: Message, 401: Message, 403: Message, 404: Message}
