"""Named dispositifs and events, the publics aimed at, and the yearly governance rhythms.

A programme is a name the text gives to a dispositif or an event (« … » after "dispositif",
a capitalised "Semaine …", "Mois de …", "salon X"); an audience is a public the text names
("collégiens", "enseignants"), each once under one label; a month is kept only when the
text ties it to the thing, never guessed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from partenariats.core.text import FRENCH_MONTHS
from partenariats.reader.fields.clauses import fold, heading_spans, plain, structure_of, units
from partenariats.reader.model import Document, Findings

# The month names folded (no accents), as ``fold`` writes the text they are looked for in.
MONTHS = tuple(fold(month) for month in FRENCH_MONTHS)
_MONTH_WORD = "|".join(MONTHS)
_MONTH = re.compile(rf"\b({_MONTH_WORD})\b(?!\s+(?:\d{{4}}|\d{{2}}\b))")
# a month tied to what precedes it: "(fin janvier)", "en novembre", "au mois de mars"
_TIED_MONTH = re.compile(
    rf"(?:\(\s*|\ben\s+|\bmois\s+d[e']\s*|\bfin\s+|\bdebut\s+|\bmi-|\bcourant\s+|\bde\s+)(?:mois\s+de\s+)?"
    rf"({_MONTH_WORD})\b(?!\s+(?:\d{{4}}|\d{{2}}\b))"
)

# ---------------------------------------------------------------------------------------------
# Audiences: (rule on the folded text, label). Specific rules first: a generic one ("élèves")
# does not count a passage a specific one already took ("élèves des collèges").

_THIRD = r"(?:3\s*\^?\s*\{?(?:e|eme)\}?|troisieme)\b"
AUDIENCE_RULES: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(pattern), label)
    for pattern, label in (
        (
            rf"\b(?:eleves?|collegiens?|stagiaires|classes?)\s+(?:de\s+la\s+classe\s+|des?\s+classes?\s+)?(?:de\s+|en\s+)?{_THIRD}",
            "élèves de 3e",
        ),
        (r"\beleves?\s+(?:de\s+|en\s+)(?:seconde|2nde|2de)\b", "élèves de seconde"),
        (r"\beleves?\s+(?:du\s+|de\s+)?premier\s+degre\b|\becoliers\b", "écoliers"),
        (r"\b(?:jeunes|eleves?)\s+(?:en\s+situation\s+de\s+handicap|handicapes)\b", "jeunes en situation de handicap"),
        (r"\bjeunes\s+(?:en\s+situation\s+de\s+)?decroch\w*|\bdecrocheurs\b", "jeunes décrocheurs"),
        (r"\bmineurs?\s+(?:isoles?\s+)?(?:etrangers?|non\s+accompagnes)\b|\bjeunes\s+migrants\b", "jeunes migrants"),
        (r"\bcollegiens?\b|\beleves?\s+(?:des|du|de)\s+colleges?\b", "collégiens"),
        (r"\blyceens?\b|\beleves?\s+(?:des|du|de)\s+lycees?\b", "lycéens"),
        (r"\bapprenti(?:\.?e)?(?:\.?s)?\b", "apprentis"),
        (r"\betudiant(?:\.?e)?(?:\.?s)?\b", "étudiants"),
        (
            r"\bpsychologues?\s+de\s+l'education\s+nationale\b|\bpsy-?en\b|\bco-?psy\b"
            r"|\bconseill(?:ers?|eres?|er\.ere\.s)\s+(?:principaux\s+)?d'orientation(?:[\s-]psychologues?)?",
            "psychologues de l'Éducation nationale",
        ),
        (r"\bprofesseurs?\s+principa(?:l|ux)\b", "professeurs principaux"),
        (r"\b(?:professeurs?|enseignants?)\s+referents?\b", "professeurs référents"),
        (
            r"\bchef(?:\.?fe)?(?:\.?s)?\s+d'etablissements?\b|\bpersonnels?\s+de\s+direction\b",
            "personnels de direction",
        ),
        (r"\bconseillers?\s+(?:principaux\s+)?d'education\b", "conseillers d'éducation"),
        (r"\binspecteurs?\b", "inspecteurs"),
        (r"\benseignants?\b|\bprofesseurs?\b", "enseignants"),
        (r"\bparents\b|\bfamilles\b|\btissu\s+familial\b", "parents d'élèves"),
        (
            r"\bpersonnels?\s+(?:de\s+l'education\s+nationale|academiques|des\s+academies|du\s+systeme\s+educatif)\b",
            "personnels de l'Éducation nationale",
        ),
        (r"\bequipes?\s+(?:educatives?|pedagogiques?)\b", "équipes éducatives"),
        (r"\btuteurs?\b", "tuteurs"),
        (r"\bdemandeurs?\s+d'emploi\b", "demandeurs d'emploi"),
        (r"\bsalaries\s+(?:des?|du)\s+(?:entreprises?|secteurs?)\b", "salariés"),
        (r"\bstagiaires\s+de\s+la\s+formation\s+continue\b", "stagiaires de la formation continue"),
        (r"\badultes\b", "adultes"),
        (r"\beleves?\b", "élèves"),
        (r"\bjeunes\b", "jeunes"),
    )
)


_AUDIENCE_WORD = re.compile(
    r"(?:eleve|colleg|lyce|stagiaire|classe|ecolier|jeune|mineur|decroch|apprenti|etudiant|psy|co-?psy|conseill"
    r"|professeur|enseignant|chef|personnel|inspecteur|parent|famille|tissu|equipe|tuteur|demandeur|salarie|adulte)"
)


@lru_cache(maxsize=16)
def audience_mentions(text: str) -> tuple[tuple[str, int, int], ...]:
    """Every public named in ``text``: (label, start, end), in the order of the text."""
    folded = fold(text)
    found: list[tuple[str, int, int]] = []
    reached = 0
    # only where a public's word begins, try the rules, the most specific first
    for candidate in _AUDIENCE_WORD.finditer(folded):
        position = candidate.start()
        if position < reached or (position and folded[position - 1].isalnum()):
            continue
        for rule, label in AUDIENCE_RULES:
            match = rule.match(folded, position)
            if match:
                found.append((label, position, match.end()))
                reached = match.end()
                break
    return tuple(found)


def audiences_in(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """The publics named in ``text[start:end]``, each label once, in the order of the text."""
    end = len(text) if end is None else end
    labels: list[str] = []
    for label, s, e in audience_mentions(text):
        if s >= start and e <= end and label not in labels:
            labels.append(label)
    return labels


# ---------------------------------------------------------------------------------------------
# Programme names.

_UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ"
EVENT_WORDS = (
    "semaine|mois|journ[ée]es?|forums?|salons?|troph[ée]es|olympiades|concours|festival|nuit|printemps"
    "|rencontres|prix|challenges?|d[ée]fis?|f[êe]te|carrefours?|village"
)
_KEYWORD = re.compile(rf"(?i)\b(?:(?P<event>{EVENT_WORDS})|(?P<other>club|campus|parcours|fabrique|plan|label))\b")
_TOKEN = re.compile(r"[dlDLjJ][’']|\(\s*[A-Z0-9][A-Z0-9&.\- ]{0,15}\)|[\w][\w.&’'\-]*|[–—\-&]|\S")
_CONNECTORS = {"de", "des", "du", "d'", "l'", "la", "le", "les", "et", "&", "pour", "en", "à", "au", "aux", "sur"}
_DASHES = {"–", "—", "-"}
_ADJECTIVE_END = (
    "ale",
    "ales",
    "ique",
    "iques",
    "aire",
    "aires",
    "elle",
    "enne",
    "al",
    "if",
    "ive",
    "ienne",
    "ois",
    "oise",
)
_QUOTED = re.compile(r"«\s*([^«»\n]{2,140}?)\s*»|“([^”\n]{2,100})”")
_PROGRAMME_WORD = re.compile(
    r"(?:dispositifs?|programmes?|op[ée]rations?|actions?|parcours|label|projets?|concours|portail|plateforme"
    r"|site|prix|troph[ée]es|r[ée]seau|semaine|salon|forum|afterwork|participation\s+(?:au|aux|à))"
    r"(?:\s+(?:national|nationale|acad[ée]mique|d[ée]nomm[ée]e?s?|intitul[ée]e?s?|appel[ée]e?s?|nomm[ée]e?s?"
    r"|dit|dite|des|de|du|la|le|aux|au))*\s*[*_]*\s*$",
    re.IGNORECASE,
)
_DESIGNATION = re.compile(r"(?i)ci-apr[èe]s|d[ée]sign[ée]e?s?\b|d[ée]nomm[ée]e?s?\s+ci")
_DISPOSITIF = re.compile(
    r"(?i)\bdispositifs?\s+(?:(?:d[ée]nomm[ée]|intitul[ée]|appel[ée]|nomm[ée])e?s?\s+)?"
    r"(?:(?P<italic>\*([^*\n]{3,120})\*|<i>([^<\n]{3,120})</i>)|(?:d[ée]di[ée]e?s?\s+(?:à|aux)\s+(?:l['’]|la\s+|le\s+|les\s+)?"
    r"(?P<dedicated>[^,.;:()\n]{3,80})))"
)
_DEDICATED_STOP = re.compile(r"(?i)\s+(?:durant|pendant|pour|afin|dans|qui|sur|lors|avec|au sein)\b.*$")
_NAMED = re.compile(rf"\b(?:[Dd]ispositifs?|[Pp]rogrammes?)\s+(?P<name>[{_UP}][\w’'&\-]+)")
# domain vocabulary for dispositifs named without capitals
_COMMON = tuple(
    (re.compile(pattern), label)
    for pattern, label in (
        (rf"\bstages?\s+d'observation(?:\s+(?:en\s+classe\s+de|de|en)\s+{_THIRD})?", "stage d'observation"),
        (r"\bimmersions?\s+(?:professionnelles?\s+)?d'enseignants?\b", "immersion d'enseignants"),
        (r"\bp[ée]riodes?\s+de\s+formation\s+en\s+milieu\s+professionnel\b|\bpfmp\b", "PFMP"),
        (r"\bp[ôo]les?\s+de\s+stages?\b", "pôle de stages"),
    )
)
_ALL_CAPS_WORDS = re.compile(rf"^[{_UP}0-9\W]+$")


def _is_capitalised(token: str) -> bool:
    return bool(token) and (token[0].isupper() or token[0].isdigit())


def _sentence_initial(text: str, start: int) -> bool:
    """True when a capital at ``start`` may only be a sentence's or a heading's (not a name's)."""
    before = text[max(0, start - 120) : start].rstrip(' \t*_«"“')
    if not before.strip():
        return True
    if before.endswith("\n"):
        line_before = before.rstrip().rsplit("\n", 1)[-1].strip()
        # a soft line wrap keeps the sentence going; a blank line or a finished line does not
        return before.rstrip(" \t").endswith("\n\n") or not line_before or line_before[-1] in ".!?:;"
    line = before.rsplit("\n", 1)[-1]
    if re.fullmatch(r"\s*(?:#{1,6}|[-•·▪✓]|\d+(?:\.\d+)*\.?)\s*", line):
        return True  # the first word of a heading or a list item
    return before[-1] in ".!?:;–—"


def _name_after(text: str, start: int, end: int, keyword_capital: bool) -> tuple[int, bool]:
    """Where a name opened by a keyword at ``start``–``end`` stops, and whether it holds a capital."""
    has_capital = keyword_capital
    last_end = end
    after_connector = False
    count = 0
    tokens = list(_TOKEN.finditer(text, end, min(len(text), end + 160)))
    for index, token in enumerate(tokens):
        if "\n" in text[last_end : token.start()] or count > 10:
            break
        word = token.group(0)
        low = word.lower()
        if word.startswith("("):
            if re.search(r"[A-Z]{2}", word):
                last_end, has_capital = token.end(), True
            break
        if word in _DASHES:
            following = tokens[index + 1].group(0) if index + 1 < len(tokens) else ""
            if not _is_capitalised(following):
                break  # "Label X – pôle …": a dash goes on only into another name
            after_connector = True
            continue
        if low in _CONNECTORS:
            after_connector = True
            continue
        if count and _KEYWORD.fullmatch(word):
            break  # "le mois de X et la semaine Y": two names
        if not word[0].isalnum():
            break
        following = tokens[index + 1].group(0).lower() if index + 1 < len(tokens) else ""
        if _is_capitalised(word):
            has_capital = True
        elif not (after_connector or (count == 0 and low.endswith(_ADJECTIVE_END)) or following == "et"):
            break
        if after_connector and low in MONTHS and not has_capital:
            break
        last_end = token.end()
        after_connector = False
        count += 1
    return last_end, has_capital


def _key(label: str) -> str:
    words = re.findall(r"\w+", fold(label))
    while words and words[0] in ("le", "la", "les", "l", "un", "une"):
        words = words[1:]
    return " ".join(word.rstrip("s") for word in words)


def _like_party(key: str, party_keys: list[set[str]]) -> bool:
    """True when a quoted name is mostly a party's name (its short name, not a programme)."""
    words = {word for word in key.split() if len(word) > 2 and word not in ("des", "les", "pour", "aux")}
    return bool(words) and any(len(words & party) >= 0.7 * len(words) for party in party_keys)


def _tied_month(folded: str, end: int) -> int | None:
    """The month the text ties to a name ending at ``end``, in the words that follow it (not past another name)."""
    window_end = min(len(folded), end + 60)
    stop = re.search(r"[.;]\s|\n\s*\n|\bet\s+(?:a\s+)?(?:la|le|les|l'|au|aux)\b|«", folded[end:window_end])
    if stop:
        window_end = end + stop.start()
    match = _TIED_MONTH.search(folded, end, window_end)
    return MONTHS.index(match.group(1)) + 1 if match else None


def _clean_label(label: str) -> str:
    label = plain(label).strip(' «»"“”*_-–,;:.')
    return label[0].upper() + label[1:] if label else label


@lru_cache(maxsize=16)
def programme_mentions(text: str, party_names: tuple[str, ...] = ()) -> tuple[tuple[str, int, int, bool], ...]:
    """Named programmes in ``text``: (label, start, end, is_event), in the order of the text."""
    folded = fold(text)
    party_keys = [set(_key(name).split()) for name in party_names if name]
    found: list[tuple[str, int, int, bool]] = []

    def add(label: str, start: int, end: int, event: bool) -> None:
        label = _clean_label(label)
        words = label.split()
        if not label or len(words) > 14:
            return
        common = next((name for rule, name in _COMMON if rule.match(fold(label))), None)
        label = common or label
        if len(words) > 1 and _ALL_CAPS_WORDS.match(label) and not re.search(r"\(", label):
            return  # a shouted heading ("PLAN D'ACTION"), not a name
        if any(s <= start < e or start <= s < end for _, s, e, _ in found):
            return
        found.append((label, start, end, event))

    for match in _QUOTED.finditer(text):
        inner = match.group(1) or match.group(2)
        content = plain(inner)
        before = text[max(0, match.start() - 80) : match.start()]
        line_before = before.rsplit("\n", 1)[-1]
        if _DESIGNATION.search(line_before):
            continue  # "ci-après désignée « X »": a party's short name
        stripped = re.sub(r"^(?:les?|la|l['’])\s+", "", content, flags=re.IGNORECASE)
        named = _PROGRAMME_WORD.search(before[-60:]) is not None
        if not (named or _is_capitalised(stripped) or re.search(r"[A-Z]{2}", content)):
            continue
        if not named and len(content.split()) < 2 and not re.search(r"[A-Z]{2}", content):
            continue
        event = bool(re.match(rf"(?i)(?:{EVENT_WORDS})\b", stripped))
        if not event and _like_party(_key(content), party_keys):
            continue  # the text quoting a party's own name
        add(content, match.start(), match.end(), event)
    for match in _DISPOSITIF.finditer(text):
        if match.group("dedicated"):
            label = _DEDICATED_STOP.sub("", match.group("dedicated")).strip()
            if len(label.split()) >= 2:
                add(label, match.start("dedicated"), match.start("dedicated") + len(label), False)
        else:
            inner = match.group(3) or match.group(4)
            add(inner, match.start("italic"), match.end("italic"), False)
    for match in _NAMED.finditer(text):
        name_start = match.start("name")
        end, _ = _name_after(text, name_start, name_start, True)
        end = max(end, name_start + len(match.group("name").split()[0]))
        add(text[name_start:end], name_start, end, False)
    for match in _KEYWORD.finditer(text):
        capital = match.group(0)[0].isupper() and not _sentence_initial(text, match.start())
        plan = match.group(0).lower() == "plan"
        end, has_capital = _name_after(text, match.start(), match.end(), capital and not plan)
        if not has_capital or end == match.end():
            continue
        add(text[match.start() : end], match.start(), end, bool(match.group("event")))
    for rule, label in _COMMON:
        for match in rule.finditer(folded):
            if not any(s <= match.start() < e for _, s, e, _ in found):
                found.append((label, match.start(), match.end(), False))
    found.sort(key=lambda item: item[1])
    return tuple(found)


def programmes_in(document: Document, found: Findings, start: int, end: int) -> list[str]:
    """The programme labels named in ``text[start:end]``, each once."""
    labels: list[str] = []
    for label, s, e, _ in programme_mentions(document.text.text, _party_names(found)):
        if s >= start and e <= end and label not in labels:
            labels.append(label)
    return labels


def _party_names(found: Findings) -> tuple[str, ...]:
    names: list[str] = []
    for party in found.get("parties") or []:
        if isinstance(party, dict):
            names.extend(str(party.get(key)) for key in ("name", "acronym") if party.get(key))
    return tuple(names)


# The contract (contract.md) names this list ``events``, but the terms engine's input already
# gives ``events`` another meaning (notice given, renewal…): the lead is to settle the name.
EVENTS_KEY = "yearly_events"

# ---------------------------------------------------------------------------------------------
# Governance rhythms.

_STEERING = re.compile(
    r"comite\s+(?:de\s+)?(?:pilotage|suivi)|groupe\s+de\s+(?:pilotage|suivi)|instance\s+de\s+(?:pilotage|suivi)"
    r"|\bcopil\b|reunion\s+annuelle|se\s+reuni(?:r|ra|ront|ssent|t)\b|bilan\s+annuel"
)
_YEARLY = re.compile(
    r"une\s+fois\s+par\s+an\b|\bannuellement\b|chaque\s+annee|tous\s+les\s+ans|une\s+fois\s+l'an"
    r"|reunion\s+annuelle|au\s+moins\s+une\s+fois\s+par\s+(?:annee|an)\b|\bannuel(?:le)?\b"
)
_MEETING = re.compile(r"reuni|reunion|comite|groupe\s+de\s+pilotage|\bcopil\b|se\s+retrouve")
_CONTACT_LIST = re.compile(r"contacts?|coordonnees|correspondants|interlocuteurs|annuaire")
_EXCHANGE = re.compile(r"echange|transmett|communiqu|actualis|mett(?:ent|ront)\s+a\s+jour|transmission")


def _governance(document: Document, found: Findings) -> None:
    text = document.text.text
    folded = fold(text)
    structure = structure_of(document)
    steering: tuple[int, int, int | None] | None = None
    exchange: tuple[int, int, int] | None = None
    for unit in units(text, 0, len(text), heading_spans(structure)):
        sentence = folded[unit.start : unit.end]
        if steering is None and _STEERING.search(sentence) and _YEARLY.search(sentence) and _MEETING.search(sentence):
            month = _MONTH.search(sentence)
            steering = (unit.start, unit.end, MONTHS.index(month.group(1)) + 1 if month else None)
        if exchange is None and _CONTACT_LIST.search(sentence) and _EXCHANGE.search(sentence):
            month = _MONTH.search(sentence)
            if month:
                exchange = (unit.start, unit.end, MONTHS.index(month.group(1)) + 1)
    if steering:
        found.set("steering_committee", True, start=steering[0], end=steering[1], confidence=0.85)
        if steering[2]:
            found.set("steering_committee_month", steering[2], start=steering[0], end=steering[1], confidence=0.8)
        else:
            found.set("steering_committee_month", None)
    else:
        found.set("steering_committee", None)
        found.set("steering_committee_month", None)
    if exchange:
        found.set("contact_exchange_month", exchange[2], start=exchange[0], end=exchange[1], confidence=0.85)
    else:
        found.set("contact_exchange_month", None)


def read(document: Document, found: Findings) -> None:
    """Record the named programmes and events (with a month when tied), the publics, the rhythms."""
    text = document.text.text
    folded = fold(text)
    programmes: list[dict] = []
    events: list[dict] = []
    spans: list[tuple[int, int]] = []
    event_spans: list[tuple[int, int]] = []
    keys: dict[str, int] = {}
    for label, start, end, event in programme_mentions(text, _party_names(found)):
        key = _key(label)
        month = _tied_month(folded, end)
        # the same name written longer or shorter ("Club X" / "Club X Y", "Z" / "Z (ACR)")
        known = next((k for k in keys if k == key or k.startswith(key + " ") or key.startswith(k + " ")), None)
        if known is not None:
            key = known
            entry = programmes[keys[key]]
            if entry["month"] is None and month:
                entry["month"] = month
                for item in events:
                    if _key(item["name"]) == key:
                        item["month"] = month
            continue
        keys[key] = len(programmes)
        programmes.append({"label": label, "month": month})
        spans.append((start, end))
        if event:
            events.append({"name": label, "month": month})
            event_spans.append((start, end))
    found.set("programmes", programmes)
    for index, (start, end) in enumerate(spans):
        found.set(f"programmes.{index}.label", programmes[index]["label"], start=start, end=end, confidence=0.7)
    found.set(EVENTS_KEY, events)
    for index, (start, end) in enumerate(event_spans):
        found.set(f"{EVENTS_KEY}.{index}.name", events[index]["name"], start=start, end=end, confidence=0.7)
    audiences: list[str] = []
    for label, start, end in audience_mentions(text):
        if label not in audiences:
            found.set(f"audiences.{len(audiences)}", label, start=start, end=end, confidence=0.8)
            audiences.append(label)
    found.set("audiences", audiences)
    _governance(document, found)
