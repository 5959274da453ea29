"""The convention's term: start, duration, renewal, provisional extension, notice and how termination takes effect.

Every value comes from a sentence whose subject is the convention (not a placement, an
immersion or a training session); conflicting statements leave the value empty with their
candidates.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from partenariats.reader.model import Candidate, Document, Findings
from partenariats.reader.numbers import word_to_int

_MONTHS = {
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
}
_MONTH = "|".join(_MONTHS)
_DATE = (
    rf"(?:(?P<day>\d{{1,2}})\s*(?:er|ER)?\s+(?P<month>{_MONTH})\s+(?P<year>\d{{4}})|"
    r"(?P<nday>\d{1,2})[/.](?P<nmonth>\d{1,2})[/.](?P<nyear>\d{4}))"
)

# Sentences: after ". ! ? ;" and at blank lines before a capital (OCR keeps hard line wraps inside sentences).
_BOUNDARY = re.compile(r"(?<=[.!?;])\s+|\n[ \t]*\n(?=\s*[A-ZÀ-Ý#*«•\-])")
# A quantity of time: "cinq ans", "24 mois", "trois (3) mois", "un an", "une année".
_QUANTITY = re.compile(
    r"\b(?P<n>\d{1,3}|[a-zéèêîôûç]+(?:[-\s][a-zéèêîôûç]+){0,2})\s*(?:\(\s*\d{1,3}\s*\)\s*)?"
    r"(?P<unit>ans|an|années|année|mois|jours|jour|semaines|semaine)\b",
    re.IGNORECASE,
)
_DURATION_CUE = re.compile(
    r"\b(?:(?:pour|sur)\s+une\s+(?:durée|période)|d['’]une\s+durée|une\s+durée|durée\s+(?:initiale\s+)?(?:de|d['’])|"
    r"(?:conclue?|signée?|passée?|établie?|consentie?|valable|prévue?)\s+pour|valable(?:\s+pendant)?|"
    r"durée\s+(?:de\s+validité\s+|de\s+la\s+(?:présente\s+)?convention\s+)?(?:est\s+)?(?:fixée|portée)\s+à)",
    re.IGNORECASE,
)
_INDEFINITE = re.compile(r"durée\s+(?:indéterminée|illimitée)|sans\s+limitation\s+de\s+durée", re.IGNORECASE)
# The convention as the subject of a sentence, and the other things that also last ("un stage d'une durée de…").
_SUBJECT = re.compile(
    r"\b(?:convention|accord|partenariat|contrat|protocole|présente|charte)\b|^\W*(?:elle|il)\b", re.IGNORECASE
)
_DECOY = re.compile(
    r"\b(?:stages?|immersions?|séquences?|formations?|actions?|missions?|mandats?|séjours?|visites?|interventions?|"
    r"accueils?|apprentissage|sessions?|modules?|ateliers?|projets?|manifestations?|salons?|opérations?|"
    r"dispositifs?|journées?|périodes?\s+(?:de\s+formation|d['’]observation|d['’]immersion|d['’]essai)|"
    r"réunions?|comités?|membres?|emplois?|recrutements?|évaluations?|données|conservation)\b",
    re.IGNORECASE,
)
_TERM_HEADING = re.compile(r"durée|validité|effet|vigueur|terme|échéance", re.IGNORECASE)

_START_SIGNATURE = re.compile(
    r"(?:à\s+compter|à\s+partir|dès|à|le\s+jour|au\s+jour)\s*(?:de\s+|du\s+|d['’])?(?:la\s+|sa\s+|leur\s+)?"
    r"(?:date\s+|jour\s+)?(?:de\s+|d['’])?(?:la\s+|sa\s+|leur\s+)?(?:dernière\s+)?signature",
    re.IGNORECASE,
)
_START_DATE = re.compile(
    r"(?:(?:à\s+compter|à\s+partir|rétroactivement)\s+(?:du|au)|(?:prend|prendra)\s+effet\s+(?:rétroactivement\s+)?"
    rf"(?:le|au|à\s+compter\s+du)|entre(?:ra)?\s+en\s+vigueur\s+(?:rétroactivement\s+)?(?:le|au))\s+{_DATE}",
    re.IGNORECASE,
)
_START_VERB = re.compile(r"compter|partir|effet|vigueur|court|débute", re.IGNORECASE)

_TACIT = re.compile(
    r"tacite(?:ment)?\s+reconduit\w*|reconduit\w*\s+tacitement|tacite\s+reconduction|reconduction\s+tacite|"
    r"renouvel\w*\s+tacitement|tacitement\s+renouvel\w*|renouvellement\s+tacite|d['’]année\s+en\s+année|"
    # "ne se renouvelle pas tacitement", "n'est pas reconductible tacitement": the negation sits inside.
    r"(?:renouvel|reconduct|reconduit)\w*\s+(?P<inner>pas|plus|jamais)\s+tacitement",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:ne|pas|aucune?|exclu\w*|non|jamais|nullement|interdit\w*)\b|\bn['’]|\bsans\s+(?:\w+\s+)?$", re.IGNORECASE
)
_EXPRESS_RENEWAL = re.compile(
    r"(?:renouvel\w*|reconduit\w*|reconduction|prorog\w*)[^.;]{0,80}?(?:que\s+)?(?:par\s+(?:voie\s+d['’])?(?:un\s+)?avenant|"
    r"(?:par|dans\s+le\s+cadre\s+d['’]une|sous\s+la\s+forme\s+d['’]une|fera\s+l['’]objet\s+d['’]une)\s+nouvelle\s+convention|"
    r"(?:de\s+manière|de\s+façon|à\s+titre)\s+express\w*|expressément)|reconduction\s+express\w*|non\s+renouvelable|"
    r"(?:nouvelle\s+convention|avenant)\s+(?:sera|devra)\s+(?:être\s+)?(?:signé|conclu|établi)\w*\s+pour\s+(?:la\s+)?(?:renouveler|reconduire|prolonger)",
    re.IGNORECASE,
)
_RENEWAL_WORD = re.compile(r"renouvel\w*|reconduit\w*|reconduction|reconduire|prorog\w*", re.IGNORECASE)
_NON_RENEWAL = re.compile(
    r"ne\s+pas\s+(?:la\s+)?(?:reconduire|renouveler)|non[-\s](?:reconduction|renouvellement)", re.I
)
_SAME_LENGTH = re.compile(r"(?:même|identique|égale)\s+durée|durées?\s+identiques?|périodes?\s+identiques?", re.I)

_PROVISIONAL = re.compile(
    r"(?:demeur|rest)\w*\s+(?:en\s+vigueur|applicables?)|à\s+titre\s+provisoire|prorog\w+|prolong\w+", re.IGNORECASE
)
_NEGOTIATION = re.compile(r"négociation|renégoci\w+|renouvellement|nouvelle\s+convention|reconduction", re.IGNORECASE)
_PROVISIONAL_LIMIT = re.compile(
    r"(?:limite|maximale?|maximum|plus|pendant|durant|excéder|dépasser|période|délai)\s+(?:de\s+|d['’])?", re.IGNORECASE
)

_NOTICE = re.compile(
    r"préavis\s+(?:minimum\s+|minimal\s+|écrit\s+)?(?:d['’]au\s+moins\s+|de\s+|d['’]|fixé\s+à\s+)|"
    r"délai\s+de\s+prévenance\s+(?:de\s+|d['’])|"
    r"(?:moyennant|en\s+respectant|avec|sous\s+réserve\s+d['’])\s+un\s+délai\s+(?:minimum\s+)?(?:de\s+|d['’])",
    re.IGNORECASE,
)
# "… (au moins) trois mois avant l'échéance / sa date d'échéance / cette échéance": a notice without the word.
_NOTICE_AFTER = re.compile(
    r"\s*(?:au\s+moins\s+|au\s+minimum\s+|minimum\s+)?(?:de\s+préavis|avant\s+(?:l['’]|la\s+|le\s+|son\s+|sa\s+|"
    r"cette\s+|chaque\s+|leur\s+)?(?:prochaine\s+)?(?:date\s+(?:d['’]|de\s+))?(?:échéance|date|terme|fin|expiration|"
    r"anniversaire|renouvellement|reconduction))",
    re.I,
)
# A sentence that ends the convention (not one that renews it by an express act): only there does a
# deadline "avant l'échéance" count as a notice or say when termination takes effect.
_ENDING = re.compile(
    r"résili\w*|dénon\w*|(?:mettre|met|mettent|mis)\s+fin|prend\w*\s+fin|s['’]oppos\w*|opposition|"
    r"ne\s+pas\s+(?:la\s+|le\s+)?(?:reconduire|renouveler)|non[-\s](?:reconduction|renouvellement)|retrait|"
    r"se\s+retirer|rupture|interrompre",
    re.IGNORECASE,
)
_TERMINATION = re.compile(
    r"résili\w*|dénon\w*|mettre\s+fin|met\s+fin|prendre\s+fin|reconduire|reconduction|retir\w+|retrait|rupture|"
    r"s['’]oppos\w*|opposition|convention|accord",
    re.IGNORECASE,
)
_REGISTERED = re.compile(
    r"(?:lettre|courrier|pli|envoi)\s+recommandée?|recommandée?\s+avec\s+(?:demande\s+d['’])?(?:avis|accusé)\s+de\s+réception|"
    r"\bLRAR\b|\bRAR\b",
    re.IGNORECASE,
)
# "à la rentrée scolaire suivante", "… suivant l'expiration du préavis", "qui suit", "à la prochaine rentrée".
_EFFECT_SCHOOL_YEAR = re.compile(
    r"rentrée\s+(?:scolaire\s+)?(?:suivante?\b|qui\s+suit)|prochaine\s+rentrée(?:\s+scolaire)?", re.I
)
_EFFECT_PERIOD = re.compile(
    r"(?:à|pour)\s+(?:l['’]|la\s+|sa\s+|cette\s+|chaque\s+)?(?:prochaine\s+)?(?:date\s+d['’])?(?:échéance|date\s+anniversaire|"
    r"fin\s+de\s+la\s+période\s+en\s+cours|expiration\s+de\s+la\s+période\s+en\s+cours|"
    r"terme\s+de\s+la\s+période\s+en\s+cours|échéance\s+d['’]une\s+période)|"
    r"avant\s+(?:l['’]|la\s+|le\s+|sa\s+|son\s+|cette\s+|chaque\s+)?(?:date\s+d['’])?(?:échéance|date\s+anniversaire|terme|"
    r"fin\s+de\s+la\s+période)",
    re.IGNORECASE,
)
_EFFECT_NOTICE = re.compile(
    r"(?:à\s+l['’](?:issue|expiration)|au\s+terme|à\s+la\s+fin)\s+d[ue']\s*(?:['’]un\s+|du\s+|ce\s+)?(?:délai\s+(?:de\s+)?)?préavis|"
    r"préavis[^.;]{0,80}?(?:(?:durant|pendant)\s+lequel|au\s+cours\s+duquel)[^.;]{0,120}?(?:demeur|rest)\w*\s+(?:applicables?|en\s+vigueur)|"
    r"préavis[^.;]{0,40}?(?:à\s+l['’]issue|au\s+terme|à\s+l['’]expiration)\s+duquel|"
    r"prend(?:ra)?\s+effet\s+\w+\s+(?:\(\d+\)\s+)?(?:mois|jours)\s+après",
    re.IGNORECASE,
)
_EFFECT_FIXED = re.compile(
    rf"(?:prend(?:ra)?\s+fin|expire(?:ra)?|cesse(?:ra)?\s+(?:de\s+produire\s+ses\s+effets\s+)?)\s+le\s+{_DATE}", re.I
)


# Words without which a sentence says nothing about each key: only those sentences are read closely.
# They are searched in the lower-cased text, without IGNORECASE (much faster on a whole convention).
_ABOUT_DURATION = re.compile(
    r"durée|période|conclu|valable|indétermin|illimit|pour\s+(?:un|une|deux|trois|quatre|cinq|six|dix|douze|\d)\b"
)
_ABOUT_START = re.compile(r"signature|compter|partir|effet|vigueur|rétroactivement")
_ABOUT_RENEWAL = re.compile(r"renouvel|reconduc|reconduit|reconduire|tacite|prorog|année\s+en\s+année")
_ABOUT_PROVISIONAL = re.compile(r"demeur|rest|provisoire|prorog|prolong")
_ABOUT_NOTICE = re.compile(r"préavis|délai|\bavant\b")
_ABOUT_LETTER = re.compile(r"recommand|\blrar\b|\brar\b")
_ABOUT_EFFECT = re.compile(r"rentrée|échéance|anniversaire|en\s+cours|préavis|fin\b|expire|cesse|terme")


# A visa line: "Vu le code de l'éducation ;", "VU la délibération du …".
_VISA = re.compile(r"\s*V[uU]\s+(?:l['’]|la\b|le\b|les\b|ladite\b|ledit\b)")

_TAKES_EFFECT = re.compile(r"(?:prend|prendra|prennent)\s+effet|prise\s+d['’]effet|effective", re.IGNORECASE)


@dataclass
class _Value:
    value: object
    start: int
    end: int
    reason: str = ""


def _sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _count(words: str) -> tuple[int, int] | None:
    """The number at the end of ``words`` ("durée de cinq" → 5) and where it starts in ``words``."""
    parts = list(re.finditer(r"[^\s]+", words))
    for index in range(len(parts)):
        chunk = words[parts[index].start() :]
        value = word_to_int(chunk)
        if value is not None:
            return value, parts[index].start()
    return None


def _months(count: int, unit: str) -> tuple[int | None, str]:
    """A quantity in months; days and weeks only when they make whole months (30 jours → 1)."""
    unit = unit.lower()
    if unit.startswith(("an", "ann")):
        return count * 12, ""
    if unit == "mois":
        return count, ""
    if unit.startswith("jour"):
        if count and count % 30 == 0:
            return count // 30, "converti de jours en mois"
        return None, f"{count} jours : pas un nombre entier de mois"
    if count and count % 4 == 0 and unit.startswith("semaine"):
        return None, f"{count} semaines : pas un nombre entier de mois"
    return None, f"{count} {unit} : unité non convertible en mois"


def _quantity_after(text: str, start: int, limit: int) -> tuple[int, str, int, int] | None:
    """The first "N unit" in ``text[start:limit]``: (count, unit, start, end)."""
    for match in _QUANTITY.finditer(text, start, limit):
        found = _count(match.group("n"))
        if found is None:
            continue
        value, offset = found
        return value, match.group("unit"), match.start("n") + offset, match.end()
    return None


def _about_convention(text: str, sentence_start: int, position: int, heading_label: str) -> bool:
    """Whether the convention is what the words before ``position`` talk about (not a placement or a meeting)."""
    before = text[sentence_start:position]
    subjects = [match.end() for match in _SUBJECT.finditer(before)]
    decoys = [match.end() for match in _DECOY.finditer(before)]
    if subjects:
        return not decoys or max(decoys) < max(subjects)
    return not decoys and bool(_TERM_HEADING.search(heading_label))


def _parse_date(match: re.Match) -> str | None:
    if match.group("day"):
        day, month, year = int(match.group("day")), _MONTHS[match.group("month").lower()], int(match.group("year"))
    elif match.group("nday"):
        day, month, year = int(match.group("nday")), int(match.group("nmonth")), int(match.group("nyear"))
    else:
        return None
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


class _Reader:
    def __init__(self, document: Document, found: Findings):
        self.document = document
        self.found = found
        self.text = document.text.text
        self.sentences = _sentences(self.text)
        self.sentence_starts = [start for start, _ in self.sentences]
        lower = self.text.lower()
        # Lower-casing keeps offsets except for rare letters ("İ"): then search the text as it is.
        self.lower = lower if len(lower) == len(self.text) else self.text

    def about(self, pattern: re.Pattern) -> list[tuple[int, int]]:
        """The sentences where ``pattern`` occurs, in order (one scan of the text, not one per sentence).

        Visas ("Vu la convention … conclue pour une durée de cinq ans ;") cite other texts: never read here.
        """
        chosen: list[int] = []
        for match in pattern.finditer(self.lower):
            index = bisect.bisect_right(self.sentence_starts, match.start()) - 1
            if index >= 0 and (not chosen or chosen[-1] != index):
                if _VISA.match(self.text, self.sentences[index][0]):
                    continue
                chosen.append(index)
        return [self.sentences[index] for index in chosen]

    def heading_label(self, offset: int) -> str:
        labels = []
        for heading in self.document.structure.walk():
            if heading.start <= offset < heading.body_end:
                labels.append(heading.label)
        return " ".join(labels)

    def settle(self, path: str, values: list[_Value], reason: str, *, confidence: float = 0.9, flag: str | None = None):
        """Record the value when all readings agree; otherwise leave it empty with the readings as candidates."""
        distinct = []
        for item in values:
            if item.value not in [other.value for other in distinct]:
                distinct.append(item)
        if not values:
            return None
        if len(distinct) > 1:
            self.found.doubt(
                path, reason, [Candidate(item.value, item.reason or reason, item.start, item.end) for item in distinct]
            )
            return None
        item = values[0]
        self.found.set(path, item.value, start=item.start, end=item.end, confidence=confidence, flag=flag)
        return item.value

    # ------------------------------------------------------------ duration and start

    def duration(self) -> int | None:
        text = self.text
        readings: list[_Value] = []
        indefinite: list[_Value] = []
        for start, end in self.about(_ABOUT_DURATION):
            sentence = text[start:end]
            label = None
            for match in _INDEFINITE.finditer(sentence):
                label = self.heading_label(start) if label is None else label
                if _about_convention(text, start, start + match.start(), label):
                    indefinite.append(_Value(True, start + match.start(), start + match.end()))
            renewal = _RENEWAL_WORD.search(sentence)
            negotiation = _NEGOTIATION.search(sentence)
            for match in _DURATION_CUE.finditer(sentence):
                cue = start + match.start()
                # A length after "renouvelable"/"négociation" is the renewal's or the extension's, not the term's.
                if (renewal and renewal.start() < match.start()) or (
                    negotiation and negotiation.start() < match.start()
                ):
                    continue
                if re.search(r"préavis|délai", sentence[max(0, match.start() - 30) : match.start()], re.I):
                    continue
                provisional = _PROVISIONAL.search(sentence)
                if (provisional and provisional.start() < match.start()) or re.match(
                    r"\s*(?:maximale?|maximum|minimale?)", sentence[match.end() :], re.I
                ):
                    continue  # "demeure applicable pour une durée maximale de six mois": the extension
                quantity = _quantity_after(text, start + match.end(), min(end, start + match.end() + 40))
                if quantity is None:
                    continue
                count, unit, q_start, q_end = quantity
                if text[start + match.end() : q_start].count(" ") > 4:
                    continue
                label = self.heading_label(start) if label is None else label
                if not _about_convention(text, start, cue, label):
                    continue
                months, _ = _months(count, unit)
                if months is None or months == 0:
                    continue
                readings.append(_Value(months, cue, q_end, f"durée de {count} {unit}"))
                break
        if indefinite and readings:
            self.found.doubt(
                "terms.duration_months",
                "durée déterminée et indéterminée à la fois",
                [Candidate(item.value, item.reason, item.start, item.end) for item in readings],
            )
            self.found.doubt(
                "terms.indefinite",
                "durée déterminée et indéterminée à la fois",
                [Candidate(True, "durée indéterminée", item.start, item.end) for item in indefinite],
            )
            return None
        if indefinite:
            self.settle("terms.indefinite", indefinite, "durée indéterminée")
            return None
        return self.settle("terms.duration_months", readings, "durées contradictoires")

    def start(self, duration_spans: list[tuple[int, int]]) -> None:
        text = self.text
        readings: list[_Value] = []
        for start, end in self.about(_ABOUT_START):
            sentence = text[start:end]
            label = None
            for pattern, kind in ((_START_DATE, "date"), (_START_SIGNATURE, "signature")):
                for match in pattern.finditer(sentence):
                    if kind == "signature" and not (
                        _START_VERB.search(sentence[: match.start() + 12]) or _DURATION_CUE.search(sentence)
                    ):
                        continue  # "…signés à la signature" without a term: not the start
                    label = self.heading_label(start) if label is None else label
                    if not _about_convention(text, start, start + match.start(), label):
                        continue
                    value = "signature" if kind == "signature" else _parse_date(match)
                    if value is None:
                        continue
                    readings.append(_Value(value, start + match.start(), start + match.end(), "point de départ"))
        self.settle("terms.start", readings, "points de départ contradictoires")

    # ------------------------------------------------------------ renewal and extension

    def renewal(self, duration: int | None) -> None:
        text = self.text
        tacit: list[_Value] = []
        express: list[_Value] = []
        lengths: list[_Value] = []
        same_length = False
        ambiguous: list[_Value] = []
        for start, end in self.about(_ABOUT_RENEWAL):
            sentence = text[start:end]
            found_here = False
            for match in _TACIT.finditer(sentence):
                before = sentence[max(0, match.start() - 60) : match.start()]
                clause = re.split(r"[,:]", before)[-1]
                if (
                    match.group("inner")
                    or _NEGATION.search(clause)
                    or _NEGATION.search(sentence[match.end() : match.end() + 3])
                ):
                    express.append(
                        _Value(False, start + match.start(), start + match.end(), "reconduction tacite exclue")
                    )
                else:
                    tacit.append(_Value(True, start + match.start(), start + match.end(), "reconduction tacite"))
                    verb = _RENEWAL_WORD.search(sentence) or match
                    tail_start = start + min(verb.start(), match.start())
                    if re.search(r"année\s+en\s+année", match.group(0), re.I):
                        lengths.append(_Value(12, start + match.start(), start + match.end()))
                    for cue in re.finditer(
                        r"(?:pour|par)\s+(?:une|des|de)?\s*(?:nouvelles?\s+)?(?:durées?|périodes?)"
                        r"(?:\s+successives?)?(?:\s+(?:de|d['’]))?|pour\s+(?=\w+\s+ans?\b|\w+\s+mois\b)",
                        text[tail_start:end],
                        re.I,
                    ):
                        quantity = _quantity_after(text, tail_start + cue.end(), min(end, tail_start + cue.end() + 30))
                        if quantity:
                            months, _ = _months(quantity[0], quantity[1])
                            if months:
                                lengths.append(_Value(months, tail_start + cue.start(), quantity[3]))
                                break
                    if _SAME_LENGTH.search(sentence):
                        same_length = True
                found_here = True
            for match in _EXPRESS_RENEWAL.finditer(sentence):
                express.append(_Value(False, start + match.start(), start + match.end(), "renouvellement exprès"))
                found_here = True
            if not found_here:
                word = _RENEWAL_WORD.search(sentence)
                if (
                    word
                    and not _NON_RENEWAL.search(sentence)
                    and not _NEGOTIATION.search(sentence[: word.start()])
                    and _about_convention(text, start, start + word.start(), self.heading_label(start))
                ):
                    ambiguous.append(_Value(None, start + word.start(), start + word.end()))
        if tacit and express:
            self.found.doubt(
                "terms.tacit_renewal",
                "reconduction tacite à la fois prévue et exclue",
                [Candidate(item.value, item.reason, item.start, item.end) for item in tacit + express],
            )
            return
        if express:
            self.settle("terms.tacit_renewal", express, "reconduction")
            return
        if not tacit:
            if ambiguous:
                self.found.doubt(
                    "terms.tacit_renewal",
                    "reconduction non précisée",
                    [Candidate(None, "reconduction non précisée", item.start, item.end) for item in ambiguous[:3]],
                )
            return
        self.settle("terms.tacit_renewal", tacit, "reconduction")
        if lengths:
            self.settle("terms.renewal_months", lengths, "durées de reconduction contradictoires")
        elif duration is not None:
            first = tacit[0]
            flag = "même durée que la durée initiale" if same_length else "déduit de la durée initiale"
            self.found.set(
                "terms.renewal_months", duration, start=first.start, end=first.end, confidence=0.7, flag=flag
            )

    def provisional(self) -> None:
        text = self.text
        readings: list[_Value] = []
        for start, end in self.about(_ABOUT_PROVISIONAL):
            sentence = text[start:end]
            keep = _PROVISIONAL.search(sentence)
            # The renegotiation may be named in the clause before ("… sa renégociation ; pendant celle-ci, …").
            index = bisect.bisect_right(self.sentence_starts, start) - 1
            context_start = self.sentences[index - 1][0] if index > 0 else start
            if not keep or not _NEGOTIATION.search(text, context_start, end):
                continue
            if re.search(r"préavis", sentence[: keep.start()], re.I):
                # "préavis … durant lequel les dispositions demeurent applicables": the notice, not an extension
                continue
            for cue in _PROVISIONAL_LIMIT.finditer(sentence):
                quantity = _quantity_after(text, start + cue.end(), min(end, start + cue.end() + 30))
                if quantity is None:
                    continue
                months, _ = _months(quantity[0], quantity[1])
                if months:
                    readings.append(_Value(months, start + keep.start(), quantity[3], "prolongation provisoire"))
                    break
        self.settle("terms.provisional_extension_months", readings, "prolongations contradictoires")

    # ------------------------------------------------------------ termination

    def notice(self) -> bool:
        text = self.text
        readings: list[_Value] = []
        found_any = False
        for start, end in self.about(_ABOUT_NOTICE):
            sentence = text[start:end]
            if not _TERMINATION.search(sentence):
                continue
            for match in _NOTICE.finditer(sentence):
                quantity = _quantity_after(text, start + match.end(), min(end, start + match.end() + 30))
                if quantity is None:
                    continue
                found_any = True
                months, why = _months(quantity[0], quantity[1])
                reading = _Value(months, start + match.start(), quantity[3], why or "préavis")
                if months is None:
                    self.found.doubt("terms.notice_months", why, [Candidate(None, why, reading.start, reading.end)])
                    continue
                readings.append(reading)
            # "… au moins trois mois avant l'échéance": a notice without the word.
            ending = _ENDING.search(sentence)
            for match in _QUANTITY.finditer(sentence):
                after = _NOTICE_AFTER.match(sentence, match.end())
                if not after or any(item.start <= start + match.start() < item.end for item in readings):
                    continue
                if not ending and "préavis" not in after.group(0).lower():
                    continue  # "chaque renouvellement … un mois avant l'échéance": a deadline, not a notice
                counted = _count(match.group("n"))
                if counted is None:
                    continue
                months, why = _months(counted[0], match.group("unit"))
                if months:
                    found_any = True
                    readings.append(_Value(months, start + match.start(), start + after.end(), "préavis"))
        self.settle("terms.notice_months", readings, "préavis contradictoires")
        return found_any

    def registered_letter(self) -> None:
        readings = []
        for start, end in self.about(_ABOUT_LETTER):
            sentence = self.text[start:end]
            if not _TERMINATION.search(sentence) and "préavis" not in sentence.lower():
                continue
            for match in _REGISTERED.finditer(sentence):
                readings.append(_Value(True, start + match.start(), start + match.end(), "lettre recommandée"))
        if readings:
            self.settle("terms.notice_by_registered_letter", readings[:1], "lettre recommandée")

    def effect(self, has_notice: bool) -> None:
        text = self.text
        readings: list[_Value] = []
        fixed_dates: list[_Value] = []
        notice_spans: list[tuple[int, int]] = []
        other_effect = False
        for start, end in self.about(_ABOUT_EFFECT):
            sentence = text[start:end]
            termination = _TERMINATION.search(sentence) or re.search(r"fin|terme|préavis", sentence, re.I)
            if not termination:
                continue
            for match in _EFFECT_SCHOOL_YEAR.finditer(sentence):
                readings.append(_Value("next_school_year_start", start + match.start(), start + match.end(), "rentrée"))
            for match in _EFFECT_PERIOD.finditer(sentence):
                if not _ENDING.search(sentence) and not re.search(r"préavis", sentence, re.I):
                    # "toute modification proposée avant son échéance", "chaque renouvellement … un mois avant
                    # l'échéance", "renouvelée à son échéance": nothing ends there.
                    continue
                readings.append(_Value("end_of_period", start + match.start(), start + match.end(), "échéance"))
            for match in _EFFECT_NOTICE.finditer(sentence):
                readings.append(_Value("end_of_notice", start + match.start(), start + match.end(), "fin du préavis"))
            for match in _EFFECT_FIXED.finditer(sentence):
                date = _parse_date(match)
                if date and _about_convention(text, start, start + match.start(), self.heading_label(start)):
                    readings.append(_Value("fixed_date", start + match.start(), start + match.end(), "date fixe"))
                    fixed_dates.append(_Value(date, start + match.start(), start + match.end(), "date de fin"))
            if "préavis" in sentence.lower():
                notice_spans.append((start, end))
            if _TAKES_EFFECT.search(sentence):
                other_effect = True  # an effect worded otherwise ("à la fin de l'année scolaire"): not ours to guess
        if readings:
            value = self.settle("terms.termination_effect", readings, "effets de la résiliation contradictoires")
            if value == "fixed_date":
                self.settle("terms.termination_date", fixed_dates, "dates de fin contradictoires")
            return
        if has_notice and self.found.get("terms.notice_months") is not None and notice_spans and not other_effect:
            # A notice with nothing else said: termination takes effect when the notice runs out.
            start, end = notice_spans[0]
            self.found.set(
                "terms.termination_effect",
                "end_of_notice",
                start=start,
                end=end,
                confidence=0.7,
                flag="déduit du préavis",
            )


def read(document: Document, found: Findings) -> None:
    """All ``terms.*`` keys, each from a sentence about the convention itself; silence leaves None."""
    reader = _Reader(document, found)
    duration = reader.duration()
    reader.start([])
    reader.renewal(duration)
    reader.provisional()
    has_notice = reader.notice()
    reader.registered_letter()
    reader.effect(has_notice)
