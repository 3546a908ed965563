"""Corpus-wide search over the annotations of every project a user can see (kslars.corpus.search_query checks the
query; the projects app's ``visible_projects`` decides what is visible, owner or share of any role).

Exact values and prefixes are range scans on the index of the values' first ``VALUE_HEAD`` characters; a regular
expression is matched once per distinct value (glosses repeat a great deal), and the annotations holding the
matched values are then found through the same index. A handshape search is an exact value on tiers whose type
uses the HamNoSys handshape vocabulary. The signer of a result is its tier's participant (ELAN's PARTICIPANT),
the only place a project records who signs.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, QuerySet
from ninja import Schema

from kslars.corpus.search_query import (
    MAX_PAGE_SIZE,
    Mode,
    SearchQuery,
    ValueList,
    matching_values,
    prefix_upper_bound,
)
from kslars.hamnosys import HANDSHAPE_VOCABULARY_ID
from kslars.web.annotation.models import VALUE_HEAD, Annotation, Tier, ValueHead
from kslars.web.projects.access import visible_projects
from kslars.web.projects.models import Project, VideoStatus

COUNT_LIMIT = 10_000  # results counted; past it a search says "more than 10,000" (and pages stop there)
MAX_CACHED_PROJECTS = 5000  # projects whose distinct values a process keeps
_VALUES: OrderedDict[tuple, frozenset[str]] = OrderedDict()  # (project id, revision, updated_at) -> values
_VALUES_LOCK = threading.Lock()
_LAST: dict[str, tuple] = {}  # "union": (versions, their values), what a user's next search most likely needs


class Hit(Schema):
    """One annotation found, with the time it shows in the video (a referring annotation's aligned ancestor's; null:
    none); the API's results add where it opens the editor and its still."""

    annotation_id: str  # its id in the document (the key the editor and the annotation API use)
    project_id: int
    project_name: str
    tier: str
    signer: str | None
    value: str
    start_ms: int | None
    end_ms: int | None
    has_video: bool


@dataclass(frozen=True)
class Page:
    """One page of results and how many there are in all."""

    hits: list[Hit]
    count: int  # at most COUNT_LIMIT
    more: bool  # more than COUNT_LIMIT were found
    page: int
    page_size: int


def search(user, query: SearchQuery, page: int = 1, page_size: int = 50) -> Page:
    """Page ``page`` (from 1) of the annotations ``user`` may see that ``query`` finds, ordered by value (as the
    index holds them), project, tier and time. QueryError for a regular expression that is too slow or matches too
    many values."""
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, page)
    rows = matching_rows(user, query)
    count = rows.order_by()[: COUNT_LIMIT + 1].count()  # a count stops at the limit: counting all can take long
    start = (page - 1) * page_size
    chosen = list(
        rows.values_list("key", "project_id", "tier_id", "value", "start_ms", "end_ms", "parent_key")[
            start : start + page_size
        ]
    )
    return Page(
        hits=_hits(chosen), count=min(count, COUNT_LIMIT), more=count > COUNT_LIMIT, page=page, page_size=page_size
    )


def matching_rows(user, query: SearchQuery) -> QuerySet[Annotation]:
    """The annotations of the projects ``user`` can see that ``query`` finds, in the results' order."""
    rows = scoped_rows(user, query)
    if query.mode is Mode.REGEX:
        projects = visible_projects(user)
        if query.project_id is not None:
            projects = projects.filter(pk=query.project_id)
        return _valued(rows, matching_values(query.text, project_values(projects)))
    if query.mode is Mode.PREFIX:
        return _starting_with(rows.alias(head=ValueHead("value")), query.text)
    return _valued(rows, [query.text])


def _valued(rows: QuerySet[Annotation], values: list[str]) -> QuerySet[Annotation]:
    """``rows`` whose value is one of ``values``, found through the index of the values' heads.

    A head shorter than VALUE_HEAD is the whole value, so for short values the head alone decides: comparing the
    value itself as well would let SQLite put the constant into the indexed expression, which it then no longer
    recognises."""
    short = [v for v in values if len(v) < VALUE_HEAD]
    long = [v for v in values if len(v) >= VALUE_HEAD]
    condition = Q(head__in=short) if short else Q(pk__in=[])
    if long:
        condition |= Q(head__in={v[:VALUE_HEAD] for v in long}, value__in=long)
    rows = rows.alias(head=ValueHead("value")).filter(condition)
    if len(values) == 1:  # by value first would make SQLite sort every match, not see that the value is fixed
        return rows.order_by("project_id", "tier_id", "start_ms", "id")
    return _in_value_order(rows)


def _in_value_order(rows: QuerySet[Annotation]) -> QuerySet[Annotation]:
    """``rows`` by value, project, tier and time: the value index's order, so a page needs no full sort."""
    return rows.order_by(ValueHead("value"), "project_id", "tier_id", "start_ms", "id")


