"""What a review (bilan) says, as plain JSON data: built from the recorded data while the
review is a draft, frozen in ``Review.snapshot`` when it is approved. The review page, the
PDF and the DOCX are all drawn from this one dict, so that they always agree.

``build_content(review, public=...)`` returns (every value JSON-serialisable; texts are plain
text, never HTML; ``*_display`` values are already written in French):

    {
      "schema": 1,
      "variant": "full" | "public",
      "taken_at": "2026-06-30T10:00:00+02:00",      # when the figures were computed
      "taken_at_display": "30 juin 2026",
      "approved": bool, "approved_at_display": "" | "2 juillet 2026",
      "convention": {"title", "reference", "academies": [str], "signed_on_display",
                     "parties": [{"name", "side_label", "representative_title"}]},
      "year": {"start": 2025, "label": "2025-2026"},
      "overview": str,                               # a French sentence or two on the year
      "key_figures": [{"label", "value": number | None, "display": "1 234"}],
      "axes": [{"title": "Article 2 – …" | "Actions hors axe",
                "actions": [{"number", "title", "owner", "carried_out": bool,
                             "rows": [{"metric", "metric_label", "target": int | None,
                                       "realised": number, "rate": float | None}],
                             "sentence": "12 visites d’entreprise réalisées pour 10 prévues, …"}]}],
      "commitments": [{"party", "article", "text", "idle": bool, "rows": [...as above], "sentence"}],
      "not_carried_out": [{"number", "title", "axis", "period"}],
      "evaluations": [{"title", "kind_label", "date_display", "text"}],
      "highlights": [{"title", "kind_label", "date_display", "place", "comment"}],
      "charts": [Chart.as_dict()],                   # partenariats.charts: SVG in PDF, PNG in DOCX
      "tables": [{"key", "title", "headers", "rows", "note"}],   # indicators.reports.Table.as_dict()
      "next_plan": None | {"year_label", "status_label", "adopted_on_display",
                           "actions": [{"number", "title", "axis", "period", "owner",
                                        "targets": [{"metric_label", "value"}]}]},
      "decisions": [{"number", "text", "meeting_display"}],
      "corrective_actions": [{"title", "owner", "due_on_display", "status_label", "review_note"}],
      "sections": [{"key", "title", "text"}],        # the narrative, written by people
    }

The public version leaves out confidential commitments, actions, activities, decisions and
corrective actions, narrative sections not marked public, and every person's name, e-mail
address and telephone number (free texts are scrubbed of addresses and numbers).
"""
