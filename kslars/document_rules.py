"""The rules of a valid annotation document, in one place: every reader and writer of a format, the CLI, the web
import and the web API's edits call these functions, so they accept and refuse the same documents.

Structure:

- tier names and annotation ids are unique; tier types, vocabularies and parent tiers referred to exist; parent
  tiers form no loop;
- a tier whose type has no constraint has no parent tier, a constrained one has one, and Included_In and
  Time_Subdivision tiers have a time-aligned parent tier.

Each annotation (:meth:`DocumentIndex.check_annotation`):

- time-aligned: start >= 0 and end >= 0, end after start, both times on top-level tiers, no overlap on its tier
  (touching is fine); on Included_In / Time_Subdivision tiers, inside one annotation of the parent tier (found by
  time; a piece with both boundaries unaligned has no times to check);
- symbolic: refers to an annotation of the parent tier; a Symbolic_Subdivision piece follows (``previous``) an
  annotation of its own tier; Symbolic_Association allows one annotation per parent annotation;
- controlled vocabulary: on a tier whose type has a vocabulary with entries (or a local one), ``cv_entry`` names
  one of its entries and a non-empty value is a value (in any language) of that entry, or of some entry.

Time_Subdivision tiling (:meth:`DocumentIndex.check_tiling`): the pieces of a parent annotation follow each other
without gaps and fill it exactly (an unaligned boundary, as in ELAN files, fits wherever it is).

A whole document is checked in O(n log n) (:func:`check_document`). An edit checks only the annotations it
touches, on a Document that holds their neighbourhood (:class:`DocumentIndex` over that partial document).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import pairwise

from kslars.document import Annotation, Constraint, Document, DocumentError, Tier, Vocabulary, VocabularyEntry
from kslars.document_tree import group_pieces

ALLOWED_VALUES_SHOWN = 8  # how many vocabulary values an error message lists
ALIGNED_CHILDREN = (Constraint.INCLUDED_IN, Constraint.TIME_SUBDIVISION)


# ---- structure -------------------------------------------------------------------------------------------
def check_structure(doc: Document) -> None:
    """Raise DocumentError at the first broken name, reference or tier structure (not looking at annotations)."""
    by_id: dict[str, Tier] = {}
    for t in doc.tiers:
        if t.id in by_id:
            raise DocumentError(f"two tiers are named {t.id!r}; every tier needs a name of its own")
        by_id[t.id] = t
    seen: set[str] = set()
    for t in doc.tiers:
        for a in t.annotations:
            if a.id in seen:
                raise DocumentError(f"two annotations have the id {a.id!r}")
            seen.add(a.id)
    vocabularies = {v.id for v in doc.vocabularies}
    for tt in doc.tier_types:
        if tt.vocabulary is not None and tt.vocabulary not in vocabularies:
            raise DocumentError(
                f"tier type {tt.id!r} refers to controlled vocabulary {tt.vocabulary!r}, which does not exist"
            )
    types = {tt.id: tt.constraint for tt in doc.tier_types}
    for t in doc.tiers:
        if t.type not in types:
            raise DocumentError(f"tier {t.id!r} has tier type {t.type!r}, which does not exist")
        if t.parent is not None and t.parent not in by_id:
            raise DocumentError(f"tier {t.id!r} has parent tier {t.parent!r}, which does not exist")
    _check_no_loops(by_id)
    for t in doc.tiers:
        check_tier_place(t, types[t.type], by_id, types)


def _check_no_loops(by_id: dict[str, Tier]) -> None:
    done: set[str] = set()
    for tier in by_id.values():
        path, t = {tier.id}, tier
        while t.parent is not None and t.parent in by_id and t.parent not in done:
            if t.parent in path:
                raise DocumentError(f"tier {tier.id!r} is its own ancestor (parent tiers form a loop)")
            path.add(t.parent)
            t = by_id[t.parent]
        done |= path


def check_tier_place(
    tier: Tier, constraint: Constraint, tiers: dict[str, Tier], constraints: dict[str, Constraint]
) -> None:
    """Raise DocumentError unless ``tier``'s type fits its place: constrained types need a parent tier, free ones
    none, and time-aligned children (Included_In, Time_Subdivision) need a time-aligned parent.

    ``tiers`` maps tier ids to tiers and ``constraints`` tier type ids to their constraints."""
    if constraint is Constraint.NONE and tier.parent is not None:
        raise DocumentError(
            f"tier {tier.id!r} has parent tier {tier.parent!r}, so its type needs a constraint "
            f"(Included_In, Time_Subdivision, Symbolic_Subdivision or Symbolic_Association); "
            f"type {tier.type!r} has none"
        )
    if constraint.needs_parent and tier.parent is None:
        raise DocumentError(f"tier {tier.id!r} of type {tier.type!r} ({constraint.value}) needs a parent tier")
    if constraint in ALIGNED_CHILDREN and tier.parent is not None:
        parent_constraint = constraints[tiers[tier.parent].type]
        if not parent_constraint.time_alignable:
            raise DocumentError(
                f"tier {tier.id!r} ({constraint.value}) needs a time-aligned parent tier; "
                f"{tier.parent!r} is {parent_constraint.value}"
            )


def check_tier_structure(doc: Document, tier: Tier) -> None:
    """:func:`check_tier_place` for one tier of ``doc`` (whose types and parent tier are known to exist)."""
    constraints = {tt.id: tt.constraint for tt in doc.tier_types}
    check_tier_place(tier, constraints[tier.type], {t.id: t for t in doc.tiers}, constraints)


# ---- controlled vocabularies ----------------------------------------------------------------------------
def vocabulary_applies(vocabulary: Vocabulary) -> bool:
    """Whether values are checked against ``vocabulary``: not for an external one whose entries are elsewhere."""
    return bool(vocabulary.entries) or vocabulary.ext_ref is None


def allowed_values_hint(vocabulary: Vocabulary) -> str:
    """The first few values of ``vocabulary``, for error messages."""
    values = [e.value for e in vocabulary.entries[:ALLOWED_VALUES_SHOWN]]
    more = len(vocabulary.entries) - len(values)
    return ", ".join(values) + (f" ... ({len(vocabulary.entries)} in all)" if more > 0 else "")


def vocabulary_entry_for(
    vocabulary: Vocabulary, tier: Tier, value: str, cv_entry: str | None
) -> VocabularyEntry | None:
    """The entry a value on a vocabulary tier stands for (None for an empty value); DocumentError if none fits.

    ``cv_entry``, when given, picks the entry directly and ``value`` must then be empty or one of its values.
    """
    if cv_entry is not None:
        entry = vocabulary.entry(cv_entry)
        if entry is None:
            raise DocumentError(f"vocabulary {vocabulary.id!r} of tier {tier.id!r} has no entry {cv_entry!r}")
        if value and all(v.value != value for v in entry.values):
            raise DocumentError(
                f"value {value!r} is not a value of entry {cv_entry!r} ({entry.value!r}) "
                f"in vocabulary {vocabulary.id!r}"
            )
        return entry
    if not value:
        return None
    entry = vocabulary.entry_by_value(value)
    if entry is None:
        raise DocumentError(
            f"{value!r} is not in the controlled vocabulary {vocabulary.id!r} of tier {tier.id!r}; "
            f"allowed values: {allowed_values_hint(vocabulary)}"
        )
    return entry


class _VocabularyLookup:
    """One vocabulary's entries by id and by value, so that checking n annotations takes O(n)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.by_id = {e.id: e for e in vocabulary.entries}
        self.values = {lv.value for e in vocabulary.entries for lv in e.values}

    def check(self, tier: Tier, a: Annotation) -> None:
        entry = self.by_id.get(a.cv_entry) if a.cv_entry is not None else None
        fits = (entry is not None and (not a.value or any(v.value == a.value for v in entry.values))) or (
            a.cv_entry is None and (not a.value or a.value in self.values)
        )
        if not fits:
            try:
                vocabulary_entry_for(self.vocabulary, tier, a.value, a.cv_entry)
            except DocumentError as exc:
                raise DocumentError(f"annotation {a.id!r} on tier {tier.id!r}: {exc}") from None


