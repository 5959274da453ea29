"""The parties: the organisations the opening ("Entre les soussignés …") names, in order, each with
its kind, address, representative and the representative's title as printed.

The opening runs from "Entre les soussignés" (or the "Entre" line before the first
"représenté(e) par") to the first heading or "il a été convenu". Each party is an organisation
line, optionally followed by its address and "représenté(e) par …"; "et", "d'une part",
"d'autre part" separate them; "Ci-après désigné(e) …" lines only name them again.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from partenariats.reader.dates import fold
from partenariats.reader.fields.title import capitals_to_case
from partenariats.reader.model import Document, Findings

# ---------------------------------------------------------------- the opening

_SOUSSIGNES = re.compile(r"^[\W_]*entre\s+les\s+(?:parties\s+)?soussign\w*", re.M)
_ENTRE_LINE = re.compile(
    r"^[\W_]*(?:entre\b(?:\s*d'une\s+part)?[^\n\w]{0,3}$|entre\s*:|.{0,80}\bconclue?\s+entre\s*:?\s*$)", re.M
)
_REPRESENTE = re.compile(r"\brepresente(?:e|es|s)?\s+par\b")
_OPENING_END = re.compile(
    r"(?:^[\W_]*|\b)(?:il\s+(?:a\s+ete|est|a\s+d'abord\s+ete)\s+(?:expressement\s+|prealablement\s+|tout\s+d'abord\s+)?"
    r"(?:convenu|arrete|decide|expose|rappele)"
    r"|^[\W_]*(?:preambule|sommaire|table\s+des\s+matieres|considerant|expose\s+(?:des\s+motifs|prealable)|vu\s"
    r"|(?:article|titre|chapitre)\s+(?:1|1er|premier|i)\b))",
    re.M,
)
_OPENING_MAX = 6000  # an opening is a page at most; past that, the end marker was missed

_SEPARATOR = re.compile(
    r"^[\W_]*(?=[de])(?:et\b)?[\W_]*(?:(?:d'une|d'autre|de\s+l'autre)\s+part\b)?[\W_]*(?:et\b)?[\W_]*$"
)
_ALIAS = re.compile(r"^[\W_]*(?:ci-?\s?apres|ci-dessous|denomme|designe|appele)e?s?\b")
_MARKUP = re.compile(r"[*_#>|]")  # Markdown emphasis, headings and table bars: layout, not text

_ARTICLE = re.compile(r"^(?:l'|la\s+|le\s+|les\s+)", re.I)
_ORG_START = re.compile(
    r"^(?:l'|la\s+|le\s+|les\s+)?(?:academie|rectorat|region|etat|ministere|chambre|cci|cma|cress|confederation"
    r"|federation|syndicat|union|mouvement|association|societe|entreprise|groupe|groupement|cite|pole|etablissement"
    r"|lycee|college|ecole|universite|institut|centre|agence|office|conseil|departement|commune|ville|metropole"
    r"|communaute|fondation|cooperative|mutuelle|banque|caisse|france|direction|prefecture|service)\b"
)
_CIVILITY = r"(?:monsieur|madame|mademoiselle|m\.|mme\.?|mlle\.?|mr\.?|dr\.?|docteur|professeur|pr\.?|maitre|me\.?)"
_CIVILITY_RE = re.compile(rf"^{_CIVILITY}\s+", re.I)
_TITLE_PREFIX = re.compile(
    rf"^(?:{_CIVILITY}\s+)?(?:(?:son|sa|leur|le|la)\s+|l'\s*|(?:agissant\s+)?en\s+(?:sa\s+)?qualite\s+de\s+|"
    r"(?:agissant\s+)?es\s+qualites?\s+de\s+|agissant\s+(?:comme|pour\s+le\s+compte\s+de)\s+)"
)
# What follows a title without being one: "dûment habilité(e) à cet effet", "en vertu de la délibération …".
_AUTHORITY = re.compile(r"^(?:(?:dument\s+)?(?:habilitee?|mandatee?|autorisee?)s?\b|en\s+vertu\b|conformement\b)")

# ---------------------------------------------------------------- names of people

# Words that make a capitalised run a title or an organisation rather than a person (folded).
NOT_A_NAME = frozenset(
    [
        "recteur",
        "rectrice",
        "president",
        "presidente",
        "directeur",
        "directrice",
        "chancelier",
        "chanceliere",
        "delegue",
        "deleguee",
        "secretaire",
        "tresorier",
        "tresoriere",
        "maire",
        "prefet",
        "prefete",
        "proviseur",
        "proviseure",
        "principal",
        "principale",
        "inspecteur",
        "inspectrice",
        "gerant",
        "gerante",
        "administrateur",
        "administratrice",
        "vice-president",
        "vice-presidente",
        "responsable",
        "chef",
        "cheffe",
        "conseiller",
        "conseillere",
        "adjoint",
        "adjointe",
        "doyen",
        "doyenne",
        "ministre",
        "general",
        "generale",
        "directeur-general",
        "directrice-generale",
        "academie",
        "academique",
        "region",
        "regional",
        "regionale",
        "universite",
        "universites",
        "chambre",
        "cite",
        "ministere",
        "republique",
        "lycee",
        "college",
        "ecole",
        "societe",
        "association",
        "federation",
        "confederation",
        "mouvement",
        "entreprises",
        "entreprise",
        "france",
        "pour",
        "date",
        "fait",
        "signature",
        "convention",
        "partenariat",
        "metiers",
        "commerce",
        "industrie",
        "nationale",
        "national",
        "education",
        "departement",
        "conseil",
        "pole",
        "emploi",
        "etat",
        "le",
        "la",
        "les",
        "des",
        "du",
        "et",
        "pour",
        "signe",
        "signee",
        "lu",
        "approuve",
        "bon",
        "accord",
        "annexe",
        "article",
        "titre",
        "prefecture",
        "mairie",
        "commune",
        "ville",
        "centre",
        "institut",
        "agence",
        "office",
        "union",
        "syndicat",
        "groupe",
    ]
)
_PARTICLES = frozenset(
    {"de", "du", "des", "d'", "le", "la", "van", "von", "der", "den", "di", "da", "del", "ben", "el"}
)
_NAME_TOKEN = re.compile(
    r"^(?:[A-ZÀ-ÖØ-Þ]\.(?:-[A-ZÀ-ÖØ-Þ]\.)?"  # an initial: "J." or "J.-P."
    r"|(?:[dD]['’])?(?:[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+|[A-ZÀ-ÖØ-Þ]{2,})(?:[-'’](?:[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+|[A-ZÀ-ÖØ-Þ]{2,}))*"
    r"(?:['’][hH])?)$"  # Breton "Kerloc'h", "LE BORGNE-KERLOC'H"
)
_TOKEN_RE = re.compile(r"\S+")


def _is_particle(token: str) -> bool:
    return fold(token) in _PARTICLES


def _name_tokens(tokens: list[str]) -> int:
    """How many leading tokens form a person's name (particles inside); 0 when none."""
    count = 0
    for index, token in enumerate(tokens):
        bare = token.strip(",;.:")
        if not bare:
            break
        if fold(bare) in NOT_A_NAME and not (_is_particle(bare) and index > 0):
            break
        if _NAME_TOKEN.match(bare) or (index > 0 and _is_particle(bare) and bare.islower()):
            count = index + 1
            if token.endswith((",", ";", ":")):
                break
            continue
        break
    # a name does not end on a particle ("Jean de")
    while count and _is_particle(tokens[count - 1].strip(",;.:")):
        count -= 1
    return count