def scoped_rows(user, query: SearchQuery) -> QuerySet[Annotation]:
    """The annotations the filters of ``query`` allow, in the projects ``user`` can see.

    The project is compared as ``project_id + 0``, which no index serves: SQLite then walks the value index in
    its order (value, project, tier), which is the results' order, and stops after the page; the tier filters
    are a list of tier ids, which that index holds too."""
    projects = visible_projects(user).values("id")
    if query.project_id is not None:
        projects = projects.filter(pk=query.project_id)
    rows = Annotation.objects.alias(project_number=F("project_id") + 0).filter(project_number__in=projects)
    tiers = Tier.objects.filter(project__in=projects)
    if query.tier is not None:
        tiers = tiers.filter(name=query.tier)
    if query.signer is not None:
        tiers = tiers.filter(participant=query.signer)
    if query.mode is Mode.HANDSHAPE:
        tiers = tiers.filter(tier_type__vocabulary__name=HANDSHAPE_VOCABULARY_ID)
    if query.tier is not None or query.signer is not None or query.mode is Mode.HANDSHAPE:
        rows = rows.filter(tier_id__in=tiers.values("id"))
    return rows


def project_values(projects: QuerySet[Project]) -> ValueList:
    """The different annotation values of ``projects``, each project's read once per revision and kept in this
    process (every change to a document bumps its project's revision), as is the last list asked for."""
    versions = tuple(sorted(projects.values_list("id", "revision", "updated_at")))
    last = _LAST.get("union")
    if last is not None and last[0] == versions:
        return last[1]
    missing = [version for version in versions if version not in _VALUES]
    if missing:
        found = _distinct_values([version[0] for version in missing])
        with _VALUES_LOCK:
            for version in missing:
                _VALUES[version] = found.get(version[0], frozenset())
            while len(_VALUES) > MAX_CACHED_PROJECTS:
                _VALUES.popitem(last=False)
    union = ValueList(frozenset().union(*(_VALUES.get(version, frozenset()) for version in versions)))
    _LAST["union"] = (versions, union)
    return union


def _distinct_values(project_ids: list[int]) -> dict[int, frozenset[str]]:
    """Each project's different values: their heads from the index, in full only where a head may be cut."""
    rows = Annotation.objects.filter(project_id__in=project_ids).annotate(head=ValueHead("value"))
    heads = rows.values_list("project_id", "head").distinct()
    values: dict[int, set[str]] = {}
    cut: set[str] = set()
    for project_id, head in heads:
        if head is not None and len(head) < VALUE_HEAD:
            values.setdefault(project_id, set()).add(head)
        elif head is not None:
            cut.add(head)
    if cut:
        for project_id, value in rows.filter(head__in=cut).values_list("project_id", "value").distinct():
            values.setdefault(project_id, set()).add(value)
    return {project_id: frozenset(found) for project_id, found in values.items()}


def _starting_with(rows: QuerySet[Annotation], prefix: str) -> QuerySet[Annotation]:
    """``rows`` whose value starts with ``prefix`` (case-sensitive)."""
    head = prefix[:VALUE_HEAD]
    bound = prefix_upper_bound(head)
    if connection.vendor == "sqlite":  # text compares by code point there, so a prefix is an index range
        rows = rows.filter(head__gte=head, **({"head__lt": bound} if bound is not None else {}))
        return _in_value_order(rows if len(prefix) <= VALUE_HEAD else rows.filter(value__startswith=prefix))
    # PostgreSQL: LIKE, case-sensitive there (a linguistic collation would not order prefixes as code points)
    return _in_value_order(rows.filter(value__startswith=prefix))


def _hits(rows: list[tuple]) -> list[Hit]:
    """The page's rows with their project, tier and time (referring annotations take their aligned ancestor's)."""
    projects = dict(Project.objects.filter(pk__in={r[1] for r in rows}).values_list("id", "name"))
    with_video = set(
        Project.objects.filter(pk__in=projects, video__status=VideoStatus.READY).values_list("id", flat=True)
    )
    tiers = {t.id: t for t in Tier.objects.filter(pk__in={r[2] for r in rows}).only("name", "participant")}
    times = _aligned_times([(r[1], r[6]) for r in rows if r[4] is None and r[6]])
    hits = []
    for annotation_id, project_id, tier_id, value, start, end, parent_key in rows:
        if start is None and parent_key:
            start, end = times.get((project_id, parent_key), (None, None))
        tier = tiers[tier_id]
        hits.append(
            Hit(
                annotation_id=annotation_id,
                project_id=project_id,
                project_name=projects[project_id],
                tier=tier.name,
                signer=tier.participant,
                value=value,
                start_ms=start,
                end_ms=end,
                has_video=project_id in with_video,
            )
        )
    return hits


def _aligned_times(keys: list[tuple[int, str]]) -> dict[tuple[int, str], tuple[int | None, int | None]]:
    """For each (project, annotation key), the span of the first time-aligned annotation up its parent chain."""
    times: dict[tuple[int, str], tuple[int | None, int | None]] = {}
    pending = {key: key for key in keys}  # asked-for key -> key to look up next
    for _ in range(20):  # ELAN's tiers nest a few levels deep; a cycle cannot hold the page
        if not pending:
            break
        condition = Q()
        for project_id, key in set(pending.values()):
            condition |= Q(project_id=project_id, key=key)
        found = {
            (p, k): (s, e, parent)
            for p, k, s, e, parent in Annotation.objects.filter(condition).values_list(
                "project_id", "key", "start_ms", "end_ms", "parent_key"
            )
        }
        following = {}
        for asked, looked in pending.items():
            start, end, parent = found.get(looked, (None, None, None))
            if start is not None or not parent:
                times[asked] = (start, end)
            else:
                following[asked] = (looked[0], parent)
        pending = following
    return times
