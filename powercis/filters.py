"""The base of every app's ``filtersets.py`` (django-filter), shared by UI lists and API lists.

One FilterSet per list serves both: the staff page renders its form (selects, search box) and the API
reads the same query parameters (``?period=2024-05&status=flagged``). Two rules keep them safe:

* ``RefFilter`` filters by another object's id. It validates only that the value is an integer, so an
  id of another station finds nothing (the list itself is scoped) rather than answering "no such
  object" — which would reveal which ids exist elsewhere. Its select in the UI lists only the rows of
  the user's stations.
* ``q`` searches the ``search_fields`` of the set (contains, case-insensitive; one box, many fields).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from powercis.org.scoping import scope


class RefFilter(django_filters.Filter):
    """Filter by the id of a related object; the UI shows a select of the user's stations' rows."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, model: type[Model], scope_field: str | None = "station", **kwargs: Any) -> None:
        self.choice_model = model
        self.scope_field = scope_field
        super().__init__(*args, **kwargs)

    def choices(self, user: Any) -> list[tuple[Any, str]]:
        qs: QuerySet[Any] = self.choice_model._default_manager.all()
        if self.scope_field is not None and user is not None:
            qs = scope(qs, user, self.scope_field)
        return [("", _("全部")), *((o.pk, str(o)) for o in qs)]


class ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet with the ``q`` search box and ``RefFilter`` selects limited to the user's scope."""

    search_fields: tuple[str, ...] = ()
    #: The filters the staff page shows (the API accepts all of them); None = all.
    ui_fields: tuple[str, ...] | None = None
    q = django_filters.CharFilter(method="search", label=_("搜索"))

    def __init__(self, data: Any = None, queryset: Any = None, *, request: Any = None, prefix: Any = None) -> None:
        super().__init__(data, queryset, request=request, prefix=prefix)
        if not self.search_fields:
            self.filters.pop("q", None)

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value or not self.search_fields:
            return qs
        cond = Q()
        for field in self.search_fields:
            cond |= Q(**{f"{field}__icontains": value})
        return qs.filter(cond)

    def visible_fields(self) -> list[Any]:
        """The bound form fields the staff page shows, the search box first."""
        names = ["q", *(self.ui_fields or [n for n in self.filters if n != "q"])]
        return [self.form[n] for n in names if n in self.form.fields]

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            form = super().form
            user = getattr(self.request, "user", None)
            for name, field in form.fields.items():
                flt = self.filters.get(name)
                if isinstance(flt, RefFilter):
                    field.widget = forms.Select(choices=flt.choices(user))
                if name == "q":
                    field.widget.attrs.setdefault("type", "search")
                widget = field.widget
                css = "form-select" if isinstance(widget, forms.Select) else "form-control"
                widget.attrs.setdefault("class", css)
            return form
        return self._form
