"""A HamNoSys parser: a sign's Unicode string -> its parts per hand (handshape, orientation, location, contact,
movement, repetition), its symmetry operator and the hands' initial position.

A HamNoSys sign is written part after part: an optional symmetry operator, the handshape, the orientation
(extended-finger direction, then palm), the location (with contacts), then the action (movements; a
handshape or orientation written after them is a change). ``( A + B )`` gives the dominant hand A and the
non-dominant hand B of a part; a bracket group without ``+`` in the action is a simultaneous movement.
``[ contact ... ]`` groups a contact with the fingers and places it refers to. Modifiers (thumb, bending,
size, ...) attach to the segment before them. The parts are segmented as lingpy/pysign does, so that its
expected parses (examples/test-signs.tsv) can check this parser; :class:`HamNoSysError` says what is wrong
and where.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kslars.dictionary.symbols import KIND_OF, NAME_OF

PHASES = ("start", "symmetry", "handshape", "orientation", "location", "movement")
# Which part a two-hand group ( A + B ) describes, by the kind of its first symbol.
_GROUP_PART = {
    "handshape": "handshape", "extfinger": "orientation", "palm": "orientation", "location": "location",
    "locationmod": "location", "finger": "location", "fingerpart": "location", "contact": "location",
    "brushing": "location", "seqbegin": "location",
}  # fmt: skip
_OPENERS = {"parbegin": "parend", "seqbegin": "seqend", "fusionbegin": "fusionend", "altbegin": "altend"}
_CLOSERS = {close: open_ for open_, close in _OPENERS.items()}


class HamNoSysError(ValueError):
    """A HamNoSys string that cannot be parsed: what is wrong and at which position (0-based)."""

    def __init__(self, text: str, position: int | None, message: str) -> None:
        where = f"position {position}: " if position is not None else ""
        super().__init__(f"{where}{message}")
        self.text, self.position, self.message = text, position, message


@dataclass
class HandParts:
    """One hand's segments, each a HamNoSys string: the first handshape then its changes, and so on."""

    shapes: list[str] = field(default_factory=list)
    orientations: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    movements: list[str] = field(default_factory=list)
    repetitions: list[str] = field(default_factory=list)
    simultaneous: bool = False  # its movements are written as one simultaneous group


@dataclass
class ParsedSign:
    """A parsed HamNoSys sign; ``groups`` lists the two-hand and contact brackets by the part they structure."""

    text: str
    symmetry: str = ""
    initial_position: str = ""
    dominant: HandParts = field(default_factory=HandParts)
    nondominant: HandParts = field(default_factory=HandParts)
    groups: dict[str, list[str]] = field(default_factory=dict)
    rest: str = ""  # spaces and sentence punctuation between the parts
    compound: list[ParsedSign] = field(default_factory=list)  # the signs after this one in a compound A + B

    @property
    def nondominant_shape(self) -> str:
        """The non-dominant hand's first handshape: its own, the dominant's under symmetry, else ""."""
        if self.nondominant.shapes:
            return self.nondominant.shapes[0]
        return self.dominant.shapes[0] if self.symmetry else ""


@dataclass
class _Segment:
    """The segment that modifiers attach to: which hand, which list and which entry."""

    parts: HandParts
    field: str
    index: int

    def text(self) -> str:
        return getattr(self.parts, self.field)[self.index]

    def append(self, char: str) -> None:
        getattr(self.parts, self.field)[self.index] += char


def tokenize(text: str) -> list[str]:
    """The kinds of the symbols of ``text``; HamNoSysError at the first character that is not HamNoSys."""
    kinds = []
    for position, char in enumerate(text):
        kind = KIND_OF.get(char)
        if kind is None:
            raise HamNoSysError(text, position, f"{char!r} (U+{ord(char):04X}) is not a HamNoSys symbol")
        kinds.append(kind)
    return kinds


