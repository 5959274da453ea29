"""What the lists' filter forms share."""

import hashlib

from django import forms
from django.utils.safestring import SafeString

from partenariats.core.cache import WATCHED_APPS, cached_query, scope_key, versioned


def cached_choices(field: forms.ModelChoiceField, queryset=None) -> list[tuple[str, str]]:
    """The options of ``field`` (of ``queryset`` when given, else its own), read once per data
    version: the académies, bassins and conventions a filter offers are read on every page of a
    list, and change far less often. Kept under the query's SQL, so readers who may see
    different records never share options."""
    queryset = field.queryset if queryset is None else queryset
    options = cached_query(
        "choices", queryset, lambda rows: [(str(row.pk), str(field.label_from_instance(row))) for row in rows]
    )
    return [("", field.empty_label), *options] if field.empty_label is not None else options


def _plain(choices):
    """Choices as plain texts (their labels may be lazy translations, whose ``repr`` changes)."""
    if isinstance(choices, list | tuple):
        return [_plain(choice) for choice in choices]
    return str(choices)


class CachedChoicesMixin:
    """For a django-filter ``FilterSet``: its model choice filters offer :func:`cached_choices`.
    A value is still checked against the field's queryset; only the options drawn are cached."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "choices_cached", False):
            for name, field in form.fields.items():
                if isinstance(field, forms.ModelChoiceField) and field.queryset.model._meta.app_label in WATCHED_APPS:
                    field.widget.choices = self.offered_choices(name, field)
            form.choices_cached = True
        return form

    @property
    def rendered_form(self) -> SafeString:
        """The form's HTML, kept in the cache under what it is drawn from: the values asked (but
        the page number), every option offered, the reader's scope (what a filter accepts) and the
        data version. A nine-field DSFR form with hundreds of options takes as long to draw as
        the rest of its list page."""
        form = self.form
        drawn = [(name, sorted(values)) for name, values in sorted(self.data.lists()) if name != "page"]
        for name, field in form.fields.items():
            choices = getattr(field.widget, "choices", None)
            if choices is None:
                continue
            if isinstance(choices, forms.models.ModelChoiceIterator):
                # A query of an app the cache does not watch: drawn each time.
                return SafeString(str(form))
            drawn.append((name, _plain(list(choices))))
        digest = hashlib.sha256(repr((type(self).__qualname__, drawn)).encode()).hexdigest()
        return versioned(lambda: f"filter-form:{digest}:{scope_key(self.request.user)}", lambda: SafeString(str(form)))

    def offered_choices(self, name: str, field: forms.ModelChoiceField) -> list[tuple[str, str]]:
        """The options drawn for the filter ``name``: by default, every record it accepts."""
        return cached_choices(field)
