"""What every document edit shares: locking the project, loading the affected tiers as a kslars.document view,
setting a value on a vocabulary tier, and keeping the stored order. The rules an edit must keep are those of
kslars.document_rules, checked on the loaded view.

An edit runs inside ``transaction.atomic``: it locks the project row first (``select_for_update``; SQLite runs
IMMEDIATE transactions, which serialise writers the same way), so two editors' changes to one project are applied
one after the other and each sees the other's result. The project row carries ``revision``, bumped once per edit
(``Project.count_change``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from django.db import connection, transaction
from django.http import Http404

from kslars.document import Annotation, Constraint, Document, DocumentError, Tier, Vocabulary
from kslars.document_rules import vocabulary_entry_for
from kslars.web.annotation import models as m
from kslars.web.annotation.store import (
    ANNOTATION_COLUMNS,
    annotation_from_values,
    tier_from_row,
    tier_type_from_row,
    vocabulary_from_row,
)
from kslars.web.projects.models import Project


class StaleVersion(Exception):
    """The caller edited an old version of something (HTTP 409); ``current`` is its state now, or None."""

    def __init__(self, message: str, current: dict | None) -> None:
        super().__init__(message)
        self.current = current


class _SqliteWriters:
    """The turn of SQLite edits: a lock for the threads of this process, and an exclusive ``flock`` on a file next
    to the database for the processes (gunicorn runs several). Re-entrant in a thread: nested edits keep the turn
    until the outermost one ends. Where ``fcntl`` is missing (Windows), only the threads of a process take turns."""

    def __init__(self) -> None:
        self._threads = threading.RLock()
        self._depth = 0
        self._file: IO[bytes] | None = None
        self._file_key: tuple[int, str] | None = None  # (process id, path): a forked child opens its own

    def _lock_file(self, database: str) -> IO[bytes] | None:
        """This process's open lock file for ``database``, or None for a database that is no file."""
        if fcntl is None or not database or database == ":memory:" or database.startswith("file:"):
            return None
        key = (os.getpid(), f"{database}-edits.lock")
        if self._file_key != key:
            self._file, self._file_key = open(key[1], "ab"), key  # noqa: SIM115 - kept open for the process
        return self._file

    @contextmanager
    def turn(self, database: str) -> Iterator[None]:
        """Wait for this process's and the other processes' edits of ``database`` to end, then hold the turn."""
        with self._threads:
            lock_file = self._lock_file(database) if self._depth == 0 else None
            if lock_file is not None:
                fcntl.flock(lock_file, fcntl.LOCK_EX)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if lock_file is not None:
                    fcntl.flock(lock_file, fcntl.LOCK_UN)


_SQLITE_WRITERS = _SqliteWriters()


@contextmanager
def edit_transaction() -> Iterator[None]:
    """``transaction.atomic()`` for a document edit. With SQLite, edits also take turns before the transaction
    starts, on a lock shared by the threads of a process and the processes of the server (a lock file next to the
    database): a waiting edit then starts as soon as the one before it commits, instead of polling SQLite's busy
    handler, which sleeps up to 100 ms between tries and, with many editors at once, leaves the slowest waiting
    hundreds of milliseconds or past its timeout ("database is locked"). PostgreSQL queues on the project row's lock
    instead."""
    if connection.vendor != "sqlite":
        with transaction.atomic():
            yield
        return
    with _SQLITE_WRITERS.turn(str(connection.settings_dict["NAME"])), transaction.atomic():
        yield


def lock_project(project: Project) -> Project:
    """The project row again, locked until the transaction ends (call inside ``transaction.atomic``); Http404 when
    it was deleted since the caller loaded it."""
    try:
        return Project.objects.select_for_update().get(pk=project.pk)
    except Project.DoesNotExist:
        raise Http404("No such project") from None


@dataclass
class StoredRow:
    """Where a loaded annotation lives in the table: what an edit needs to write it back."""

    pk: int | None
    tier_id: int
    position: int
    version: int


