"""Annotator agreement in SLAN: two projects' tiers (two annotators of one video) or two tiers of one project compared
with kslars.corpus.agreement, as a page (/agreement/) and a JSON route (GET /api/agreement)."""
