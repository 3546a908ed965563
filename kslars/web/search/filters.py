"""What a search may be narrowed to: the caller's visible projects, their tier names and signers."""

from __future__ import annotations

from kslars.web.annotation.models import Tier
from kslars.web.projects.access import visible_projects


def filter_choices(user) -> dict:
    """{"projects": [{"id", "name"}], "tiers": [names], "signers": [tier participants]}, sorted."""
    projects = visible_projects(user).order_by("name", "id").values("id", "name")
    tiers = Tier.objects.filter(project__in=visible_projects(user).values("id"))
    names = sorted(set(tiers.values_list("name", flat=True)))
    signers = sorted({p for p in tiers.values_list("participant", flat=True) if p})
    return {"projects": list(projects), "tiers": names, "signers": signers}
