"""What the PDF and the DOCX share: the outline of each document, how numbers and rates are
written, plain text cut into paragraphs. Plain Python on the content dicts (no database), so
that the two formats always say the same thing in the same order."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from partenariats.charts import format_number

Progress = Callable[[str], None]

PUBLIC_MENTION = "Version publique"
FULL_MENTION = "Version des parties"
DRAFT_MENTION = "Projet – document de travail, non approuvé"
MINUTES_DRAFT_MENTION = "Projet – réunion non encore tenue"
TOC_TITLE = "Sommaire"
TOC_HINT = "Mettre à jour la table : clic droit sur le sommaire, puis « Mettre à jour les champs » (touche F9)."
ACTION_HEADERS = ["Indicateur", "Cible", "Réalisé", "Taux"]
TILES_PER_ROW = 4
BLOC_MARQUE = ("République", "française")
DEVISE = "Liberté\nÉgalité\nFraternité"


def no_progress(label: str) -> None:
    """The default progress callback: nobody is watching."""


def number(value) -> str:
    """« 1 234 », « 12,5 », « — » for a missing value."""
    return format_number(value)


def rate(value) -> str:
    """A rate of realisation as the page and the indicators write it: « 120 % », « 12,5 % »;
    « — » when there is no target."""
    if value is None:
        return "—"
    return f"{format_number(value)}\u202f%"


def cell(value) -> str:
    """A table cell of an indicator table: numbers in French, the rest as text."""
    if value is None or is_number(value):
        return format_number(value)
    return str(value)


def paragraphs(text: str | None) -> list[str]:
    """Plain text cut into paragraphs at blank lines; lines inside a paragraph are joined."""
    if not text:
        return []
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return [" ".join(line.strip() for line in block.splitlines() if line.strip()) for block in blocks if block.strip()]


def chunks(items: list, size: int, *, fill=None) -> list[list]:
    """``items`` in rows of ``size``, the last row padded with ``fill``."""
    rows = [list(items[start : start + size]) for start in range(0, len(items), size)]
    if rows:
        rows[-1] += [fill] * (size - len(rows[-1]))
    return rows


def academy_label(name: str) -> str:
    """« Académie d’Aix-Marseille », « Académie de Lyon » (a name already written so is kept)."""
    if name.lower().startswith("académie"):
        return name
    return f"Académie d’{name}" if name[:1].upper() in "AEIOUYÉÈÊÎ" else f"Académie de {name}"


def variant_mention(content: dict) -> str:
    return PUBLIC_MENTION if content.get("variant") == "public" else FULL_MENTION


def is_draft(content: dict) -> bool:
    """A review not yet approved, the minutes of a meeting not yet held: marked « Projet »."""
    if "approved" in content:
        return not content["approved"]
    meeting = content.get("meeting")
    return meeting is not None and not meeting.get("held", False)


def action_rows(action: dict) -> list[list[str]]:
    """One row per indicator of an action or commitment: label, target, realised, rate."""
    return [
        [
            row.get("metric_label") or row.get("metric", ""),
            number(row.get("target")),
            number(row.get("realised")),
            rate(row.get("rate")),
        ]
        for row in action.get("rows", [])
    ]


@dataclass(frozen=True)
class Chapter:
    """One chapter of a document: its anchor, its title in the table of contents, its kind."""

    key: str
    title: str


def review_title(content: dict) -> str:
    return f"Bilan annuel {content['year']['label']}"


# The narrative sections with a fixed place among the generated chapters (any other one comes
# after « Perspectives »); « faits-marquants » opens the chapter of the chosen highlights.
INTRODUCTION, HIGHLIGHTS_SECTION, DIFFICULTIES, PROSPECTS = (
    "introduction",
    "faits-marquants",
    "difficultes",
    "perspectives",
)
HIGHLIGHTS_TITLE = "Faits marquants"
NOT_CARRIED_OUT_TITLE = "Actions non réalisées"
REPRESENTATIVE_LABEL = "Représenté par :"
AUTHOR = "Partenariats école–entreprise"


def section_chapter(section: dict) -> Chapter:
    return Chapter(f"section-{section['key']}", section["title"])


def review_outline(content: dict, *, every_chapter: bool = False) -> list[Chapter]:
    """The chapters of a review, in the one order of the page, the PDF and the DOCX: introduction,
    synthesis, achievements by axis, commitments, actions not carried out, indicators, evaluations,
    highlights (the « faits-marquants » text, then the chosen activities), difficulties, decisions,
    prospects, any other narrative section, next year's plan. A chapter with nothing to say is left
    out (kept with ``every_chapter``, for the page, which says there is nothing)."""
    sections = {section["key"]: section for section in content.get("sections", [])}
    fixed = {INTRODUCTION, HIGHLIGHTS_SECTION, DIFFICULTIES, PROSPECTS}

    def wanted(value) -> bool:
        return every_chapter or bool(value)

    chapters = []
    if INTRODUCTION in sections:
        chapters.append(section_chapter(sections[INTRODUCTION]))
    chapters.append(Chapter("synthese", "Synthèse de l’année"))
    if wanted(content.get("axes")):
        chapters.append(Chapter("axes", "Réalisations par axe"))
    if wanted(content.get("commitments")):
        chapters.append(Chapter("engagements", "Engagements des parties"))
    if content.get("not_carried_out"):
        chapters.append(Chapter("non-realisees", NOT_CARRIED_OUT_TITLE))
    if wanted(content.get("charts") or content.get("tables")):
        chapters.append(Chapter("indicateurs", "Indicateurs"))
    if wanted(content.get("evaluations")):
        chapters.append(Chapter("evaluations", "Évaluations"))
    if wanted(content.get("highlights") or HIGHLIGHTS_SECTION in sections):
        chapters.append(Chapter("faits-marquants", HIGHLIGHTS_TITLE))
    if DIFFICULTIES in sections:
        chapters.append(section_chapter(sections[DIFFICULTIES]))
    if wanted(content.get("decisions") or content.get("corrective_actions")):
        chapters.append(Chapter("decisions", "Décisions et actions correctives"))
    if PROSPECTS in sections:
        chapters.append(section_chapter(sections[PROSPECTS]))
    chapters += [section_chapter(section) for key, section in sections.items() if key not in fixed]
    if content.get("next_plan"):
        chapters.append(Chapter("plan-suivant", f"Plan de partenariat {content['next_plan']['year_label']}"))
    elif every_chapter:
        chapters.append(Chapter("plan-suivant", "Plan de partenariat de l’année suivante"))
    return chapters


def highlights_section(content: dict) -> dict | None:
    """The narrative section that opens the highlights' chapter, if the review has one."""
    return next((s for s in content.get("sections", []) if s["key"] == HIGHLIGHTS_SECTION), None)