@dataclass(frozen=True)
class PersonMatch:
    """A person's name found at the start of a piece of text: ``name`` as printed, its offsets."""

    name: str
    start: int
    end: int
    civility: bool


def person_at(text: str, *, whole: bool = False) -> PersonMatch | None:
    """The person's name at the start of ``text`` ("M. Jean DUPONT, …", "Jean-Paul de Gaudemar").

    Without a civility a name needs two words at least; with ``whole`` the name must be all of
    ``text`` (after a civility), so that a line of a title is not taken for a name.
    """
    lead = len(text) - len(text.lstrip())
    body = text[lead:]
    civility = _CIVILITY_RE.match(body)
    offset = lead
    if civility:
        following = body[civility.end() :]
        if re.match(r"(?:(?:le|la)\s|l['’])", following, re.I):
            return None  # "Monsieur le Recteur": a title
        offset += civility.end()
    words = list(_TOKEN_RE.finditer(text, offset))
    tokens = [word.group() for word in words]
    count = _name_tokens(tokens)
    if count == 0 or (count < 2 and not civility):
        return None
    if not civility and not any(re.search(r"[a-zß-ÿ]", token) for token in tokens[:count]):
        return None  # "AGEFA PME": a run of capitals without "M." or "Mme" is an acronym, not a person
    if whole and count < len(tokens):
        return None
    # "Jean DUPONT Recteur": the name stops where a title starts; "jean dupont" is not a name
    if not any(ch.isupper() for ch in tokens[count - 1]):
        return None
    start, end = words[0].start(), words[count - 1].end()
    while end > start and text[end - 1] in ",;.:" and not re.search(r"\b[A-Z]\.$", text[start:end]):
        end -= 1
    return PersonMatch(" ".join(text[start:end].split()), start, end, bool(civility))


