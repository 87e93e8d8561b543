"""Generic scoped views: every app declares its list, detail and import pages on these in a few lines.

Scoping is the base classes' job, not the page's: ``get_queryset`` is final (a subclass that overrides
it fails at import), and a page shapes its query in ``base_queryset`` instead, so a new page cannot
forget the station filter. Permissions: ``permission`` is checked before anything runs (403), login
before that.

* ``ScopedListView`` — filters (the app's ``ScopedFilterSet``, shared with its API list), search
  (``q``), sort (``?sort=col`` / ``-col`` over columns with ``order_by``), pages, and export of the
  whole filtered list as Excel or CSV (``?export=xlsx|csv``; the export is written to the change log).
  htmx requests get the table alone.
* ``ScopedDetailView`` — one object inside the user's scope (outside it: 404, like a missing one).
* ``BulkImportView`` — a file in, the app's importer applies it whole or not at all, and every bad
  row is listed with its reason.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any, ClassVar
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from powercis.audit.services import log_change
from powercis.filters import ScopedFilterSet
from powercis.org.scoping import get_scoped, require_perm, scope, station_ids
from powercis.services import ServiceError
from powercis.tabular import ImportRejected, read_upload, write_xlsx
from powercis.web.tables import Column, cells, export_value

EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class StaffView(LoginRequiredMixin, View):
    """Login, then ``permission`` (PermissionDenied → the 403 page naming what is missing)."""

    permission: ClassVar[str | None] = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.permission is not None:
            require_perm(request.user, self.permission)
        return super().dispatch(request, *args, **kwargs)


class ScopedQuerysetMixin:
    """``get_queryset`` = ``base_queryset`` restricted to the user's stations (``scope_field``)."""

    model: ClassVar[type[Model]]
    scope_field: ClassVar[str] = "station"
    request: HttpRequest

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(f"{cls.__name__}: override base_queryset, not get_queryset (scoping is not optional)")

    def base_queryset(self) -> QuerySet[Any]:
        return self.model._default_manager.all()

    def get_queryset(self) -> QuerySet[Any]:
        return scope(self.base_queryset(), self.request.user, self.scope_field)


class ScopedListView(ScopedQuerysetMixin, StaffView):
    """A filtered, sortable, paginated, exportable list of station-owned rows (see module docstring)."""

    title: ClassVar[str] = ""
    columns: ClassVar[Sequence[Column]] = ()
    #: The file's columns when they differ from the page's (e.g. an import format); default: ``columns``.
    export_columns: ClassVar[Sequence[Column] | None] = None
    filterset_class: ClassVar[type[ScopedFilterSet] | None] = None
    default_order: ClassVar[Sequence[str]] = ("pk",)
    paginate_by: ClassVar[int] = 50
    export_name: ClassVar[str] = ""
    template_name: ClassVar[str] = "web/generic/list.html"
    table_template: ClassVar[str] = "web/generic/_table.html"
    actions_template: ClassVar[str | None] = None
    empty_text: ClassVar[str] = ""

    def extra_context(self) -> dict[str, Any]:
        return {}

    def filtered(self) -> tuple[QuerySet[Any], Any]:
        qs = self.get_queryset()
        if self.filterset_class is None:
            return qs, None
        fs = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
        if fs.is_bound and not fs.is_valid():
            return qs.none(), fs
        return fs.qs, fs

    def sorted(self, qs: QuerySet[Any]) -> tuple[QuerySet[Any], str]:
        sort = self.request.GET.get("sort", "")
        by_name = {c.name: c for c in self.columns if c.order_by}
        column = by_name.get(sort.lstrip("-"))
        if column is None or column.order_by is None:
            return qs.order_by(*self.default_order), ""
        field = column.order_by
        return qs.order_by(f"-{field}" if sort.startswith("-") else field, "pk"), sort

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        qs, fs = self.filtered()
        qs, sort = self.sorted(qs)
        export = request.GET.get("export", "")
        if export in EXPORT_TYPES:
            return self.export(qs, export)
        page = Paginator(qs, self.paginate_by).get_page(request.GET.get("page"))
        params = {k: v for k, v in request.GET.items() if k not in {"page", "sort", "export"} and v}
        context = {
            "view": self,
            "title": _(self.title),
            "columns": self.columns,
            "page": page,
            "rows": [{"object": obj, "cells": cells(self.columns, obj)} for obj in page.object_list],
            "object_list": page.object_list,
            "filter": fs,
            "sort": sort,
            "querystring": urlencode(params),
            "sort_querystring": urlencode({**params, **({"sort": sort} if sort else {})}),
            "empty_text": _(self.empty_text) if self.empty_text else _("没有符合条件的记录"),
            "actions_template": self.actions_template,
            "exportable": bool(self.export_name),
            **self.extra_context(),
        }
        template = self.table_template if request.headers.get("HX-Request") else self.template_name
        return render(request, template, context)

    def export(self, qs: QuerySet[Any], kind: str) -> HttpResponse:
        if not self.export_name:
            return HttpResponse(status=404)
        columns = [c for c in (self.export_columns or self.columns) if c.export]
        headers = [str(_(c.label)) for c in columns]
        rows = ([export_value(c.value(obj)) for c in columns] for obj in qs.iterator(chunk_size=2000))
        if kind == "xlsx":
            data = write_xlsx(headers, rows, title=str(_(self.title))[:31] or "Sheet1")
        else:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(headers)
            writer.writerows(rows)
            data = ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 CSV correctly
        user = self.request.user
        ids = station_ids(user)
        log_change(
            user=user, obj_type=f"{self.model._meta.label_lower}", obj_id="export", action="action",
            station_id=ids[0] if ids and len(ids) == 1 else None,
            summary=f"导出 {self.title} ({kind})", data={"export": kind, "query": self.request.GET.urlencode()},
        )
        response = HttpResponse(data, content_type=EXPORT_TYPES[kind])
        stamp = timezone.localdate().strftime("%Y%m%d")
        name = f"{_(self.title)}_{stamp}.{kind}"
        ascii_name = f"{self.export_name}-{stamp}.{kind}"
        response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
        return response