@dataclass
class DocumentView:
    """The rows of one project's structure and a kslars.document view of some of its tiers.

    ``doc`` holds every tier type and vocabulary but only the tiers loaded (whole families: a tier's root and
    everything below it), so that constraint checks see parents and children, with all their annotations or,
    with a ``window``, those an edit within it can reach. ``rows`` says where each loaded annotation (locked) is
    stored, by document id.
    """

    project: Project
    doc: Document
    tier_rows: dict[int, m.Tier]
    type_rows: dict[int, m.TierType]
    vocabulary_rows: dict[int, m.Vocabulary]
    rows: dict[str, StoredRow] = field(default_factory=dict)
    window: Window | None = None  # when set, only the annotations an edit within it can touch were loaded

    def tier_row(self, tier_id: int) -> m.Tier:
        """The project's tier with ``tier_id``; 404 when the project has none (other projects' ids look missing)."""
        row = self.tier_rows.get(tier_id)
        if row is None:
            raise Http404("No such tier")
        return row

    def tier_row_named(self, name: str) -> m.Tier:
        """The tier row whose name is ``name`` (the document's tier id)."""
        return next(r for r in self.tier_rows.values() if r.name == name)

    def doc_tier(self, tier_id: int) -> Tier:
        """The loaded document tier for the tier row ``tier_id``."""
        return self.doc.tier(self.tier_row(tier_id).name)

    def whole_order(self, tier: Tier, order: list[str]) -> list[str]:
        """The stored order of all of ``tier``'s annotations with the loaded ones in ``order`` instead (to renumber a
        tier of which a window was loaded); adds the other annotations' rows to ``rows``."""
        if self.window is None:
            return order
        loaded, whole, spliced = set(order), [], False
        stored = m.Annotation.objects.filter(project=self.project, tier=self.tier_row_named(tier.id))
        for key, pk, tier_id, position, version in stored.order_by("position", "start_ms", "id").values_list(
            "key", "id", "tier_id", "position", "version"
        ):
            if key not in loaded:
                self.rows[key] = StoredRow(pk, tier_id, position, version)
                whole.append(key)
            elif not spliced:
                whole += order
                spliced = True
        return whole if spliced else whole + order

    def vocabulary_of(self, tier: Tier) -> Vocabulary | None:
        """The controlled vocabulary of ``tier``'s type, if it has one."""
        name = self.doc.tier_type(tier.type).vocabulary
        return self.doc.vocabulary(name) if name else None


def family_of(tier_rows: dict[int, m.Tier], tier_ids: Iterable[int]) -> set[int]:
    """The ids of every tier related to ``tier_ids``: their root tiers and everything below those roots."""
    roots = set()
    for tier_id in tier_ids:
        row = tier_rows[tier_id]
        seen = {row.id}
        while row.parent_id is not None and row.parent_id not in seen:
            seen.add(row.parent_id)
            row = tier_rows[row.parent_id]
        roots.add(row.id)
    children: dict[int | None, list[int]] = {}
    for row in tier_rows.values():
        children.setdefault(row.parent_id, []).append(row.id)
    family, todo = set(), list(roots)
    while todo:
        tier_id = todo.pop()
        if tier_id not in family:
            family.add(tier_id)
            todo.extend(children.get(tier_id, []))
    return family


Window = tuple[int, int]  # [start, end] in ms: the stretch of time an annotation edit can reach


def edit_reach(
    project: Project, keys: Iterable[str], spans: Iterable[tuple[int | None, int | None]]
) -> tuple[set[int], Window | None]:
    """Where an edit of the annotations ``keys`` that gives the new times ``spans`` can reach: the tiers of those
    annotations, and a time window covering their times (a symbolic one's through its parents) and ``spans``.

    The window is None when a time is unknown (an unaligned boundary, a missing annotation), so the edit loads its
    whole tiers."""
    found = {r[0]: r for r in _times_of(project, set(keys))}
    tiers = {r[1] for r in found.values()}
    points = [t for span in spans for t in span if t is not None]
    pending = list(found.values())
    while pending:
        parents = set()
        for _, _, start, end, parent in pending:
            if start is not None and end is not None:
                points += [start, end]
            elif start is None and end is None and parent is not None:
                parents.add(parent)
            else:
                return tiers, None
        pending = _times_of(project, parents)
        if len(pending) < len(parents):
            return tiers, None
    if not points or len(found) < len(set(keys)):
        return tiers, None
    return tiers, (min(points), max(points))


