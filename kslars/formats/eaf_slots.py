"""Time slots for writing EAF: keeping the slots a document was read with, sharing them where ELAN expects.

A boundary keeps its ``start_slot``/``end_slot`` id when every boundary naming that id still has the
same time; a boundary whose time was edited away from its slot-mates gets a slot of its own. New
boundaries on a Time_Subdivision tier share the slot of the parent's boundary or of the previous piece
at the same time, as ELAN requires. The TIME_ORDER lists aligned slots by time and puts each unaligned
slot right after the boundary it follows on its tier, so ELAN can order it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kslars.document import Annotation, Constraint, Document
from kslars.formats.timing import tiers_parents_first
from kslars.formats.xmlsafe import is_xml_name

_NUMBER = re.compile(r"(\d+)$")


@dataclass
class SlotTable:
    """Slot id -> time for every boundary, and each annotation's (start, end) slot ids."""

    values: dict[str, int | None] = field(default_factory=dict)
    refs: dict[str, tuple[str, str]] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)  # every XML id in use, so fresh slot ids never collide
    unusable: set[str] = field(default_factory=set)  # slot ids that are not XML names or belong to something else
    counter: int = 0

    def fresh(self, value: int | None) -> str:
        """A new slot id no one uses yet."""
        while True:
            self.counter += 1
            slot = f"ts{self.counter}"
            if slot not in self.taken:
                self.taken.add(slot)
                self.values[slot] = value
                return slot

    def claim(self, slot: str | None, value: int | None) -> str:
        """``slot`` if it is still unassigned or already holds ``value``, else a fresh slot."""
        if slot is not None and slot not in self.unusable:
            if slot not in self.values:
                self.values[slot] = value
                return slot
            if self.values[slot] == value:
                return slot
        return self.fresh(value)

    def ordered(self, doc: Document, constraints: dict[str, Constraint]) -> list[tuple[str, int | None]]:
        """The slots in TIME_ORDER order: aligned ones by (time, id number), each unaligned one right after
        the slot before it on its tier (for files written by ELAN this is the original order)."""

        def number(slot: str) -> float:
            m = _NUMBER.search(slot)
            return int(m.group(1)) if m else float("inf")

        keys: dict[str, tuple[int, float, int]] = {
            slot: (value, number(slot), 0) for slot, value in self.values.items() if value is not None
        }
        for tier in doc.tiers:
            if not constraints[tier.id].time_alignable:
                continue
            previous = (0, -1.0, 0)
            for a in tier.annotations:
                for slot in self.refs[a.id]:
                    if slot not in keys:
                        keys[slot] = (previous[0], previous[1], previous[2] + 1)
                    previous = keys[slot]
        return sorted(self.values.items(), key=lambda item: keys[item[0]])


def assign_slots(doc: Document, constraints: dict[str, Constraint], reserved: set[str]) -> SlotTable:
    """Slot ids for every boundary of the time-aligned annotations in ``doc``; ``reserved``: other XML ids in use."""
    table = SlotTable()
    named = {s for _, a in doc.annotations() for s in (a.start_slot, a.end_slot) if s is not None}
    table.unusable = (named & reserved) | {s for s in named if not is_xml_name(s)}
    table.taken = reserved | named
    table.counter = max(
        (int(m.group(1)) for s in table.taken if s.startswith("ts") and (m := _NUMBER.search(s))), default=0
    )
    by_time: dict[str, dict[int, str]] = {}
    for tier in tiers_parents_first(doc):
        constraint = constraints[tier.id]
        if not constraint.time_alignable:
            continue
        parent_slots = by_time.get(tier.parent, {}) if tier.parent is not None else {}
        subdivision = constraint is Constraint.TIME_SUBDIVISION
        mine: dict[int, str] = {}
        previous: Annotation | None = None
        for a in tier.annotations:
            start = _slot_for(table, a.start_slot, a.start_ms, subdivision, parent_slots, previous)
            end = (
                table.claim(a.end_slot, a.end_ms)
                if a.end_slot
                else _new_end(table, a.end_ms, subdivision, parent_slots)
            )
            table.refs[a.id] = (start, end)
            for slot, value in ((start, a.start_ms), (end, a.end_ms)):
                if value is not None:
                    mine.setdefault(value, slot)
            previous = a
        by_time[tier.id] = mine
    return table


def _slot_for(
    table: SlotTable,
    slot: str | None,
    value: int | None,
    subdivision: bool,
    parent_slots: dict[int, str],
    previous: Annotation | None,
) -> str:
    if slot is not None:
        return table.claim(slot, value)
    if subdivision:
        if previous is not None and previous.end_ms == value:
            prev_end = table.refs[previous.id][1]
            if table.values[prev_end] == value:
                return prev_end
        if value is not None and value in parent_slots:
            return parent_slots[value]
    return table.fresh(value)


def _new_end(table: SlotTable, value: int | None, subdivision: bool, parent_slots: dict[int, str]) -> str:
    if subdivision and value is not None and value in parent_slots:
        return parent_slots[value]
    return table.fresh(value)
