"""The people to contact: a contacts annex's lines, or a correspondent named in the articles.

A contact is a person the text names (first and last name) with what the text gives next to
it: role, organisation, email, phone; a line with a role and no name gives no contact.
"""

from __future__ import annotations

import re

from partenariats.reader.fields.clauses import fold, plain, structure_of
from partenariats.reader.fields.commitments import PartyMatcher
from partenariats.reader.model import Document, Findings

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\d\w])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|0)([1-9])((?:[\s.\-]?\d{2}){4})(?!\d)")
_FAX = re.compile(r"(?i)\b(?:fax|t[ée]l[ée]copie)\b\s*[.:]?\s*$")
_UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ"
_LOW = "a-zàâäçéèêëîïôöùûüÿœæß"
_CIVILITY = r"(?:M\.|Mme|Mlle|Mr|Madame|Monsieur|Dr)"
_GIVEN = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
_GAP = r"[ \u00a0]{1,2}"  # the words of a name: not across a table's tab
_FAMILY = rf"(?:(?:d['’]|de |du |de la |le |van |von )?[{_UP}][{_UP}{_LOW}'’\-]+)"
PERSON = re.compile(
    rf"(?:(?P<civility>{_CIVILITY})\s+)?(?P<name>{_GIVEN}(?:{_GAP}{_FAMILY}){{1,2}})"
    rf"|(?P<civility2>{_CIVILITY})\s+(?P<name2>{_FAMILY}(?:{_GAP}{_FAMILY})?)"
)
# words that look like names in a heading or an address but are not people
_NOT_NAMES = re.compile(
    r"(?i)\b(?:rue|avenue|boulevard|place|chemin|cedex|route|quai|allée|impasse|académie|rectorat|chambre|région"
    r"|contacts?|adresse|coordonn|direction|délégation|service|mission|convention|annexe|université|lycée|collège"
    r"|entreprise|france|marseille|paris|lyon|toulouse|école|education|éducation)\b"
)
_ANNEX_LABEL = re.compile(r"coordonn|contacts?|correspondants?|interlocuteurs|r[ée]f[ée]rents|annuaire")
_ORG_LINE = re.compile(
    r"(?i)^\s*(?:contacts?|coordonn[ée]es|correspondants?|interlocuteurs?|pour)\s*(?:[àa]u?x?|de|du|des|pour)?\s*"
    r"(?:la\s+|le\s+|l['’]\s*|les\s+)?(?P<org>.{3,160}?)\s*:?\s*$"
)
_ROLE_PREFIX = re.compile(r"^\s*(?P<role>[^:\n]{2,80}?)\s*:\s*")
_BODY_CORRESPONDENT = re.compile(
    r"(?i)\b(?:le|la|les)\s+(?:correspondante?s?|r[ée]f[ée]rente?s?|interlocut(?:eur|rice)s?|contacts?|coordinat(?:eur|rice))\b"
    r"(?P<about>[^.\n]{0,120}?)\s+(?:est|sera|seront|sont)\s+(?:assur[ée]e?s?\s+par\s+)?"
)
_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"(?<![A-Z])(?<!Mme)(?<!Mlle)\.(?=\s|$)|\n\s*\n")  # not the dot of "M." or "Mme."


def normalise_phone(match: re.Match) -> str:
    """A French number as "04 42 91 70 00"."""
    digits = "0" + match.group(1) + re.sub(r"\D", "", match.group(2))
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def _phones(line: str) -> list[str]:
    phones = []
    for match in PHONE.finditer(line):
        if _FAX.search(line[max(0, match.start() - 12) : match.start()]):
            continue  # a fax number is not a phone to call
        phones.append(normalise_phone(match))
    return phones


_ADDRESS = re.compile(
    r"(?i)\b\d{5}\b|\b(?:rue|avenue|boulevard|bd|place|chemin|cedex|route|quai|all[ée]e|impasse|bp|cs)\b\.?\s"
)