def _times_of(project: Project, keys: set[str]) -> list[tuple]:
    """(key, tier_id, start_ms, end_ms, parent_key) of the project's annotations ``keys``, in SQL: every edit asks
    this under the project's lock, and the ORM took longer to build the query than the database to answer it."""
    if not keys:
        return []
    table = connection.ops.quote_name(m.Annotation._meta.db_table)
    marks = ", ".join(["%s"] * len(keys))
    sql = (
        f'SELECT "key", tier_id, start_ms, end_ms, parent_key FROM {table} WHERE project_id = %s AND "key" IN ({marks})'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [project.pk, *keys])
        return cursor.fetchall()


def load_view(
    project: Project, tier_ids: Iterable[int], lock_annotations: bool = True, window: Window | None = None
) -> DocumentView:
    """Load the project's structure and the annotations of the families of ``tier_ids`` (locked for update): all of
    them, or with a ``window`` only those an edit within it can touch (see :func:`_window_rows`)."""
    vocabulary_rows = {v.id: v for v in _structure_rows(m.Vocabulary, project)}
    type_rows = {t.id: t for t in _structure_rows(m.TierType, project)}
    tier_rows = {t.id: t for t in _structure_rows(m.Tier, project)}
    for t in type_rows.values():
        t.vocabulary = vocabulary_rows.get(t.vocabulary_id)
    wanted = [i for i in tier_ids if i in tier_rows]
    family = family_of(tier_rows, wanted) if wanted else set()
    doc = Document(
        vocabularies=[vocabulary_from_row(v) for v in vocabulary_rows.values()],
        tier_types=[tier_type_from_row(t) for t in type_rows.values()],
    )
    by_tier: dict[int, Tier] = {}
    for row in sorted((tier_rows[i] for i in family), key=lambda r: (r.position, r.id)):
        parent = tier_rows[row.parent_id].name if row.parent_id else None
        by_tier[row.id] = tier_from_row(row, type_rows[row.tier_type_id].name, parent)
        doc.tiers.append(by_tier[row.id])
    view = DocumentView(project, doc, tier_rows, type_rows, vocabulary_rows, window=window)
    if not family:
        return view
    query = m.Annotation.objects.select_for_update() if lock_annotations else m.Annotation.objects.all()
    if window is None:
        rows = list(query.filter(project=project, tier_id__in=family).values_list(*ANNOTATION_COLUMNS))
    else:
        constraints = {t.id: Constraint(t.constraint) for t in type_rows.values()}
        rows = _window_rows(query, lock_annotations, [tier_rows[i] for i in family], constraints, window)
    for values in sorted(rows, key=lambda v: (v[-2], v[-1], v[2] is None, v[2] or 0, v[-3])):
        pk, tier_id, position = values[-3:]
        by_tier[tier_id].annotations.append(annotation_from_values(values))
        view.rows[values[0]] = StoredRow(pk, tier_id, position, values[9])
    return view


def _structure_rows(model: type[m.Vocabulary | m.TierType | m.Tier], project: Project) -> list:
    """The project's rows of ``model`` (vocabularies, tier types or tiers), in the model's order.

    In SQL (one plain SELECT each): every edit reads them under the project's lock, and building these queries
    through the ORM took three times as long as running them."""
    table = connection.ops.quote_name(model._meta.db_table)
    order = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in model._meta.ordering)
    return list(model.objects.raw(f"SELECT * FROM {table} WHERE project_id = %s ORDER BY {order}", [project.pk]))


