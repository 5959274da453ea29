"""Form pieces shared by the steering forms."""

from django import forms


def version_field() -> forms.IntegerField:
    """The hidden ``version`` a record had when its form was opened (optimistic locking)."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False)
