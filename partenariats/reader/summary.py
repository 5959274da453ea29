"""A reading said in French for a person: the summary ``partenariats read FILE`` prints.

It works on the contract (``Reading.as_contract()``, or the same JSON read back), so every
key is optional; a value the reader left empty is said to be "non précisé(e)", never guessed.
"""

from __future__ import annotations

from typing import Any

from partenariats.core.text import FRENCH_MONTHS as MONTHS

KINDS = {
    "education": "éducation",
    "employer_org": "organisation patronale",
    "chamber": "chambre consulaire",
    "company": "entreprise",
    "association": "association",
    "public_body": "organisme public",
    "other": "autre",
}

EFFECTS = {
    "end_of_notice": "à la fin du préavis",
    "end_of_period": "à l'échéance de la période en cours",
    "next_school_year_start": "à la rentrée scolaire suivante",
}

# Key paths as a reviewer names them (the doubts' and warnings' paths).
LABELS = {
    "title": "Titre",
    "signature_place": "Lieu de signature",
    "signature_date": "Date de signature",
    "originals": "Exemplaires originaux",
    "parent": "Convention cadre",
    "articles": "Articles",
    "terms.start": "Point de départ",
    "terms.duration_months": "Durée",
    "terms.indefinite": "Durée indéterminée",
    "terms.tacit_renewal": "Reconduction tacite",
    "terms.renewal_months": "Durée de reconduction",
    "terms.provisional_extension_months": "Prolongation pendant la renégociation",
    "terms.notice_months": "Préavis",
    "terms.notice_by_registered_letter": "Lettre recommandée",
    "terms.termination_effect": "Effet de la résiliation",
    "terms.termination_date": "Date de fin",
}
ITEM_LABELS = {
    "parties": "Partie",
    "signatures": "Signataire",
    "commitments": "Engagement",
    "contacts": "Contact",
    "actions": "Action",
}
SUB_LABELS = {
    "name": "nom",
    "kind": "nature",
    "representative": "représentant",
    "representative_title": "qualité du représentant",
    "address": "adresse",
    "date": "date",
    "title": "qualité",
    "party": "partie",
    "text": "texte",
}


def french_date(value: Any) -> str:
    """ "2021-03-18" → "18 mars 2021", "2018-05" → "mai 2018", "2022-09-01" → "1er septembre 2022"."""
    if not isinstance(value, str):
        return str(value)
    parts = value.split("-")
    try:
        numbers = [int(part) for part in parts]
    except ValueError:
        return value
    if len(numbers) == 2 and 1 <= numbers[1] <= 12:
        return f"{MONTHS[numbers[1] - 1]} {numbers[0]}"
    if len(numbers) == 3 and 1 <= numbers[1] <= 12:
        day = "1er" if numbers[2] == 1 else str(numbers[2])
        return f"{day} {MONTHS[numbers[1] - 1]} {numbers[0]}"
    return value


def french_months(months: int) -> str:
    """24 → "2 ans", 12 → "1 an", 18 → "18 mois"."""
    if months % 12 == 0:
        years = months // 12
        return f"{years} an" if years == 1 else f"{years} ans"
    return f"{months} mois"


def path_label(path: str) -> str:
    """A key path in words: "parties.1.representative" → "Partie 2 — représentant"."""
    if path in LABELS:
        return LABELS[path]
    parts = path.split(".")
    if len(parts) >= 2 and parts[0] in ITEM_LABELS and parts[1].isdigit():
        label = f"{ITEM_LABELS[parts[0]]} {int(parts[1]) + 1}"
        if len(parts) > 2:
            label += " — " + SUB_LABELS.get(parts[2], parts[2])
        return label
    return path


def _or_unknown(value: Any, feminine: bool = False) -> str:
    if value is None or value == "":
        return "non précisée" if feminine else "non précisé"
    return str(value)


def term_lines(terms: dict[str, Any]) -> list[str]:
    """The terms, one French sentence each ("Durée : 5 ans à compter de la signature")."""
    start = terms.get("start")
    if start == "signature":
        since = " à compter de la signature"
    elif start:
        since = f" à compter du {french_date(start)}"
    else:
        since = ""
    if terms.get("indefinite"):
        duration = "indéterminée" + since
    elif isinstance(terms.get("duration_months"), int):
        duration = french_months(terms["duration_months"]) + since
    else:
        duration = "non précisée" + (f" (départ{since.replace(' à compter', '')})" if since else "")
    lines = [f"Durée : {duration}"]

    renewal = terms.get("tacit_renewal")
    if renewal is True:
        months = terms.get("renewal_months")
        lines.append(
            "Reconduction tacite : oui"
            + (f", par périodes de {french_months(months)}" if isinstance(months, int) else "")
        )
    elif renewal is False:
        lines.append("Reconduction tacite : non (renouvellement par avenant ou nouvelle convention)")
    else:
        lines.append("Reconduction tacite : non précisée")

    extension = terms.get("provisional_extension_months")
    if isinstance(extension, int):
        lines.append(f"Prolongation pendant la renégociation : {french_months(extension)} au plus")

    notice = terms.get("notice_months")
    registered = ", par lettre recommandée" if terms.get("notice_by_registered_letter") else ""
    if isinstance(notice, int):
        lines.append(f"Préavis : {french_months(notice)}{registered}")
    else:
        lines.append(f"Préavis : non précisé{registered}")

    effect = terms.get("termination_effect")
    if effect == "fixed_date":
        lines.append(f"Effet de la résiliation : le {french_date(terms.get('termination_date'))}")
    else:
        lines.append(f"Effet de la résiliation : {EFFECTS.get(effect, _or_unknown(effect))}")
    return lines