def match_brackets(text: str, kinds: list[str]) -> dict[int, int]:
    """Position of each opening bracket -> position of its closing one; HamNoSysError when they do not pair."""
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for position, kind in enumerate(kinds):
        if kind in _OPENERS:
            stack.append(position)
        elif kind in _CLOSERS:
            if not stack:
                raise HamNoSysError(text, position, f"{NAME_OF[text[position]]} closes no bracket")
            opened = stack.pop()
            if kinds[opened] != _CLOSERS[kind]:
                raise HamNoSysError(
                    text, position, f"{NAME_OF[text[position]]} closes {NAME_OF[text[opened]]} of position {opened}"
                )
            pairs[opened] = position
    if stack:
        raise HamNoSysError(text, stack[-1], f"{NAME_OF[text[stack[-1]]]} is never closed")
    return pairs


def _plus_inside(kinds: list[str], start: int, end: int, pairs: dict[int, int]) -> bool:
    """Whether a ``+`` stands directly inside the bracket group start..end (not in a nested group)."""
    position = start + 1
    while position < end:
        if kinds[position] == "plus":
            return True
        position = pairs.get(position, position) + 1
    return False


class _Parser:
    """One pass over the symbols, keeping which part and hand the next symbol belongs to."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.kinds = tokenize(text)
        self.pairs = match_brackets(text, self.kinds)
        self.sign = ParsedSign(text)
        self.phase = "start"
        self.hand = self.sign.dominant
        self.segment: _Segment | None = None
        self.joinable = False  # the previous symbol lets the next base symbol extend the segment
        self.between = False  # after hambetween: the next base symbol is the other end of an intermediate form
        self.brush: _Segment | None = None  # a brushing contact waiting for its contact symbol
        self.contact_group_end: int | None = None  # inside [ contact ... ]: where the group ends
        self.initial_position = False  # after ( location + location ): the hands' relation to each other
        self.two_hand_groups: dict[int, str] = {}  # open ( A + B ) groups: closing position -> part

    def error(self, position: int, message: str) -> HamNoSysError:
        return HamNoSysError(self.text, position, f"{NAME_OF[self.text[position]]} {message}")

    def new_segment(self, name: str, char: str) -> None:
        values = getattr(self.hand, name)
        values.append(char)
        self.segment = _Segment(self.hand, name, len(values) - 1)

    def continues(self, name: str, joinable: bool) -> bool:
        """Whether a base symbol for ``name`` extends the current segment instead of starting one."""
        segment = self.segment
        same_part = segment is not None and segment.field == name and segment.parts is self.hand
        return (self.between or joinable) and same_part

    def extend_or_new(self, name: str, char: str, joinable: bool) -> None:
        if self.continues(name, joinable):
            self.segment.append(char)  # type: ignore[union-attr]
        else:
            self.new_segment(name, char)
        self.between = False

    def attach(self, position: int, char: str, *fields: str) -> None:
        """Attach a modifier to the current segment (of one of ``fields`` when given)."""
        if self.segment is None or (fields and self.segment.field not in fields):
            raise self.error(
                position, f"modifies a {' or '.join(f[:-1] for f in fields) or 'symbol'}, but none comes before it"
            )
        self.segment.append(char)

    def advance(self, phase: str) -> None:
        if PHASES.index(phase) > PHASES.index(self.phase) and self.phase != "movement":
            self.phase = phase

    def require_handshape(self, position: int) -> None:
        if not self.sign.dominant.shapes:
            raise self.error(position, "comes before any handshape (a sign starts with its handshape)")

    def parse(self) -> ParsedSign:
        position = 0
        while position < len(self.text):
            position = self.step(position)
        if not self.sign.dominant.shapes:
            raise HamNoSysError(self.text, None, "no handshape symbol: a sign starts with its handshape")
        return self.sign

    def step(self, position: int) -> int:
        """Handle the symbol at ``position``; the position of the next symbol to handle."""
        char, kind = self.text[position], self.kinds[position]
        handler = getattr(self, f"on_{kind}", None)
        if handler is None:  # punctuation, mime: between the parts
            self.sign.rest += char
            self.joinable = False
            return position + 1
        skip_to = handler(position, char)
        if self.contact_group_end is not None and position >= self.contact_group_end:
            self.contact_group_end = None
        return position + 1 if skip_to is None else skip_to

    # --- symbols, one method per kind -------------------------------------------------------------------------

    def on_space(self, position: int, char: str) -> None:
        self.sign.rest += char
        self.joinable = False
        self.initial_position = False

    def on_symmetry(self, position: int, char: str) -> None:
        self.sign.symmetry += char
        self.advance("symmetry")

    def on_handshape(self, position: int, char: str) -> None:
        self.extend_or_new("shapes", char, joinable=False)
        self.advance("handshape")
        self.joinable = False

    def on_between(self, position: int, char: str) -> None:
        self.attach(position, char)
        self.between = True

    def on_thumb(self, position: int, char: str) -> None:
        self.attach(position, char, "shapes")

    def on_bending(self, position: int, char: str) -> None:
        if self.phase == "symmetry":  # a modifier of the symmetry operator
            self.sign.symmetry += char
        else:
            self.attach(position, char)

    def on_finger(self, position: int, char: str) -> None:
        if self.contact_group_end is not None or (self.segment and self.segment.field in ("shapes", "contacts")):
            self.attach(position, char)
        else:
            self.on_location(position, char)

    on_fingerpart = on_finger

    def on_extfinger(self, position: int, char: str) -> None:
        self.require_handshape(position)
        self.extend_or_new("orientations", char, joinable=False)
        self.advance("orientation")
        self.joinable = True

    def on_palm(self, position: int, char: str) -> None:
        self.require_handshape(position)
        has_palm = self.segment is not None and any(KIND_OF[c] == "palm" for c in self.segment.text())
        self.extend_or_new("orientations", char, joinable=self.joinable and not has_palm)
        self.advance("orientation")
        self.joinable = False

    def on_orientationmod(self, position: int, char: str) -> None:
        self.attach(position, char, "orientations")

    def on_location(self, position: int, char: str) -> None:
        self.require_handshape(position)
        if self.initial_position:
            self.sign.initial_position += char
        elif self.contact_group_end is not None and self.brush is None:
            self.attach(position, char, "contacts")
        else:
            self.extend_or_new("locations", char, self.joinable)
            self.advance("location")
        self.joinable = True

    on_locationmod = on_location

    def on_contact(self, position: int, char: str) -> None:
        self.require_handshape(position)
        if self.initial_position:
            self.sign.initial_position += char
        elif self.brush is not None:
            self.brush.append(char)
            self.segment, self.brush = self.brush, None
        elif self.contact_group_end is not None and self.segment is not None and self.segment.field == "contacts":
            self.segment.append(char)
        else:
            self.new_segment("contacts", char)
        self.advance("location")
        self.joinable = False

    def on_brushing(self, position: int, char: str) -> None:
        self.require_handshape(position)
        self.new_segment("contacts", char)
        self.brush = self.segment
        self.joinable = False

    def on_movement(self, position: int, char: str) -> None:
        self.require_handshape(position)
        self.phase = "movement"
        self.initial_position = False
        self.extend_or_new("movements", char, self.joinable)
        self.joinable = False

    def on_movementmod(self, position: int, char: str) -> None:
        if self.phase == "symmetry":  # e.g. hamlargemod after the symmetry operator
            self.sign.symmetry += char
        elif self.hand.movements:
            self.hand.movements[-1] += char
        else:
            self.attach(position, char)

    def on_repetition(self, position: int, char: str) -> None:
        self.require_handshape(position)
        if self.kinds[position - 1] == "repetition" and self.hand.repetitions:
            self.hand.repetitions[-1] += char
        else:
            self.hand.repetitions.append(char)

    def on_alternation(self, position: int, char: str) -> None:
        if self.phase in ("start", "symmetry"):
            self.sign.symmetry += char
            self.advance("symmetry")
        else:
            self.attach(position, char)

    def on_etc(self, position: int, char: str) -> None:
        self.attach(position, char)

    def on_seqbegin(self, position: int, char: str) -> None:
        following = self.kinds[position + 1] if position + 1 < len(self.kinds) else ""
        if following in ("contact", "brushing") and self.contact_group_end is None:
            self.contact_group_end = self.pairs[position]
        if self.contact_group_end is not None:
            self.sign.groups.setdefault("contact", []).append(char)
        self.joinable = False

    def on_seqend(self, position: int, char: str) -> None:
        if self.contact_group_end is not None:
            self.sign.groups.setdefault("contact", []).append(char)
        self.joinable = False

    def on_parbegin(self, position: int, char: str) -> None:
        end = self.pairs[position]
        if _plus_inside(self.kinds, position, end, self.pairs):
            first = self.kinds[position + 1]
            part = "movement" if self.phase == "movement" else _GROUP_PART.get(first, "movement")
            self.two_hand_groups[end] = part
            self.sign.groups.setdefault(part, []).append(char)
            self.hand = self.sign.dominant
            self.advance(part)
        elif self.phase == "movement" or self.kinds[position + 1] in ("movement", "parbegin"):
            self.hand.simultaneous = True
        self.joinable = False

    def on_plus(self, position: int, char: str) -> int | None:
        if not any(start < position < end for start, end in self.pairs.items()):  # a compound: sign + sign
            try:
                self.sign.compound.append(parse_hamnosys(self.text[position + 1 :]))
            except HamNoSysError as error:
                inner = None if error.position is None else error.position + position + 1
                raise HamNoSysError(self.text, inner, f"in the compound's next sign: {error.message}") from error
            return len(self.text)
        if not any(end > position for end in self.two_hand_groups):
            raise self.error(position, "stands inside a bracket group that is not ( dominant + non-dominant )")
        part = self.two_hand_groups[min(end for end in self.two_hand_groups if end > position)]
        self.sign.groups.setdefault(part, []).append(char)
        self.hand = self.sign.nondominant
        self.joinable = False
        return None

    def on_parend(self, position: int, char: str) -> None:
        part = self.two_hand_groups.pop(position, None)
        if part is not None:
            self.sign.groups.setdefault(part, []).append(char)
            self.hand = self.sign.dominant
            self.initial_position = part == "location" and self.phase == "location"
        self.joinable = False

    def on_fusionbegin(self, position: int, char: str) -> None:
        self.require_handshape(position)
        self.phase = "movement"
        self.new_segment("movements", char)
        self.joinable = True

    def on_fusionend(self, position: int, char: str) -> None:
        self.hand.movements[-1] += char
        self.joinable = False

    def on_altbegin(self, position: int, char: str) -> None:
        """``{ A | B }``: alternatives; the first one is read, the others skipped."""

    def on_altor(self, position: int, char: str) -> int:
        depth, scan = 0, position
        while scan < len(self.kinds):  # skip to the altend of this group
            if self.kinds[scan] == "altbegin":
                depth += 1
            elif self.kinds[scan] == "altend":
                if depth == 0:
                    return scan + 1
                depth -= 1
            scan += 1
        return scan

    def on_altend(self, position: int, char: str) -> None:
        """The end of the first alternative (reached only when it had no ``|``)."""


def parse_hamnosys(text: str) -> ParsedSign:
    """Parse one HamNoSys sign (Unicode string) into its parts; HamNoSysError says what is wrong and where."""
    if not text.strip():
        raise HamNoSysError(text, None, "empty HamNoSys string")
    return _Parser(text).parse()
