"""API routes of the projects app."""

from ninja import Router

router = Router(tags=["projects"])