def _party_line(index: int, party: dict[str, Any]) -> str:
    line = f"  {index + 1}. {party.get('name') or '(nom non lu)'}"
    kind = party.get("kind")
    if kind:
        line += f" ({KINDS.get(kind, kind)})"
    representative = party.get("representative")
    title = party.get("representative_title")
    if representative or title:
        line += f" — représentant : {representative or '(nom non lu)'}"
        if title:
            line += f", {title}"
    if party.get("address"):
        line += f" — {party['address']}"
    if party.get("siret"):
        line += f" — SIRET {party['siret']}"
    return line


def _signature_line(signature: dict[str, Any], parties: list[Any]) -> str:
    line = f"  - {signature.get('name') or '(nom non lu)'}"
    if signature.get("title"):
        line += f", {signature['title']}"
    party = signature.get("party")
    if isinstance(party, int) and 0 <= party < len(parties) and isinstance(parties[party], dict):
        line += f" (pour {parties[party].get('name')})"
    elif "party" in signature and party is None:
        line += " (cosignataire, pas une partie)"
    date, raw = signature.get("date"), signature.get("raw")
    if date:
        line += f" : {french_date(date)}"
        if raw and signature.get("precision") != "day":
            line += f" (écrit « {raw} »)"
    elif raw:
        line += f" : date illisible « {raw} »"
    else:
        line += " : date non renseignée"
    return line


def _shown(value: Any) -> str:
    if value is None:
        return "(vide)"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, str) and len(value) > 80:
        return f"« {value[:77]}… »"
    return f"« {value} »" if isinstance(value, str) else str(value)


def summarise(contract: dict[str, Any]) -> str:
    """The reading in French, section by section, ending with what the reviewer must check."""
    lines = [f"Titre : {contract.get('title') or 'non trouvé'}"]
    source = contract.get("source") or {}
    if source:
        pages = source.get("pages")
        ocr = source.get("ocr_pages") or 0
        described = f"Source : {source.get('kind', '?')}, {pages} page{'s' if pages > 1 else ''}"
        if ocr:
            described += f" (dont {ocr} lue{'s' if ocr > 1 else ''} par reconnaissance de caractères)"
        lines.append(described)

    parties = [party for party in contract.get("parties") or [] if isinstance(party, dict)]
    lines.append("")
    lines.append(f"Parties ({len(parties)}) :" if parties else "Parties : aucune trouvée")
    lines.extend(_party_line(index, party) for index, party in enumerate(parties))

    signatures = [signature for signature in contract.get("signatures") or [] if isinstance(signature, dict)]
    lines.append("")
    lines.append(f"Signataires ({len(signatures)}) :" if signatures else "Signataires : aucun trouvé")
    lines.extend(_signature_line(signature, parties) for signature in signatures)
    lines.append(f"Lieu de signature : {_or_unknown(contract.get('signature_place'))}")
    date = contract.get("signature_date")
    lines.append(f"Date de signature : {french_date(date) if date else 'non précisée'}")
    originals = contract.get("originals")
    lines.append(f"Exemplaires originaux : {_or_unknown(originals)}")

    lines.append("")
    lines.extend(term_lines(contract.get("terms") or {}))
    lines.append("")
    lines.append(f"Convention cadre : {contract.get('parent') or 'aucune mentionnée'}")

    articles = contract.get("articles") or []
    lines.append("")
    lines.append(f"Articles ({len(articles)}) :" if articles else "Articles : aucun repéré")
    lines.extend(f"  - {article}" for article in articles)

    counts = []
    for key, one, many in (
        ("commitments", "engagement", "engagements"),
        ("contacts", "contact", "contacts"),
        ("actions", "action du plan", "actions du plan"),
    ):
        number = len(contract.get(key) or [])
        counts.append(f"{number} {one if number <= 1 else many}")  # French: 0 and 1 take the singular
    lines.append("")
    lines.append("Contenu : " + ", ".join(counts))

    doubts = contract.get("candidates") or {}
    warnings = contract.get("warnings") or []
    lines.append("")
    if not doubts and not warnings:
        lines.append("À vérifier : rien de signalé par la lecture (relisez tout de même le texte).")
    else:
        lines.append("À vérifier :")
        for path, candidates in doubts.items():
            for candidate in candidates or []:
                if not isinstance(candidate, dict):
                    continue
                reason = candidate.get("reason") or "incertain"
                value = candidate.get("value")
                suffix = f" — valeur possible : {_shown(value)}" if value is not None else ""
                lines.append(f"  - {path_label(path)} : {reason}{suffix}")
        lines.extend(f"  - {warning}" for warning in warnings)
    return "\n".join(lines) + "\n"