class _Spans:
    """A time-aligned tier's annotations that have both times, sorted by start, for lookups in O(log n)."""

    def __init__(self, annotations: list[Annotation]) -> None:
        timed: list[tuple[int, int, int, Annotation]] = []
        for i, a in enumerate(annotations):
            if a.start_ms is not None and a.end_ms is not None:
                timed.append((a.start_ms, a.end_ms, i, a))
        self.spans = sorted(timed, key=lambda x: (x[0], x[2]))
        self.starts = [x[0] for x in self.spans]
        # the two annotations with the latest ends among the first k spans, to find overlaps in O(log n)
        self.latest: list[tuple[Annotation | None, Annotation | None]] = []
        best: Annotation | None = None
        second: Annotation | None = None
        for _, e, _, a in self.spans:
            if best is None or e > best.end_ms:  # type: ignore[operator]
                best, second = a, best
            elif second is None or e > second.end_ms:  # type: ignore[operator]
                second = a
            self.latest.append((best, second))

    def overlapping(self, a: Annotation) -> Annotation | None:
        """Another annotation of the tier that overlaps ``a`` (which has both times), or None."""
        if a.start_ms is None or a.end_ms is None:
            return None
        k = bisect_left(self.starts, a.end_ms)
        if k == 0:
            return None
        best, second = self.latest[k - 1]
        other = second if best is a else best
        return other if other is not None and other.end_ms > a.start_ms else None  # type: ignore[operator]

    def containing(self, a: Annotation) -> Annotation | None:
        """The annotation with start <= ``a``'s start < end (or, without a start, start < ``a``'s end <= end)."""
        start, end = a.start_ms, a.end_ms
        if start is not None:
            i = bisect_right(self.starts, start) - 1
            ok = i >= 0 and start < self.spans[i][1]
        elif end is not None:
            i = bisect_left(self.starts, end) - 1
            ok = i >= 0 and end <= self.spans[i][1]
        else:
            return None
        return self.spans[i][3] if ok else None