def chapters(content: dict) -> list[Chapter]:
    """Every chapter of the review's page, in the documents' order."""
    return review_outline(content, every_chapter=True)


def minutes_title(content: dict) -> str:
    return f"Compte rendu – {content['meeting']['kind_label']}"


def minutes_outline(content: dict) -> list[Chapter]:
    chapters = [Chapter("reunion", "La réunion")]
    if content.get("attendance"):
        chapters.append(Chapter("presences", "Présences"))
    if content.get("agenda"):
        chapters.append(Chapter("ordre-du-jour", "Ordre du jour"))
    if content.get("inventory"):
        chapters.append(Chapter("etat-des-lieux", "État des lieux"))
    if content.get("minutes"):
        chapters.append(Chapter("compte-rendu", "Compte rendu des échanges"))
    if content.get("decisions"):
        chapters.append(Chapter("decisions", "Décisions"))
    if content.get("corrective_actions"):
        chapters.append(Chapter("actions-correctives", "Actions correctives"))
    if content.get("reviewed_actions"):
        chapters.append(Chapter("actions-examinees", "Suivi des actions correctives précédentes"))
    return chapters


def meeting_facts(content: dict) -> list[tuple[str, str]]:
    """(label, value) of the meeting's practical details, the empty ones left out."""
    meeting = content["meeting"]
    when = " ".join(part for part in (meeting.get("date_display"), meeting.get("time_display")) if part)
    facts = [
        ("Convention", content["convention"].get("title", "")),
        ("Référence", content["convention"].get("reference", "")),
        ("Réunion", meeting.get("kind_label", "")),
        ("Statut", meeting.get("status_label", "")),
        ("Année examinée", meeting.get("year_label", "")),
        ("Date", when),
        ("Lieu", meeting.get("place", "")),
        ("Accueil", meeting.get("host", "")),
        ("À tenir avant le", meeting.get("due_on_display", "")),
    ]
    review = content.get("review")
    if review:
        facts.append(("Bilan présenté", f"Bilan {review['year_label']} ({review['status_label']})"))
    return [(label, value) for label, value in facts if value]


def person_line(parts: Iterable[str]) -> str:
    return " – ".join(part for part in parts if part)


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def next_plan(plan: dict | None) -> dict | None:
    """Next year's plan with each action's targets written as « Activités : 10 »."""
    if not plan:
        return None
    actions = [
        {
            **action,
            "targets_display": [f"{t['metric_label']} : {number(t['value'])}" for t in action.get("targets", [])],
            "targets_line": ", ".join(f"{t['metric_label']} : {number(t['value'])}" for t in action.get("targets", [])),
        }
        for action in plan.get("actions", [])
    ]
    return {**plan, "actions": actions}
