"""What the lists' filter forms share."""

import hashlib
from functools import partial

from django import forms
from django.utils import timezone
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


class CachedChoicesMixin:
    """For a django-filter ``FilterSet``: its model choice filters offer :func:`cached_choices`,
    read when the form is drawn (not when it validates); its form is kept drawn
    (:attr:`rendered_form`). A value is still checked against the field's queryset."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "choices_cached", False):
            for name, field in form.fields.items():
                if isinstance(field, forms.ModelChoiceField) and field.queryset.model._meta.app_label in WATCHED_APPS:
                    field.widget.choices = partial(self.offered_choices, name, field)  # a callable: read lazily
            form.choices_cached = True
        return form

    @property
    def rendered_form(self) -> SafeString:
        """The form's HTML, kept in the cache under what it is drawn from: the values asked (but
        the page number), the reader's scope (the options offered, what a filter accepts), the
        day (the school years offered) and the data version. A nine-field DSFR form with hundreds
        of options takes as long to draw as the rest of its list page; a kept one reads none."""
        form = self.form
        if self.request is None:  # no reader to key it by
            return SafeString(str(form))
        for field in form.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.queryset.model._meta.app_label not in WATCHED_APPS:
                return SafeString(str(form))  # options of an app the cache does not watch: drawn each time
        asked = [(name, sorted(values)) for name, values in sorted(self.data.lists()) if name != "page"]
        digest = hashlib.sha256(repr((type(self).__qualname__, asked)).encode()).hexdigest()
        key = f"filter-form:{digest}:{timezone.localdate().isoformat()}:{scope_key(self.request.user)}"
        return versioned(lambda: key, lambda: SafeString(str(form)))

    def offered_choices(self, name: str, field: forms.ModelChoiceField) -> list[tuple[str, str]]:
        """The options drawn for the filter ``name``: by default, every record it accepts."""
        return cached_choices(field)