def _window_rows(
    query, lock: bool, family: list[m.Tier], constraints: dict[int, Constraint], window: Window
) -> list[tuple]:
    """The annotation rows (``ANNOTATION_COLUMNS``) of the tiers ``family`` that an edit within ``window`` can touch;
    ``query`` selects annotations (locked for update when ``lock``).

    The window first grows to cover the top tiers' annotations that overlap it, so that every annotation below
    them comes along. On each time-aligned tier: the annotations that start in the window (from the start of the
    last one before it, which may reach into it) and the first one after it, which are the neighbours an
    overlap or the stored order is decided by, and the unaligned pieces between them; on a symbolic tier: the
    annotations whose parent was loaded. Each tier costs a few indexed queries, whatever its size.
    """
    start, end = window
    loaded: dict[int, list[tuple]] = {}
    for _ in range(len(family) + 1):  # the top tiers again until the window stops growing
        for tier in family:
            if tier.parent_id is None and constraints[tier.tier_type_id].time_alignable:
                loaded[tier.id] = _aligned_rows(tier.id, start, end, lock)
        times = [(v[2], v[3]) for rows in loaded.values() for v in rows if v[2] is not None and v[3] is not None]
        wider = (min([start, *(s for s, e in times if e > start)]), max([end, *(e for s, e in times if s < end)]))
        if wider == (start, end):
            break
        start, end = wider
    todo = [t for t in family if t.id not in loaded]
    while todo:
        tier = next(t for t in todo if t.parent_id in loaded)  # parents first
        todo.remove(tier)
        tier_query = query.filter(project_id=tier.project_id, tier_id=tier.id).order_by()  # the caller orders them
        if constraints[tier.tier_type_id].time_alignable:
            loaded[tier.id] = rows = _aligned_rows(tier.id, start, end, lock)
            if rows:  # the pieces without a start stored between the first and the last of them
                between = tier_query.filter(start_ms__isnull=True, position__gte=min(v[-1] for v in rows))
                if any(v[2] >= end for v in rows):
                    between = between.filter(position__lte=max(v[-1] for v in rows))
                rows += between.values_list(*ANNOTATION_COLUMNS)
        else:
            parent_keys = [v[0] for v in loaded[tier.parent_id]]
            loaded[tier.id] = list(tier_query.filter(parent_key__in=parent_keys).values_list(*ANNOTATION_COLUMNS))
    return [v for rows in loaded.values() for v in rows]


def _aligned_rows(tier_id: int, start: int, end: int, lock: bool) -> list[tuple]:
    """The rows (``ANNOTATION_COLUMNS``) of one time-aligned tier for :func:`_window_rows`, in one query: those
    starting from the start of the last one before ``start`` up to ``end``, and those starting where the first one
    after ``end`` starts; locked for update when ``lock`` (where the database can).

    Written in SQL: this runs under the project's lock on every edit, and building it through the ORM (three
    subqueries) took ten times as long as running it. The bounds make it a range on the (tier, start_ms) index,
    not a scan of the rest of the tier."""
    fields = [m.Annotation._meta.get_field(name) for name in ANNOTATION_COLUMNS]
    table = connection.ops.quote_name(m.Annotation._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    before = f"SELECT start_ms FROM {table} WHERE tier_id = %s AND start_ms < %s ORDER BY start_ms DESC LIMIT 1"
    after = f"SELECT start_ms FROM {table} WHERE tier_id = %s AND start_ms >= %s ORDER BY start_ms LIMIT 1"
    sql = (
        f"SELECT {columns} FROM {table} WHERE tier_id = %s AND start_ms >= COALESCE(({before}), %s) "
        f"AND start_ms <= COALESCE(({after}), %s) AND (start_ms < %s OR start_ms = ({after}))"
    )
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [tier_id, tier_id, start, start, tier_id, end, end, end, tier_id, end])
        rows = cursor.fetchall()
    converters = [getattr(f, "from_db_value", None) for f in fields]  # the attributes' JSON, as the ORM reads it
    return [
        tuple(v if c is None else c(v, None, connection) for c, v in zip(converters, row, strict=True)) for row in rows
    ]


