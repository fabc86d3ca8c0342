"""Reading an export file as XML, refusing what a hostile file could do to the reader.

An export comes from another machine, so it is untrusted: a document type declaration (and with
it every entity, internal or external) is refused before ElementTree sees the text. That closes
XXE (external entities reading local files) and entity expansion ("billion laughs"). Exports from
Microsoft's host and from MIM never carry a DTD.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ecmactl.errors import UsageError


class _Refused(Exception):
    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def read_xml(path: Path) -> tuple[ET.Element, int]:
    """The root element and the line it starts on; UsageError naming the file and the line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(
            f"{path} does not exist", hint="Give the path of the exported XML file."
        ) from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a directory, not an export file") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    root_line = _screen(data, path)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:  # the screen parsed it already; kept for a clear message
        line = exc.position[0]
        raise UsageError(f"{path}, line {line}: not well-formed XML ({exc})") from None
    return root, root_line


def _screen(data: bytes, path: Path) -> int:
    """Parse once with expat, refusing any DTD or entity; returns the root element's line."""
    parser = expat.ParserCreate()
    root_line: list[int] = []

    def refuse(what: str) -> Any:
        def handler(*_: Any) -> None:
            raise _Refused(what)

        return handler

    def start(*_: Any) -> None:
        if not root_line:
            root_line.append(parser.CurrentLineNumber)

    parser.StartDoctypeDeclHandler = refuse("a document type declaration (DTD)")
    parser.EntityDeclHandler = refuse("an entity declaration")
    parser.ExternalEntityRefHandler = refuse("an external entity")
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        raise UsageError(
            f"{path}, line {parser.CurrentLineNumber}: the file contains {exc.what}, "
            "which an exported configuration never has; refused for safety",
            hint="Export the configuration again from Microsoft's wizard or MIM, "
            "and give that file unchanged.",
        ) from None
    except expat.ExpatError as exc:
        raise UsageError(
            f"{path}, line {exc.lineno}: not well-formed XML "
            f"({expat.ErrorString(exc.code)}, column {exc.offset + 1})",
            hint="Export the configuration again, or correct the file at that line.",
        ) from None
    if not root_line:
        raise UsageError(f"{path}: no XML element in the file")
    return root_line[0]


def local(tag: str) -> str:
    """An element's name without its namespace, lower-cased (exports vary in both)."""
    return tag.rsplit("}", 1)[-1].lower()


def child(element: ET.Element, *names: str) -> ET.Element | None:
    """The first child named like any of ``names`` (case-insensitive, namespace ignored)."""
    wanted = {n.lower() for n in names}
    return next((c for c in element if local(c.tag) in wanted), None)


def children(element: ET.Element | None, name: str) -> list[ET.Element]:
    if element is None:
        return []
    return [c for c in element if local(c.tag) == name.lower()]


def text(element: ET.Element | None, *path: str) -> str | None:
    """The stripped text at ``path`` below ``element`` (None when absent or empty)."""
    for name in path:
        if element is None:
            return None
        element = child(element, name)
    if element is None or element.text is None:
        return None
    value = element.text.strip()
    return value or None


def attribute(element: ET.Element, name: str) -> str | None:
    """An attribute by local name, case-insensitive (``ms-dsml:isAnchor`` as ``isanchor``)."""
    for key, value in element.attrib.items():
        if local(key) == name.lower():
            return value
    return None


def field(element: ET.Element, name: str) -> str | None:
    """A value written either as a child element or as an attribute."""
    value = text(element, name)
    return value if value is not None else attribute(element, name)


def truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes")
