"""Character and line normalisation: one spelling for quotes, spaces, dashes and ligatures."""

from __future__ import annotations

import re
import unicodedata

# One translation table for every character-for-character repair (fast: str.translate).
_TABLE: dict[int, str | None] = {}
for _char in "’‘‚‛´`ʼʻ′":  # apostrophes: one straight "'" that every reader can search for
    _TABLE[ord(_char)] = "'"
for _char in "“”„‟″":  # English double quotes: French keeps « », which are left alone
    _TABLE[ord(_char)] = '"'
for _code in [0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000]:  # odd spaces
    _TABLE[_code] = " "
for _code in [0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]:  # soft hyphen, zero-width characters
    _TABLE[_code] = None
# PDFium marks a hyphen where the layout broke a line with U+FFFE: a cut word for
# ``reflow.join_cut_words`` to mend ("forma" U+FFFE "tion", "Deux" U+FFFE "Rives").
_TABLE[0xFFFE] = "-\n"
_TABLE[0xFFFF] = None
for _char in "\f\v\u2028\u2029\x85":  # page and paragraph separators inside a page: a line break
    _TABLE[ord(_char)] = "\n"
for _char in "—−―‒⸺":  # em dash, minus, bars: the en dash the contract uses (" – ")
    _TABLE[ord(_char)] = "–"
for _char in "‐‑":  # Unicode hyphens: the ASCII one, so that compounds compare equal
    _TABLE[ord(_char)] = "-"
_TABLE.update({ord("ﬁ"): "fi", ord("ﬂ"): "fl", ord("ﬀ"): "ff", ord("ﬃ"): "ffi", ord("ﬄ"): "ffl"})
_TABLE.update({ord("ﬅ"): "st", ord("ﬆ"): "st"})

# Control characters other than tab and newline (left by some PDF producers).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Word processors' symbol-font bullets land in the private use area: a bullet at a line start.
_PRIVATE_BULLET = re.compile(r"^([ \t]*)[\ue000-\uf8ff]", re.MULTILINE)
_PRIVATE = re.compile(r"[\ue000-\uf8ff]")

# A wide gap inside a line separates columns (a two-column signature block, a table row):
# it becomes one tab, which the readers can split on; narrower runs are OCR or justification.
_COLUMN_GAP = re.compile(r"[ \t]*\t[ \t]*| {5,}")
_SPACES = re.compile(r" {2,}")
# "Beignier , Recteur" → "Beignier, Recteur": no space before a comma or a final full stop.
_SPACE_BEFORE_COMMA = re.compile(r"(?<=[^\W\d_)»\"'*]) +(?=[,](?!\d))|(?<=[^\W\d_)»\"]) +(?=\.(?:[ \t]|$))")
# "l' école" → "l'école": an elided word never has a space after its apostrophe.
_ELISION_SPACE = re.compile(r"\b((?:[LlDdJjMmNnSsTtCc]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu|[Qq]uoiqu)') +(?=[^\W\d_])")

# A heading line: "Article 3", "ART. 3", "TITRE II", "Annexe 1", "1.3.2 Libellé", "IV. Durée",
# possibly behind Markdown marks ("### **Article 1 – Objet**").
HEADING_LINE = re.compile(
    r"""^[\s#>*_•]*(?:
        (?:article|art\.|titre|annexe|chapitre|partie|section|pr[ée]ambule)\b
      | \d{1,2}(?:\.\d{1,2})*\.?(?=\s|$|[-–)])
      | (?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})(?=\s*[-–.)]|\s)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# In a heading, a dash between the number and the label, with or without spaces, is " – ".
_HEADING_DASH = re.compile(r"[ \t]+[-–][ \t]+|(?<=[^\W_])–(?=[^\W_])|(?<=[^\W_])[ \t]+–(?=[^\W_])|(?<=[^\W_])–[ \t]+")


def characters(text: str) -> str:
    """The text with one spelling per character: NFC accents, straight apostrophes, plain spaces, « »."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_TABLE)
    text = _CONTROL.sub("", text)
    text = _PRIVATE_BULLET.sub(r"\1•", text)
    text = _PRIVATE.sub("", text)
    # "<< parcours Avenir >>" typed on a keyboard without guillemets
    return text.replace("<<", "«").replace(">>", "»")


def line(text: str) -> str:
    """One line tidied: trimmed, spaces collapsed, column gaps as one tab, heading dashes as " – "."""
    text = text.strip(" \t")
    if not text:
        return ""
    text = _COLUMN_GAP.sub("\t", text)
    text = _SPACES.sub(" ", text)
    text = _SPACE_BEFORE_COMMA.sub("", text)
    text = _ELISION_SPACE.sub(r"\1", text)
    return heading_dashes(text)


def heading_dashes(text: str) -> str:
    """A heading line with the dash between its number and its label as " – " ("Article 1 – Objet")."""
    return _HEADING_DASH.sub(" – ", text) if is_heading(text) else text


def is_heading(text: str) -> bool:
    """True when the line opens with a heading's keyword or number ("Article 3", "1.2", "TITRE II")."""
    return bool(HEADING_LINE.match(text))
