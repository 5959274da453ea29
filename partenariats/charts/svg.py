"""Turning matplotlib's SVG into markup fit to be inlined in a page under a strict CSP.

The page's Content-Security-Policy allows no inline style: every ``style`` attribute
becomes presentation attributes (``fill``, ``stroke``, ``font-size``…), which the policy
does not govern, and the ``<style>`` element goes. The metadata goes too; ids nobody
refers to are dropped (matplotlib numbers them per figure, so two charts on one page would
repeat them); the root gets ``role="img"``, an ``aria-label``, a ``<title>`` and a
``<desc>``, and scales to the width of its container.
"""

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

# CSS properties matplotlib writes that have a presentation attribute of the same name.
PRESENTATION = frozenset(
    {
        "clip-path",
        "fill",
        "fill-opacity",
        "fill-rule",
        "font-family",
        "font-size",
        "font-style",
        "font-weight",
        "opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
        "dominant-baseline",
    }
)
# matplotlib's one stylesheet rule, ``*{stroke-linejoin: round; stroke-linecap: butt}``:
# both properties are inherited, so the root carries them.
ROOT_DEFAULTS = {"stroke-linejoin": "round", "stroke-linecap": "butt"}
REFERENCE = re.compile(r"url\(#([^)]+)\)")


def _tag(name: str) -> str:
    return f"{{{SVG_NS}}}{name}"


def _declarations(style: str) -> list[tuple[str, str]]:
    pairs = []
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name and value:
            pairs.append((name, value))
    return pairs


def _inline_styles(element: ET.Element) -> None:
    style = element.attrib.pop("style", None)
    if not style:
        return
    for name, value in _declarations(style):
        if name == "font":
            # matplotlib's shorthand: "[style] [weight] SIZE FAMILY…"
            match = re.match(r"(?:(italic|oblique)\s+)?(?:(bold|normal|\d{3})\s+)?([\d.]+px)\s+(.*)", value)
            if match:
                style_, weight, size, family = match.groups()
                element.set("font-size", size)
                element.set("font-family", family)
                if style_:
                    element.set("font-style", style_)
                if weight and weight != "normal":
                    element.set("font-weight", weight)
        elif name in PRESENTATION:
            element.set(name, value)


def _referenced_ids(root: ET.Element) -> set[str]:
    ids = set()
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in (f"{{{XLINK_NS}}}href", "href") and value.startswith("#"):
                ids.add(value[1:])
            else:
                ids.update(REFERENCE.findall(value))
    return ids


def _remove(root: ET.Element, tags: set[str]) -> None:
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in tags:
                parent.remove(child)


def accessible_svg(raw: str, *, title: str, description: str) -> str:
    """matplotlib's SVG document, made inline markup: no style, no metadata, labelled."""
    # Our own markup, just written by matplotlib: not untrusted input.
    root = ET.fromstring(raw.encode("utf-8"))  # noqa: S314
    _remove(root, {_tag("metadata"), _tag("style"), _tag("script")})
    for element in root.iter():
        _inline_styles(element)
    referenced = _referenced_ids(root)
    for element in root.iter():
        if element.get("id") and element.get("id") not in referenced:
            del element.attrib["id"]
    # Empty <defs> left by the removed stylesheet.
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == _tag("defs") and len(child) == 0:
                parent.remove(child)
    for name, value in ROOT_DEFAULTS.items():
        root.set(name, value)
    root.attrib.pop("height", None)
    root.set("width", "100%")
    root.set("role", "img")
    root.set("aria-label", title)
    root.set("focusable", "false")
    desc = ET.Element(_tag("desc"))
    desc.text = description
    root.insert(0, desc)
    title_element = ET.Element(_tag("title"))
    title_element.text = title
    root.insert(0, title_element)
    # ElementTree's prefixes are global: another library (WeasyPrint's PDF metadata) may have
    # taken the default prefix since this module registered it, which would print "<ns0:svg>".
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)