def proper_case(name: str) -> str:
    """A name in capitals folded to proper case ("Gilles PECOUT" → "Gilles Pecout"); mixed case is kept."""
    words = name.split()
    out = []
    for index, word in enumerate(words):
        letters = [c for c in word if c.isalpha()]
        if len(letters) > 1 and all(c.isupper() for c in letters):
            if index > 0 and _is_particle(word):
                out.append(word.lower())
                continue
            parts = re.split(r"([-'’])", word.lower())
            cased = []
            for part in parts:
                if part in ("d", "l") and cased == []:
                    cased.append(part)
                else:
                    cased.append(part[:1].upper() + part[1:])
            out.append("".join(cased))
        else:
            out.append(word)
    return " ".join(out)


class DocumentWords:
    """The document's own spellings, to repair a name printed in capitals (accents, hyphens)."""

    def __init__(self, text: str):
        self.text = text
        self.folded = fold(text)
        self._forms: dict[str, Counter[str]] | None = None
        self._acronyms: set[str] | None = None

    def acronyms(self) -> set[str]:
        """Folded words printed in capitals inside running (mixed-case) lines: acronyms such as "PME"."""
        if self._acronyms is None:
            found = set()
            for line in self.text.split("\n"):
                if not re.search(r"[a-zß-ÿ]{3,}", line):
                    continue  # a line all in capitals says nothing about one word
                for match in re.finditer(r"(?<![\w-])[A-ZÀ-Þ]{2,}(?![\w-])", line):
                    found.add(fold(match.group()))
            self._acronyms = found
        return self._acronyms

    def forms(self) -> dict[str, Counter[str]]:
        """Folded word → how often each spelling with lower-case letters appears."""
        if self._forms is None:
            forms: dict[str, Counter[str]] = {}
            for match in re.finditer(r"[^\W\d_]+", self.text):
                word = match.group()
                if any(c.islower() for c in word):
                    forms.setdefault(fold(word), Counter())[word] += 1
            self._forms = forms
        return self._forms

    def spelling_of_person(self, name: str) -> str:
        """The name as the document best spells it: with accents and hyphens when printed so somewhere."""
        tokens = [fold(token) for token in re.split(r"[\s\-]+", name) if token]
        if not tokens:
            return name
        if not any(len(token) > 1 and token.isupper() for token in re.split(r"[\s\-]+", name)):
            return name  # printed in mixed case: as printed
        pattern = re.compile(r"(?<!\w)" + r"[\s\-]+".join(re.escape(token) for token in tokens) + r"(?!\w)")
        best = None
        best_score = -1
        for match in pattern.finditer(self.folded):
            form = " ".join(self.text[match.start() : match.end()].split())
            words = form.split()
            score = sum(1 for word in words if any(c.islower() for c in word)) * 2 + form.count("-")
            if score > best_score:
                best, best_score = form, score
        chosen = best if best is not None and best_score > 0 else name
        # a form with the hyphen but in capitals still gives the hyphen; accents come from mixed forms
        if best is not None and "-" in best and "-" not in chosen:
            chosen = best
        return proper_case(chosen)

    def recase_name(self, name: str) -> str:
        """An organisation's name printed in capitals, in the case the document uses elsewhere."""
        letters = [c for c in re.sub(r"\([^)]*\)", "", name) if c.isalpha()]
        if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
            return name
        folded = fold(name)
        tokens = [token for token in re.split(r"[\s\-–]+", folded) if token]
        pattern = re.compile(r"(?<!\w)" + r"[\s\-–]+".join(re.escape(token) for token in tokens) + r"(?!\w)")
        for match in pattern.finditer(self.folded):
            form = " ".join(self.text[match.start() : match.end()].split())
            if sum(c.islower() for c in form) > len(form) // 3:
                return form
        return self._recase_words(name)

    def _recase_words(self, name: str) -> str:
        """Word by word: each word as the document writes it in running text, else capitalised."""
        out = []
        depth = 0
        for index, word in enumerate(re.split(r"(\s+|[-–'’]|[()])", name)):  # "D'AUVERGNE": elision apart
            if word == "(":
                depth += 1
            elif word == ")":
                depth -= 1
            if not word.strip() or not any(c.isalpha() for c in word) or depth > 0:
                out.append(word)
                continue
            key = fold(word)
            forms = self.forms().get(key)
            if key in self.acronyms() and not any(form.islower() for form in forms or ()):
                out.append(word)
            elif forms:
                lower = [form for form in forms if form.islower()]
                out.append(lower[0] if lower and key not in ("france",) else forms.most_common(1)[0][0])
            elif key in ("d", "l", "de", "du", "des", "et", "la", "le", "les", "en", "sur", "sous", "aux", "au"):
                out.append(key)
            elif len(word) <= 4 and index > 0:
                out.append(word)  # a short word in capitals that never appears in lower case: an acronym
            else:
                out.append(word[:1] + word[1:].lower())
        text = "".join(out)
        return text[:1].upper() + text[1:]


