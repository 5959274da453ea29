"""The minutes (compte rendu) of a meeting, as plain JSON data drawn by the PDF and the DOCX.

``minutes_content(meeting, public=...)`` returns (JSON-serialisable, plain text, French displays):

    {
      "schema": 1,
      "variant": "full" | "public",
      "convention": {"title", "reference"},
      "meeting": {"kind_label", "status_label", "year_label", "date_display", "time_display",
                  "place", "host", "due_on_display"},
      "attendance": [{"name", "organisation", "role", "status_label", "represented_by"}],
      "agenda": [{"title", "detail"}],
      "inventory": str,                              # état des lieux (first meeting), may be ""
      "minutes": str,
      "decisions": [{"number", "text"}],
      "corrective_actions": [{"title", "owner", "due_on_display", "status_label", "detail"}],
      "reviewed_actions": [{"title", "owner", "due_on_display", "status_label", "review_note",
                            "decided_display"}],     # earlier actions reviewed at this meeting
      "review": None | {"year_label", "status_label"},
    }

The public version names no person (attendees as their organisation and role), leaves out
confidential decisions and corrective actions, and scrubs e-mail addresses and telephone
numbers from every free text.
"""