class ScopedDetailView(ScopedQuerysetMixin, StaffView):
    """One object of the user's scope (404 outside it), rendered with ``template_name``."""

    template_name: ClassVar[str]
    context_object_name: ClassVar[str] = "object"

    def get_object(self) -> Any:
        return get_scoped(self.base_queryset(), self.request.user, self.scope_field, pk=self.kwargs["pk"])

    def get_context(self, obj: Any) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        context = {"view": self, "object": obj, self.context_object_name: obj, **self.get_context(obj)}
        return render(request, self.template_name, context)


class BulkImportView(StaffView):
    """Upload a file; ``importer(filename, data, user, on=date)`` applies it whole or raises ``ImportRejected``.

    ``columns`` are shown as the file's expected headers; ``success(result)`` is the message after a
    good import; ``success_url`` where to go then.
    """

    title: ClassVar[str] = ""
    columns: ClassVar[Sequence[str]] = ()
    success_url: ClassVar[str] = ""
    back_url: ClassVar[str] = ""
    template_name: ClassVar[str] = "web/generic/import.html"
    importer: ClassVar[Callable[..., Any]]

    def success(self, result: Any) -> str:
        return _("导入完成")

    def render_page(self, errors: list[dict[str, Any]]) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"view": self, "title": _(self.title), "errors": errors, "columns": self.columns,
             "back_url": self.back_url},
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_page([])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择要导入的文件"))
            return self.render_page([])
        try:
            result = type(self).importer(upload.name, read_upload(upload), request.user, on=timezone.localdate())
        except ImportRejected as exc:
            messages.error(request, exc.message)
            return self.render_page(list(exc.details or []))
        except ServiceError as exc:
            messages.error(request, exc.message)
            return self.render_page([])
        messages.success(request, self.success(result))
        return redirect(self.success_url)


def render_panels(request: HttpRequest, target: str, obj: Any) -> dict[str, list[dict[str, Any]]]:
    """The panels other apps add to ``target``'s page for ``obj``, by slot, each with its context.

    A panel whose permission the user lacks, or whose context function returns None, is left out.
    """
    from powercis.registry import panels

    out: dict[str, list[dict[str, Any]]] = {"side": [], "main": []}
    for panel in panels(target):
        if panel.permission is not None and not request.user.has_perm(panel.permission):
            continue
        context = panel.context(request, obj)
        if context is None:
            continue
        out.setdefault(panel.slot, []).append({"template": panel.template, "width": panel.width, "context": context})
    return out