# ---------------------------------------------------------------- organisations

_KIND_HEADS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "education",
        re.compile(
            r"^(?:region\s+academique|academie|rectorat|ministere|etat|lycee|college|ecole|universite|inspection\s+academique|direction\s+(?:des\s+services\s+)?(?:academique|departementale\s+des\s+services\s+de\s+l'education))\b"
        ),
    ),
    ("chamber", re.compile(r"^(?:chambre|cci|cma|cress|cra)\b")),
    ("association", re.compile(r"^association\b")),
    (
        "employer_org",
        re.compile(
            r"^(?:confederation|federation|syndicat|union\s+(?:des|patronale|professionnelle|regionale|departementale)|mouvement\s+des\s+entreprises|medef|cpme|cgpme|uimm|u2p|organisation\s+(?:patronale|professionnelle))\b"
        ),
    ),
    ("company", re.compile(r"^(?:societe|entreprise|sa|sas|sasu|sarl|eurl|snc|sca)\b")),
    (
        "public_body",
        re.compile(
            r"^(?:cite\s+des\s+metiers|pole\s+emploi|france\s+travail|etablissement\s+public|gip|groupement\s+d'interet\s+public|region|conseil\s+(?:regional|departemental|general)|departement|commune|ville|metropole|communaute\s+(?:de\s+communes|d'agglomeration|urbaine)|prefecture|agence|office\s+national|onisep|centre\s+d'information\s+et\s+d'orientation|mission\s+locale)\b"
        ),
    ),
)
_KIND_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("association", re.compile(r"\bassociation\b|\bloi\s+(?:du\s+1er\s+juillet\s+|de\s+)?1901\b")),
    ("company", re.compile(r"\b(?:siret|siren|rcs|au\s+capital\s+de|sas|sasu|sarl|eurl|s\.a\.s?\.?|sa)\b")),
    ("chamber", re.compile(r"\b(?:cci|cma|cress|chambre\s+(?:de|des|d'|regionale))")),
    (
        "employer_org",
        re.compile(
            r"\b(?:medef|cpme|cgpme|uimm|u2p|organisation\s+patronale|federation\s+professionnelle|syndicat\s+professionnel|confederation\b.{0,60}\bentreprises)"
        ),
    ),
    (
        "education",
        re.compile(
            r"\b(?:academie|rectorat|region\s+academique|ministere\s+de\s+l'education|lycee|college|universite)\b"
        ),
    ),
    (
        "public_body",
        re.compile(
            r"\b(?:etablissement\s+public|groupement\s+d'interet\s+public|gip|cite\s+des\s+metiers|pole\s+emploi|france\s+travail|collectivite)\b"
        ),
    ),
)


def classify(name: str, context: str = "") -> str:
    """The party's kind from the head noun of its name, else from words of its description."""
    head = _ARTICLE.sub("", fold(name).strip())
    for kind, pattern in _KIND_HEADS:
        if pattern.match(head):
            return kind
    described = fold(context)
    for kind, pattern in _KIND_WORDS:
        if pattern.search(described) or pattern.search(head):
            return kind
    return "other"