def _person(line: str) -> re.Match | None:
    """The first person's name on a line (an address line has none)."""
    if _ADDRESS.search(line.split("@", 1)[0]):
        return None
    for match in PERSON.finditer(line):
        name = match.group("name") or match.group("name2")
        if not _NOT_NAMES.search(name) and not EMAIL.search(line[match.start() : match.end() + 1]):
            return match
    return None


def _annex_regions(document: Document) -> list[tuple[int, int]]:
    text = document.text.text
    regions = []
    for heading in structure_of(document).walk():
        named = heading.kind != "preamble" and heading.label and _ANNEX_LABEL.search(fold(heading.label))
        if named and (heading.kind == "annex" or heading.body_end - heading.end < 4000):
            regions.append((heading.end, heading.body_end))
    if not regions:
        # an annex heading the structure missed: "ANNEXE 1 – CONTACTS" on a line of its own
        for match in re.finditer(r"(?im)^[ \t#*]*annexe\b[^\n]{0,12}(?:coordonn|contact|correspondant)[^\n]*$", text):
            following = re.search(r"(?im)^[ \t#*]*annexe\b", text[match.end() :])
            regions.append((match.end(), match.end() + following.start() if following else len(text)))
    return regions


def _organisation(line: str, matcher: PartyMatcher) -> tuple[str, int | None] | None:
    """The organisation a header line ("CONTACTS À L'ACADÉMIE DE X", "Pour la CCI") introduces."""
    stripped = plain(line)
    if EMAIL.search(stripped) or PHONE.search(stripped) or len(stripped) > 170:
        return None
    match = _ORG_LINE.match(stripped)
    if not match:
        return None
    org = match.group("org").strip(" :")
    return org, _party_of(org, matcher)


def _party_of(words: str, matcher: PartyMatcher) -> int | None:
    folded = fold(words)
    found = {index for m in matcher.mentions(folded, 0, len(folded)) for index in m.parties}
    return next(iter(found)) if len(found) == 1 else None


def _party_by_email(email: str | None, matcher: PartyMatcher, parties: list[dict]) -> int | None:
    if not email:
        return None
    domain = fold(email.split("@", 1)[1])
    stem = domain.split(".")[0]
    if stem.startswith(("ac-", "region-academique")):
        education = [i for i, p in enumerate(parties) if p.get("kind") == "education"]
        return education[0] if len(education) == 1 else None
    for index, party in enumerate(parties):
        for key in (party.get("acronym"), *re.findall(r"\(([^)]+)\)", str(party.get("name") or ""))):
            if key and re.sub(r"\W", "", fold(str(key))) and re.sub(r"\W", "", fold(str(key))) in stem:
                return index
    return None


def _contact(block: str, org: tuple[str, int | None] | None, matcher: PartyMatcher, parties: list[dict]) -> dict | None:
    """One person from a block of lines (a name line and the lines that go with it)."""
    first_line = block.split("\n", 1)[0]
    person = _person(first_line)
    if person is None:
        return None
    prefix = _ROLE_PREFIX.match(first_line[: person.start()])
    if not (prefix or EMAIL.search(block) or PHONE.search(block)):
        return None  # capitalised words with nothing of a contact around them ("Nom Prénom" headers)
    name = person.group("name") or person.group("name2")
    civility = person.group("civility") or person.group("civility2")
    role = None
    if prefix and not EMAIL.search(prefix.group("role")):
        role = plain(prefix.group("role"))
    rest = first_line[person.end() :]
    extra = re.sub(EMAIL, " ", rest)
    extra = re.sub(PHONE, " ", extra)
    extra = re.sub(r"(?i)\b(?:t[ée]l(?:[ée]phone)?|fax|mail|courriel|e-mail|port(?:able)?)\b\s*[.:]?", " ", extra)
    extra = plain(extra).strip(" ,;:–-()")
    extra = re.sub(r"^\(|\)$", "", extra).strip(" ,;:–-")
    if extra and not role:
        role = extra
    elif extra and role:
        role = f"{role} ({extra})"
    emails = EMAIL.findall(block)
    phones = _phones(block)
    email = emails[0] if emails else None
    party = org[1] if org else None
    if party is None:
        party = _party_by_email(email, matcher, parties)
    return {
        "name": plain(f"{civility} {name}" if civility and civility not in ("M.", "Mme", "Mlle", "Mr") else name),
        "role": role or None,
        "organisation": org[0] if org else None,
        "party": party,
        "email": email,
        "phone": phones[0] if phones else None,
    }


