"""What the lists' filter forms share."""

from django import forms

from partenariats.core.cache import WATCHED_APPS, cached_query


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

    def offered_choices(self, name: str, field: forms.ModelChoiceField) -> list[tuple[str, str]]:
        """The options drawn for the filter ``name``: by default, every record it accepts."""
        return cached_choices(field)