_ADDRESS_MARKER = re.compile(
    r"(?:\bdont\s+le\s+siege(?:\s+social)?\s+est(?:\s+(?:situe|fixe|etabli)e?)?\s*(?:au|a|en)?"
    r"|\bayant\s+son\s+siege(?:\s+social)?\s*(?:au|a|en)?"
    r"|\bsiege(?:\s+social)?\s*(?::|situe\s*(?:au|a)?|au|a)"
    r"|\bsise?s?\s+(?:au|a|en|,)?|\bdomiciliee?s?\s+(?:au|a)?|\badresse\s*:)",
)
_STREET = (
    r"(?:place|rue|avenue|av\.|boulevard|bd|allee|allees|chemin|quai|cours|impasse|route|square|parvis|esplanade"
    r"|rond-point|boite\s+postale|bp|cs|zac|zi|za|parc|immeuble|batiment|residence|lieu-dit|voie)"
)
# A street line; a bare number must not start an amount ("12 500 000 euros").
_ADDRESS_LINE = re.compile(
    rf"^\s*(?:\d{{1,4}}\s*(?:bis|ter)?\s*,?\s*)?{_STREET}\b|^\s*\d{{1,4}}\s*(?:bis|ter)?,?\s+(?!\d)(?!euros?\b)\w"
)
# The legal description of a party, which precedes its address ("établissement public", "société anonyme …").
_DESCRIPTION = re.compile(
    r"^(?:etablissement|societe|association|syndicat|collectivite|organisme|groupement|entreprise|chambre|service"
    r"|personne|fondation|federation|union|sarl|sas|sa\b|eurl|epic|epa|epscp|au\s+capital|immatricul|inscrite?|siret"
    r"|siren|rcs|representee?|placee?|regie|agreee?|reconnue?|dont|ayant)"
)
_POSTCODE = re.compile(r"\b\d{2}\s?\d{3}\b\s+[^\W\d]")
_SIRET = re.compile(r"\bsiret\s*(?:n°|no|numero|:)?\s*:?\s*((?:\d[\s.]?){13}\d)")
_ACRONYM = re.compile(r"^[A-ZÀ-Þ0-9&]{2,}(?:[\s\-]\S+){0,3}$")
# A company's legal form, at the end of its name ("Azurelle SA") or opening its description
# (", société anonyme au capital …", ", SARL …").
_LEGAL_FORM = r"(?:sa|sas|sasu|sarl|eurl|snc|sca|selarl|s\.a\.s?\.?|s\.a\.r\.l\.?)"
_LEGAL_FORM_END = re.compile(rf"(?i)\s{_LEGAL_FORM}$")
_LEGAL_FORM_START = re.compile(
    rf"^[\s,;:–—-]*(?:{_LEGAL_FORM}\b|societe\s+(?:anonyme|par\s+actions|a\s+responsabilite|en\s+nom|civile"
    r"|cooperative|d'economie\s+mixte)|entreprise\s+unipersonnelle)"
)
# "la société Azurelle SA": the common noun "société" (printed in lower case) before a capitalised name
_COMMON_NOUN = re.compile(r"^(?:l['’]\s*|la\s+|le\s+)?(?P<noun>soci[ée]t[ée]|entreprise)\s+", re.I)


@dataclass
class _Party:
    header: tuple[int, int]  # the organisation's lines (name, address, description)
    rep: tuple[int, int] | None = None  # what follows "représenté(e) par"
    rep_lines: list[tuple[int, int]] = field(default_factory=list)


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    position = start
    for line in text[start:end].split("\n"):
        spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans


# "…, Chancelier des universités, d'une part, et la Cité des Métiers …": separators inside a line
# (a text whose lines were joined into paragraphs), and ", et" before another organisation.
_INLINE_SEPARATOR = re.compile(
    r"[,;]?\s*\b(?:d'une|d'autre|de\s+l'autre)\s+part\b\s*[,.;]?(?:\s*et\b\s*[,:]?)?"
    r"|,\s*et\s+(?=(?:l'|la\s+|le\s+|les\s+)?(?:[a-z]+\s+){0,1}"
    + _ORG_START.pattern.removeprefix("^(?:l'|la\\s+|le\\s+|les\\s+)?")
    + ")"
)


