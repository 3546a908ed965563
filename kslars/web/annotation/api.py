"""API routes of the annotation app."""

from ninja import Router

router = Router(tags=["annotation"])