def _from_annex(document: Document, a: int, b: int, matcher: PartyMatcher, parties: list[dict]) -> list:
    text = document.text.text
    results = []
    org: tuple[str, int | None] | None = None
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text, a, b) if text[m.start() : m.end()].strip()]
    index = 0
    while index < len(lines):
        start, end = lines[index]
        line = text[start:end]
        cells = [c for c in re.split(r"\t|\s{3,}|\|", line) if c.strip()]
        header = _organisation(line, matcher)
        if header and not _person(line.split(":", 1)[-1] if ":" in line else ""):
            org = header
            index += 1
            continue
        if len(cells) >= 3 and _person(cells[0]) and (EMAIL.search(line) or PHONE.search(line)):
            # a table row: name, role, (organisation), email, phone
            contact = _contact(line, org, matcher, parties)
            if contact:
                contact["role"] = plain(cells[1]) if not EMAIL.search(cells[1]) and not PHONE.search(cells[1]) else None
                if len(cells) >= 4 and not (EMAIL.search(cells[2]) or PHONE.search(cells[2])):
                    contact["organisation"] = plain(cells[2])
                    contact["party"] = _party_of(cells[2], matcher)
                results.append((contact, start, end))
            index += 1
            continue
        block_end = end
        following = index + 1
        # the lines right below a name (no blank line between) belong to it: role, email, phone
        while following < len(lines) and "\n\n" not in text[block_end : lines[following][0]].replace(" ", ""):
            nxt = text[lines[following][0] : lines[following][1]]
            if _person(nxt) or _organisation(nxt, matcher):
                break
            block_end = lines[following][1]
            following += 1
        contact = _contact(text[start:block_end], org, matcher, parties)
        if contact:
            if not contact["role"] and following > index + 1:
                second = plain(text[lines[index + 1][0] : lines[index + 1][1]])
                if not EMAIL.search(second) and not PHONE.search(second):
                    contact["role"] = second
            results.append((contact, start, block_end))
            index = following
        else:
            index += 1
    return results


def _from_body(document: Document, matcher: PartyMatcher, parties: list[dict]) -> list:
    text = document.text.text
    results = []
    for match in _BODY_CORRESPONDENT.finditer(text):
        sentence_end = _SENTENCE_END.search(text[match.end() : match.end() + 400])
        end = match.end() + (sentence_end.start() if sentence_end else min(400, len(text) - match.end()))
        tail = text[match.end() : end]
        person = _person(tail)
        if person is None or person.start() > 40:
            continue
        contact = _contact(tail[person.start() :].replace("\n", " "), None, matcher, parties)
        if contact is None:
            continue
        about = match.group("about")
        party = _party_of(about, matcher) if about.strip() else None
        if party is not None:
            contact["party"] = party
            contact["organisation"] = plain(about).strip(" ,") or None
        results.append((contact, match.start(), end))
    return results


def read(document: Document, found: Findings) -> None:
    """Record the contacts of the annex (or of the articles), each with its evidence."""
    parties = [p for p in found.get("parties") or [] if isinstance(p, dict)]
    matcher = PartyMatcher.from_parties(parties)
    results = []
    for a, b in _annex_regions(document):
        results += _from_annex(document, a, b, matcher, parties)
    if not results:
        results = _from_body(document, matcher, parties)
    seen = set()
    kept = []
    for contact, start, end in results:
        key = (fold(contact["name"]), contact["email"])
        if key not in seen:
            seen.add(key)
            kept.append((contact, start, end))
    found.set("contacts", [c for c, _, _ in kept])
    for index, (contact, start, end) in enumerate(kept):
        found.set(f"contacts.{index}.name", contact["name"], start=start, end=end, confidence=0.75)
