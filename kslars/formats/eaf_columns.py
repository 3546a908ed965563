"""The EAF reader's fast path: time slots and a tier's annotations read as plain lists, in bulk.

The lists are read with XPath queries and counts. Only the plain form of an EAF file that ELAN and most
tools write is read, and None is returned for anything else: an unusual structure, an extra attribute, a
missing or broken reference, an annotation that ends before it starts. The reader then reads that element one
node at a time, which also reports the problem with its line. So the fast path never decides that a file is
invalid.

``time_slots(time_order)`` gives {slot id: milliseconds or None}. ``tier_columns(tier, aligned, slots)``
gives, for a time-aligned tier, (ids, values, starts, ends, start slots, end slots, CVE_REFs) and for a
referring tier (ids, values, parents, PREVIOUS_ANNOTATIONs, CVE_REFs); the last columns are None when no
annotation of the tier has that attribute.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

Slots = dict[str, int | None]


def _xpath(path: str) -> etree.XPath:
    return etree.XPath(path, smart_strings=False)  # plain str results, no back-references to the tree


def _queries(tag: str, other: str, attributes: tuple[str, ...]) -> dict[str, etree.XPath]:
    a, value = f".//{tag}", f".//{tag}/*[1]"
    # A tier has the plain form when counts show that every annotation is of the tier's own kind, is held by an
    # <ANNOTATION> child of the tier, has a first child <ANNOTATION_VALUE> with at most one text node, and that
    # nothing else is there: annotations, wrappers, all elements, the other kind, first children that are values,
    # value nodes, second value nodes, attributes.
    shape = (f"count({a})", "count(ANNOTATION)", "count(*)", "count(.//*)", f"count(.//{other})",
             f"count({value}/self::ANNOTATION_VALUE)", f"count({value}/node())", f"count({value}/node()[2])",
             f"count({a}/@*)")  # fmt: skip
    queries = {name: _xpath(f"{a}/@{name}") for name in attributes}
    queries["shape"] = _xpath("concat(" + ", ' ', ".join(shape) + ")")
    queries["texts"], queries["values"], queries["elements"] = _xpath(f"{value}/text()"), _xpath(value), _xpath(a)
    return queries


_ALIGNED = _queries(
    "ALIGNABLE_ANNOTATION", "REF_ANNOTATION", ("ANNOTATION_ID", "TIME_SLOT_REF1", "TIME_SLOT_REF2", "CVE_REF")
)
_REFERRING = _queries(
    "REF_ANNOTATION", "ALIGNABLE_ANNOTATION", ("ANNOTATION_ID", "ANNOTATION_REF", "PREVIOUS_ANNOTATION", "CVE_REF")
)
_SLOT_IDS, _SLOT_VALUES = _xpath("TIME_SLOT/@TIME_SLOT_ID"), _xpath("TIME_SLOT/@TIME_VALUE")


def time_slots(order: Any) -> Slots | None:
    """The time slots of a <TIME_ORDER> whose slots all have an id and a plain time, read with XPath; else None."""
    ids, values = _SLOT_IDS(order), _SLOT_VALUES(order)
    if (
        not len(order) == len(ids) == len(values)
        or not all(map(str.isdigit, values))
        or not all(map(str.isascii, values))
    ):
        return None
    slots: Slots = dict(zip(ids, map(int, values), strict=True))
    return slots if len(slots) == len(ids) else None


def tier_columns(tier: Any, aligned: bool, slots: Slots) -> tuple[Any, ...] | None:
    """The annotation columns of a <TIER> of the plain form, read with XPath; None for any other tier."""
    query = _ALIGNED if aligned else _REFERRING
    n, wrappers, children, elements, others, values_first, value_nodes, second_nodes, attributes = map(
        int, query["shape"](tier).split()
    )
    if wrappers != n or children != n or elements != 3 * n or others or values_first != n or second_nodes:
        return None
    ids = query["ANNOTATION_ID"](tier)
    entries = query["CVE_REF"](tier)
    if len(ids) != n or entries and len(entries) != n:  # CVE_REF on some annotations only: read one by one
        return None
    values = query["texts"](tier)
    if len(values) != value_nodes:  # a value holds something other than text
        return None
    if len(values) != n:  # some values are empty
        values = [v.text or "" for v in query["values"](tier)]
    attributes -= len(ids) + len(entries)
    if aligned:
        ref1, ref2 = query["TIME_SLOT_REF1"](tier), query["TIME_SLOT_REF2"](tier)
        if len(ref1) != n or len(ref2) != n or attributes != 2 * n:
            return None
        try:
            starts, ends = list(map(slots.__getitem__, ref1)), list(map(slots.__getitem__, ref2))
        except KeyError:
            return None
        if any(start is not None and end is not None and end < start for start, end in zip(starts, ends, strict=True)):
            return None
        return ids, values, starts, ends, ref1, ref2, entries or None
    parents, previous = query["ANNOTATION_REF"](tier), query["PREVIOUS_ANNOTATION"](tier)
    if len(parents) != n or attributes != n + len(previous):
        return None
    if previous and len(previous) != n:  # some annotations (at least the first of a Symbolic_Subdivision) have none
        previous = [x.get("PREVIOUS_ANNOTATION") for x in query["elements"](tier)]
    return ids, values, parents, previous or None, entries or None