def _pieces_of_lines(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """The opening's lines, each cut again at the separators printed inside it (kept as pieces of their own)."""
    pieces = []
    for line_start, line_end in _lines(folded, start, end):
        position = line_start
        for match in _INLINE_SEPARATOR.finditer(folded, line_start, line_end):
            if match.start() == line_start and match.end() == line_end:
                break  # the whole line is a separator: kept as it is
            if match.start() > position:
                pieces.append((position, match.start()))
            pieces.append((match.start(), match.end()))
            position = match.end()
        if position < line_end or position == line_start:
            pieces.append((position, line_end))
    return pieces


def opening_span(document: Document) -> tuple[int, int] | None:
    """Where the parties are named: after "Entre les soussignés" up to the first heading or "convenu"."""
    text = document.text.text
    folded = fold(text)
    anchor = _SOUSSIGNES.search(folded)
    if anchor:
        line_end = folded.find("\n", anchor.end())
        line_end = len(folded) if line_end == -1 else line_end
        # "Entre les soussignés : l'académie …" on one line: the first party starts on that line
        rest = _MARKUP.sub(" ", text[anchor.end() : line_end])
        start = anchor.end() if re.search(r"\w{3,}", rest) else line_end
    else:
        first = _REPRESENTE.search(folded, 0, max(2000, len(folded) * 2 // 5))
        if first is None:
            return None
        entries = list(_ENTRE_LINE.finditer(folded, 0, first.start()))
        if not entries:
            return None
        entre = entries[-1]
        start = entre.end()
    end = min(len(text), start + _OPENING_MAX)
    closing = _OPENING_END.search(folded, start, end)
    if closing:
        end = closing.start()
    for heading in document.structure.walk():
        if start < heading.start < end:
            end = heading.start
            break
    return start, end


def _new_party_line(folded_line: str) -> bool:
    """A line that opens an organisation: an article and a capital or an organisation word."""
    line = folded_line.strip()
    return bool(_ORG_START.match(line))


def _split(text: str, folded: str, start: int, end: int) -> list[_Party]:
    """The opening cut into parties: one per organisation line, with its "représenté(e) par" part."""
    parties: list[_Party] = []
    current: _Party | None = None
    closed = True  # a separator was met: the next organisation is a new party
    paragraph_break = False
    in_alias = False
    for line_start, line_end in _pieces_of_lines(folded, start, end):
        raw = _MARKUP.sub(" ", text[line_start:line_end])
        folded_line = _MARKUP.sub(" ", folded[line_start:line_end])
        if not raw.strip():
            paragraph_break = True
            in_alias = False
            continue
        if _SEPARATOR.match(folded_line):
            closed, in_alias = True, False
            paragraph_break = False
            continue
        if _ALIAS.match(folded_line) or in_alias:
            in_alias = not re.search(r"[»\")]\s*[,.;]?\s*$", raw)
            closed = closed or (current is not None and current.rep is not None and not in_alias)
            paragraph_break = False
            continue
        represented = _REPRESENTE.search(folded_line)
        before = folded_line[: represented.start()] if represented else folded_line
        starts_org = _new_party_line(before) or bool(re.match(r"^\s*(?:l'|la\s|le\s|les\s)?[A-ZÀ-Þ]", raw))
        starts_org = starts_org and person_at(raw) is None and not re.match(r"\s*(?:pour|represente)", folded_line)
        leading = raw.lstrip()
        title_line = bool(re.match(r"(?:recteur|rectrice|president|chancel|direct|delegue|secretaire)", fold(leading)))
        fresh = current is None or closed or (current.rep is not None and (paragraph_break or represented))
        if represented and before.strip(" ,;:") and (fresh or current is None):
            current = _Party(header=(line_start, line_start + represented.start()))
            parties.append(current)
        elif (
            not represented
            and starts_org
            and not title_line
            and fresh
            and (closed or current is None or paragraph_break)
        ):
            current = _Party(header=(line_start, line_end))
            parties.append(current)
            closed = False
            paragraph_break = False
            continue
        if current is None:
            paragraph_break = False
            continue
        if represented:
            if current.rep is None and before.strip(" ,;:"):
                current.header = (current.header[0], line_start + represented.start())  # "…), 27 rue …, représentée"
            current.rep = (line_start + represented.end(), line_end)
            current.rep_lines = [(line_start + represented.end(), line_end)]
        elif current.rep is not None:
            current.rep_lines.append((line_start, line_end))
            current.rep = (current.rep[0], line_end)
        else:
            current.header = (current.header[0], line_end)
        closed = False
        paragraph_break = False
    return parties


def _clean_org_name(name: str) -> str:
    name = " ".join(name.split())
    name = re.sub(r"(?<=\w)\s*[–—]\s*(?=\w)", "-", name)  # "Provence – Alpes" → "Provence-Alpes"
    name = name.strip(" ,;:.-–")
    if re.match(r"(?:l['’]\s*)?[ée]tat\b", name, re.I):
        return "L'État"
    name = _ARTICLE.sub("", name.replace("’", "'"))
    return name[:1].upper() + name[1:]


def _without_common_noun(name: str, description: str) -> str:
    """A company's name without the common noun before it: "la société Azurelle SA, …" → "Azurelle SA" when a
    legal form follows the name (in it or just after it); "la Société générale" (capital, no form) is kept."""
    stripped = name.strip()
    noun = _COMMON_NOUN.match(stripped)
    if noun is None:
        return name
    if not noun.group("noun")[:1].islower():
        return name  # "Société …" with a capital: part of the name as printed
    rest = stripped[noun.end() :]
    if not rest[:1].isupper() or not (_LEGAL_FORM_END.search(rest) or _LEGAL_FORM_START.match(fold(description))):
        return name
    return rest


def _depth_zero_comma(text: str) -> int:
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char in ",;" and depth == 0:
            return index
    return -1


def _address(text: str) -> str | None:
    """An address as "number street, postcode city", from the lines after a name."""
    parts = [part.strip(" ,;.") for part in re.split(r"\n|,", text)]
    parts = [part for part in parts if part]
    out: list[str] = []
    for part in parts:
        if re.fullmatch(r"\d{1,4}\s*(?:bis|ter)?", part, re.I) and not out:
            out.append(part + ",")  # "19, rue …": the number printed apart stays in front
            continue
        out.append(part)
        if _POSTCODE.search(part):
            break
    address = ", ".join(part.rstrip(",") for part in out)
    address = re.sub(r"\s*[–—]\s*(?=\d{5})", ", ", address)
    address = " ".join(address.split()).strip(" ,")
    if not (_POSTCODE.search(address) or re.match(rf"(?i)\d*\s*,?\s*{_STREET}", fold(address))):
        return None
    return address or None


def _address_before_postcode(description: str, offset: int) -> int | None:
    """Where an address with no street word starts ("Complexe agricole du Mont-Bernard, 51000 Châlons"): the
    piece before the postcode's, unless that piece is the party's legal description."""
    pieces = []
    position = offset
    for piece in description.split(","):
        pieces.append((position + len(piece) - len(piece.lstrip()), piece.strip()))
        position += len(piece) + 1
    for index, (start, piece) in enumerate(pieces):
        if not _POSTCODE.match(piece):
            continue
        if index > 0 and pieces[index - 1][1][:1].isupper() and not _DESCRIPTION.match(fold(pieces[index - 1][1])):
            return pieces[index - 1][0]
        return start
    return None


def _parse_header(text: str, start: int, end: int, words: DocumentWords) -> dict:
    """Name, acronym, address and SIRET from an organisation's lines."""
    raw = _MARKUP.sub(" ", text[start:end])
    folded = fold(raw)
    address_at = len(raw)
    address_from = None
    marker = _ADDRESS_MARKER.search(folded)
    if marker:
        address_at, address_from = marker.start(), marker.end()
    position = 0
    for line in raw.split("\n"):
        if position > 0 and position < address_at and _ADDRESS_LINE.match(fold(line)) and line.strip():
            address_at = address_from = position
            break
        position += len(line) + 1
    name_part = raw[:address_at]
    comma = _depth_zero_comma(name_part)
    name_end = comma if comma >= 0 else len(name_part.rstrip())
    name_raw = name_part[:name_end]
    description = raw[name_end:]
    if address_from is None and comma >= 0:
        # "L'académie de X, 4 rue …, 44000 X, représentée …": the address is one of the pieces after the name
        position = name_end
        for piece in description.split(","):
            if piece.strip() and _ADDRESS_LINE.match(fold(piece.lstrip())):
                address_from = position + (len(piece) - len(piece.lstrip()))
                break
            position += len(piece) + 1
    if address_from is None and comma >= 0:
        address_from = _address_before_postcode(description, name_end)
    acronym = None
    for paren in re.finditer(r"\(([^()]*)\)", name_raw):
        content = " ".join(paren.group(1).split())
        if _ACRONYM.match(content) and acronym is None:
            acronym = content
        elif not _ACRONYM.match(content):
            name_raw = name_raw.replace(paren.group(0), " ")
    kept = _without_common_noun(name_raw, description)
    # the evidence points at the name itself, after a dropped "la société"
    leading = len(name_raw.rstrip()) - len(kept) if kept is not name_raw else len(name_raw) - len(name_raw.lstrip())
    name = _clean_org_name(kept)
    # capitals beside mixed-case words on the same line ("AGEFA PME, Association …") are the name's own
    first_line = re.sub(r"\([^()]*\)", " ", raw[: raw.find("\n") if "\n" in raw else len(raw)])
    if not re.search(r"[a-zß-ÿ]", first_line.replace(name_raw, " ")):
        name = words.recase_name(name)
    address = _address(raw[address_from:]) if address_from is not None else None
    siret = _SIRET.search(folded)
    return {
        "name": name,
        "name_span": (start + leading, start + len(name_raw.rstrip())),
        "acronym": acronym,
        "address": address,
        "address_span": (start + (address_from or 0), end) if address else None,
        "siret": re.sub(r"\D", "", siret.group(1)) if siret else None,
        "description": description,
    }


def _pieces(text: str) -> list[tuple[int, int]]:
    """``text`` cut at commas outside parentheses: (start, end) of each piece."""
    spans = []
    depth = 0
    begin = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            spans.append((begin, index))
            begin = index + 1
    spans.append((begin, len(text)))
    return spans


def _clean_title(title: str, *, first: bool = True) -> str:
    title = " ".join(title.split()).strip(" ,;:.")
    folded = fold(title)
    prefix = _TITLE_PREFIX.match(folded)
    while prefix and prefix.end() > 0:
        title = title[prefix.end() :]
        folded = folded[prefix.end() :]
        prefix = _TITLE_PREFIX.match(folded)
    title = title.strip(" ,;:.")
    return title[:1].upper() + title[1:] if first else title


def parse_representative(text: str) -> tuple[PersonMatch | None, str | None, tuple[int, int] | None]:
    """The person and the title in what follows "représenté(e) par": name first or title first."""
    raw = _MARKUP.sub(" ", text)
    alias = re.search(r"\b(?:ci-?\s?apr[eè]s|d[ée]nomm[ée]|d[ée]sign[ée])", raw, re.I)
    if alias:
        raw = raw[: alias.start()]
    person: PersonMatch | None = None
    titles: list[str] = []
    title_span: tuple[int, int] | None = None
    for piece_start, piece_end in _pieces(raw):
        piece = raw[piece_start:piece_end]
        if not piece.strip():
            continue
        found = person_at(piece) if person is None else None
        if found and (found.civility or found.end - found.start >= 3):
            person = PersonMatch(found.name, piece_start + found.start, piece_start + found.end, found.civility)
            rest = piece[found.end :].strip(" ,;:.")
            if rest:
                titles.append(rest)
                title_span = title_span or (piece_start + found.end, piece_end)
            continue
        titles.append(piece)
        span = (piece_start, piece_end)
        title_span = (min(title_span[0], span[0]), max(title_span[1], span[1])) if title_span else span
    titles = [title for title in titles if not _AUTHORITY.match(fold(title.strip(" ,;:.")))]
    cleaned = [_clean_title(title, first=index == 0) for index, title in enumerate(titles)]
    cleaned = [title for title in cleaned if title and re.search(r"[^\W\d]{2,}", title)]
    if not cleaned:
        return person, None, None
    return person, ", ".join(cleaned), title_span


def _state_name(rep_text: str) -> str:
    """ "L'État (académie de X)" from the recteur who represents it."""
    match = re.search(
        r"\b(acad[ée]mie\s+(?:de\s+|d['’]\s*|du\s+|des\s+)[\w\-’' ]+?)(?=\s*[,.;\n]|\s+chancel|$)", rep_text, re.I
    )
    if not match:
        return "L'État"
    academy = " ".join(match.group(1).replace("’", "'").split())
    return f"L'État ({academy[:1].lower() + academy[1:]})"


def read(document: Document, found: Findings) -> None:
    """Record ``parties.N.*``: each organisation the opening names, in order."""
    span = opening_span(document)
    if span is None:
        return
    text = document.text.text
    folded = fold(text)
    words = DocumentWords(text)
    parties = _split(text, folded, *span)
    index = 0
    for party in parties:
        header = _parse_header(text, *party.header, words)
        if not header["name"] or not re.search(r"[^\W\d]{2,}", header["name"]):
            continue
        rep_text = text[party.rep[0] : party.rep[1]] if party.rep else ""
        person, title, title_span = parse_representative(rep_text) if party.rep else (None, None, None)
        if title:
            title = capitals_to_case(title, text)
        name = header["name"]
        if name == "L'État":
            name = _state_name(rep_text)
        kind = classify(name, header["description"] + " " + text[party.header[0] : party.header[1]])
        if name.startswith("L'État"):
            kind = "education" if re.search(r"\brect(?:eur|rice)\b", fold(rep_text)) else "public_body"
        path = f"parties.{index}"
        found.set(f"{path}.name", name, start=header["name_span"][0], end=header["name_span"][1])
        found.set(f"{path}.kind", kind, start=header["name_span"][0], end=header["name_span"][1], confidence=0.7)
        if person is not None and party.rep is not None:
            spelled = words.spelling_of_person(person.name)
            found.set(
                f"{path}.representative",
                spelled,
                start=party.rep[0] + person.start,
                end=party.rep[0] + person.end,
            )
        else:
            found.set(f"{path}.representative", None)
        if title and party.rep is not None and title_span is not None:
            found.set(
                f"{path}.representative_title",
                title,
                start=party.rep[0] + title_span[0],
                end=party.rep[0] + title_span[1],
                confidence=0.8,
            )
        else:
            found.set(f"{path}.representative_title", None)
        if header["address"]:
            found.set(
                f"{path}.address", header["address"], start=header["address_span"][0], end=header["address_span"][1]
            )
        else:
            found.set(f"{path}.address", None)
        found.set(f"{path}.acronym", header["acronym"])
        found.set(f"{path}.siret", header["siret"])
        index += 1