# ---- the index the annotation rules run on --------------------------------------------------------------------
class DocumentIndex:
    """Lookups over a document, built in O(n log n), for checking its annotations one by one in O(log n) each.

    Build it after the document's last change: it does not follow later edits. The document may hold only part
    of the annotations (an edit's neighbourhood); each check then sees only those.
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        types = {tt.id: tt for tt in doc.tier_types}
        vocabularies = {v.id: v for v in doc.vocabularies}
        self.tiers = {t.id: t for t in doc.tiers}
        self.constraints = {t.id: types[t.type].constraint for t in doc.tiers}
        self.located = {a.id: (t, a) for t in doc.tiers for a in t.annotations}
        self.children: dict[str, list[Tier]] = {}
        for t in doc.tiers:
            if t.parent is not None:
                self.children.setdefault(t.parent, []).append(t)
        self._vocabularies: dict[str, _VocabularyLookup | None] = {}
        for t in doc.tiers:
            name = types[t.type].vocabulary
            vocabulary = vocabularies.get(name) if name is not None else None
            usable = vocabulary is not None and vocabulary_applies(vocabulary)
            self._vocabularies[t.id] = _VocabularyLookup(vocabulary) if usable else None  # type: ignore[arg-type]
        self._spans: dict[str, _Spans] = {}
        self._pieces: dict[str, dict[str, list[Annotation]]] = {}
        self._associated: dict[str, dict[str | None, list[Annotation]]] = {}

    def spans(self, tier: Tier) -> _Spans:
        """The sorted spans of a time-aligned ``tier`` (built on first use)."""
        if tier.id not in self._spans:
            self._spans[tier.id] = _Spans(tier.annotations)
        return self._spans[tier.id]

    def parent_of(self, tier: Tier, a: Annotation) -> Annotation | None:
        """The parent tier's annotation ``a`` belongs to: the one it names, or for time-aligned ones the one its
        times lie in (None when there is none)."""
        if tier.parent is None:
            return None
        if a.parent is not None:
            found = self.located.get(a.parent)
            return found[1] if found is not None and found[0].id == tier.parent else None
        if a.start_ms is None and a.end_ms is None:
            return None
        return self.spans(self.tiers[tier.parent]).containing(a)

    def pieces(self, child_tier: Tier, parent: Annotation) -> list[Annotation]:
        """The annotations of ``child_tier`` that belong to ``parent`` (grouped for the whole tier at once)."""
        if child_tier.id not in self._pieces:
            aligned = self.constraints[child_tier.id].time_alignable

            def parent_at(a: Annotation) -> str | None:
                found = self.parent_of(child_tier, a)
                return found.id if found is not None else None

            self._pieces[child_tier.id] = group_pieces(child_tier.annotations, aligned, parent_at)
        return self._pieces[child_tier.id].get(parent.id, [])

    # ---- the rules -------------------------------------------------------------------------------------
    def check_annotation(self, tier: Tier, a: Annotation) -> None:
        """Raise DocumentError if ``a`` (on ``tier``) breaks a rule of its tier (see the module's docstring)."""
        constraint = self.constraints[tier.id]
        where = f"annotation {a.id!r} on tier {tier.id!r}"
        if constraint.time_alignable:
            self._check_times(tier, a, constraint, where)
        else:
            self._check_symbolic(tier, a, constraint, where)
        vocabulary = self._vocabularies[tier.id]
        if vocabulary is not None:
            vocabulary.check(tier, a)

    def _check_times(self, tier: Tier, a: Annotation, constraint: Constraint, where: str) -> None:
        s, e = a.start_ms, a.end_ms
        if constraint is Constraint.NONE and (s is None or e is None):
            raise DocumentError(f"{where}: a time-aligned annotation needs a start and an end")
        if s is not None and s < 0:
            raise DocumentError(f"{where}: start {s} ms is negative")
        if e is not None and e < 0:
            raise DocumentError(f"{where}: end {e} ms is negative")
        if s is not None and e is not None:
            if e <= s:
                raise DocumentError(f"{where}: end {e} ms is not after start {s} ms")
            other = self.spans(tier).overlapping(a)
            if other is not None:
                raise DocumentError(
                    f"{where}: {s}-{e} ms overlaps annotation {other.id!r} ({other.start_ms}-{other.end_ms} ms)"
                )
        if constraint in ALIGNED_CHILDREN and (s is not None or e is not None):
            parent = self.parent_of(tier, a)
            if parent is None:
                raise DocumentError(f"{where}: not within any annotation of parent tier {tier.parent!r}")
            ps, pe = parent.start_ms, parent.end_ms
            if s is not None and ps is not None and s < ps or e is not None and pe is not None and e > pe:
                raise DocumentError(
                    f"{where}: {s}-{e} ms goes outside its parent annotation {parent.id!r} ({ps}-{pe} ms)"
                )

    def _check_symbolic(self, tier: Tier, a: Annotation, constraint: Constraint, where: str) -> None:
        if a.parent is None:
            raise DocumentError(f"{where}: a {constraint.value} annotation needs a parent annotation")
        if self.parent_of(tier, a) is None:
            raise DocumentError(
                f"{where}: refers to parent annotation {a.parent!r}, which is not on parent tier {tier.parent!r}"
            )
        if a.previous is not None:
            previous = self.located.get(a.previous)
            if previous is None or previous[0].id != tier.id:
                raise DocumentError(f"{where}: follows annotation {a.previous!r}, which is not on the same tier")
        if constraint is Constraint.SYMBOLIC_ASSOCIATION:
            if tier.id not in self._associated:
                grouped: dict[str | None, list[Annotation]] = {}
                for x in tier.annotations:
                    grouped.setdefault(x.parent, []).append(x)
                self._associated[tier.id] = grouped
            other = next((x for x in self._associated[tier.id].get(a.parent, []) if x is not a), None)
            if other is not None:
                raise DocumentError(f"{where}: parent {a.parent!r} already has associated annotation {other.id!r}")

    def check_tiling(self, tier: Tier, parent: Annotation) -> None:
        """Raise DocumentError unless the pieces of ``parent`` (on ``tier``) on each Time_Subdivision child tier
        follow each other without gaps and fill it exactly (a parent without pieces is fine)."""
        ps, pe = parent.start_ms, parent.end_ms
        for child_tier in self.children.get(tier.id, []):
            if self.constraints[child_tier.id] is not Constraint.TIME_SUBDIVISION:
                continue
            pieces = self.pieces(child_tier, parent)
            if not pieces:
                continue
            where = (
                f"the pieces of annotation {parent.id!r} ({ps}-{pe} ms) on Time_Subdivision tier {child_tier.id!r} "
                f"must follow each other without gaps and fill it exactly"
            )
            first, last = pieces[0], pieces[-1]
            if first.start_ms is not None and first.start_ms != ps:
                raise DocumentError(f"{where}: the first piece {first.id!r} starts at {first.start_ms} ms")
            if last.end_ms is not None and last.end_ms != pe:
                raise DocumentError(f"{where}: the last piece {last.id!r} ends at {last.end_ms} ms")
            for x, y in pairwise(pieces):
                if x.end_ms is not None and y.start_ms is not None and x.end_ms != y.start_ms:
                    raise DocumentError(
                        f"{where}: {x.id!r} ends at {x.end_ms} ms but the next piece {y.id!r} starts at {y.start_ms} ms"
                    )

    def check_tiers(self, tiers: Iterable[Tier]) -> None:
        """Check every annotation of ``tiers`` and the tiling of the Time_Subdivision pieces on them and below them."""
        tiled: dict[str, Tier] = {}
        for t in tiers:
            for a in t.annotations:
                self.check_annotation(t, a)
            if self.constraints[t.id] is Constraint.TIME_SUBDIVISION and t.parent is not None:
                tiled.setdefault(t.parent, self.tiers[t.parent])
            if any(self.constraints[c.id] is Constraint.TIME_SUBDIVISION for c in self.children.get(t.id, [])):
                tiled.setdefault(t.id, t)
        for t in tiled.values():
            for a in t.annotations:
                self.check_tiling(t, a)


def check_document(doc: Document) -> None:
    """Raise DocumentError at the first rule ``doc`` breaks; O(n log n) in its number of annotations."""
    check_structure(doc)
    DocumentIndex(doc).check_tiers(doc.tiers)


def check_tiers(doc: Document, tier_ids: Iterable[str]) -> None:
    """Check ``doc``'s structure and the annotations of the tiers ``tier_ids`` (e.g. those a file adds to a project
    whose other tiers were checked when they were stored)."""
    check_structure(doc)
    index = DocumentIndex(doc)
    index.check_tiers(index.tiers[t] for t in tier_ids)
