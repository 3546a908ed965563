"""Hardened XML parsing and fast escaping for the XML formats.

The parser never reads DTDs, never resolves entities, never touches the network and keeps libxml2's
limits on depth and text size; a document that declares a DOCTYPE is refused outright, since no EAF
file needs one and entity tricks (external files, "billion laughs") all start there.
"""

from __future__ import annotations

import re

from lxml import etree

from kslars.formats.errors import FormatError

_PARSER_OPTIONS = dict(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
    collect_ids=False,
)


def parse(data: bytes, name: str) -> etree._Element:
    """The root element of ``data``; FormatError (with line and column) for anything that is not safe, well-formed XML."""
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        line, column = e.position if e.position else (None, None)
        message = e.msg or str(e)
        message = re.sub(r",? line \d+, column \d+$", "", message)
        raise FormatError(f"{name} line {line}, column {column}: the file is not well-formed XML ({message})") from None
    except ValueError as e:  # e.g. an encoding declaration on a str, or no content at all
        raise FormatError(f"{name}: the file is not XML ({e})") from None
    if root is None:
        raise FormatError(f"{name}: the file is empty")
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        raise FormatError(
            f"{name}: the file declares a DOCTYPE (DTD or entities); ELAN files never do, and K-SLARS refuses them for safety"
        )
    return root


_ATTR_SPECIAL = re.compile(r'[&<>"\t\n\r]')
_TEXT_SPECIAL = re.compile(r"[&<>\r]")
_ATTR_TABLE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
)
_TEXT_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
# an NCName, the form of XML ids (approximated to the BMP, which is all EAF ids use)
_XML_NAME = re.compile(r"^[A-Za-z_\u00C0-\uFFFD][\w.\-\u00B7\u00C0-\uFFFD]*$")
# characters XML 1.0 cannot hold at all, even escaped
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def attr(value: str) -> str:
    """``value`` escaped for a double-quoted attribute (newlines and tabs survive re-reading)."""
    return value.translate(_ATTR_TABLE) if _ATTR_SPECIAL.search(value) else value


def text(value: str) -> str:
    """``value`` escaped for element content."""
    return value.translate(_TEXT_TABLE) if _TEXT_SPECIAL.search(value) else value


def invalid_character(value: str) -> str | None:
    """The first character XML 1.0 cannot hold, or None."""
    m = _INVALID.search(value)
    return m.group() if m else None


def is_xml_name(value: str) -> bool:
    """Whether ``value`` can be an XML id (an NCName: a letter or _ first, no spaces or colons)."""
    return _XML_NAME.match(value) is not None