def set_value(view: DocumentView, tier: Tier, annotation: Annotation, value: str, cv_entry: str | None) -> None:
    """Give ``annotation`` ``value`` (and its vocabulary entry when ``tier``'s type has a vocabulary)."""
    vocabulary = view.vocabulary_of(tier)
    if vocabulary is None:
        if cv_entry is not None:
            raise DocumentError(f"tier {tier.id!r} has no controlled vocabulary: leave out cv_entry")
        annotation.value, annotation.cv_entry = value, None
        return
    entry = vocabulary_entry_for(vocabulary, tier, value, cv_entry)
    annotation.value = (value or entry.value) if entry else ""
    annotation.cv_entry = entry.id if entry else None


def subdivision_chain(pieces: list[Annotation]) -> list[Annotation]:
    """The pieces of one parent on a Symbolic_Subdivision tier in order, following their ``previous`` links."""
    after = {a.previous: a for a in pieces}
    chain, current = [], after.get(None)
    while current is not None and current not in chain:
        chain.append(current)
        current = after.get(current.id)
    return chain + [a for a in pieces if a not in chain]  # pieces off the chain keep their stored order


def place_by_time(annotations: list[Annotation], a: Annotation) -> None:
    """Put time-aligned ``a`` before the first annotation of the list that starts after it; annotations without
    times keep their places, so unaligned pieces stay next to the pieces they follow."""
    if a in annotations:
        annotations.remove(a)
    for i, x in enumerate(annotations):
        if x.start_ms is not None and (x.start_ms, x.end_ms or 0) > (a.start_ms, a.end_ms or 0):
            annotations.insert(i, a)
            return
    annotations.append(a)


def in_document_order(doc: Document, tier: Tier) -> list[Annotation]:
    """``tier``'s annotations in stored order: time-aligned tiers keep theirs (edits place annotations by time),
    symbolic tiers are grouped by parent, Symbolic_Subdivision pieces in the order of their ``previous`` links."""
    constraint = doc.constraint_of(tier)
    if constraint.time_alignable:
        return list(tier.annotations)
    by_parent: dict[str | None, list[Annotation]] = {}
    for a in tier.annotations:
        by_parent.setdefault(a.parent, []).append(a)
    if constraint is Constraint.SYMBOLIC_SUBDIVISION:
        return [a for pieces in by_parent.values() for a in subdivision_chain(pieces)]
    return [a for pieces in by_parent.values() for a in pieces]


def renumbers(planned: dict[str, int], stored: dict[str, int | None]) -> bool:
    """Whether :func:`plan_positions` had to renumber: a position that was kept changed."""
    return any(p is not None and planned[key] != p for key, p in stored.items())


def plan_positions(order: list[str], stored: dict[str, int | None]) -> dict[str, int]:
    """Stored positions for the annotations ``order`` lists (the tier's new order), changing as few as possible.

    ``stored`` has each annotation's current position, or None for one that needs a place (new or moved).
    Positions that still increase along ``order`` stay; the others go evenly between their neighbours. Only
    when two neighbours leave too little room is the whole tier renumbered, ``POSITION_GAP`` apart.
    """
    kept, last = {}, None
    for key in order:
        p = stored.get(key)
        if p is not None and (last is None or p > last):
            kept[key], last = p, p
    planned, run, low = dict(kept), [], None
    closing: list[str | None] = [*order, None]  # None closes the last run
    for next_key in closing:
        if next_key is not None and next_key not in kept:
            run.append(next_key)
            continue
        high = kept.get(next_key) if next_key is not None else None
        if run:
            k = len(run)
            if low is not None and high is not None and high - low <= k:
                return {key: (i + 1) * m.POSITION_GAP for i, key in enumerate(order)}
            for j, pending in enumerate(run):
                if low is not None and high is not None:
                    planned[pending] = low + (high - low) * (j + 1) // (k + 1)
                elif low is not None:
                    planned[pending] = low + (j + 1) * m.POSITION_GAP
                elif high is not None:
                    planned[pending] = high - (k - j) * m.POSITION_GAP
                else:
                    planned[pending] = (j + 1) * m.POSITION_GAP
        run, low = [], high
    return planned
