"""抄表: books of a period, the plan page (progress, screen entry, file import, release), exceptions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from powercis.metering.models import REGISTERS, MeteringPoint
from powercis.org.scoping import get_scoped, scope
from powercis.reading import services as reading_services
from powercis.reading.models import PlanStatus, Reading, ReadingBook, ReadingException, ReadingPlan
from powercis.services import ServiceError
from powercis.tabular import read_upload
from powercis.web.views.common import _PERIOD, period_param, service_error, staff_view


def _book(request: HttpRequest, book_id: int) -> ReadingBook:
    return get_scoped(ReadingBook.objects.select_related("station", "reader"), request.user, pk=book_id)


def _plan(request: HttpRequest, book_id: int, period: str) -> ReadingPlan:
    if not _PERIOD.match(period):
        raise Http404
    return reading_services.ensure_plan(_book(request, book_id), period)


def _plan_url(plan: ReadingPlan, **query: str) -> str:
    url = reverse("reading:plan", args=[plan.book_id, plan.period])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


@staff_view("org.view_readingbook")
def book_list(request: HttpRequest) -> HttpResponse:
    period = period_param(request)
    books = list(scope(ReadingBook.objects.select_related("reader", "station"), request.user).order_by("code"))
    plans = {p.book_id: p for p in ReadingPlan.objects.filter(period=period, book__in=books)}
    expected = dict(
        MeteringPoint.objects.filter(account__book__in=books, active=True, account__status="active")
        .values("account__book").annotate(n=Count("id")).values_list("account__book", "n")
    )
    read = dict(
        Reading.objects.filter(plan__in=plans.values(), register="total", superseded=False)
        .values("plan__book").annotate(n=Count("id")).values_list("plan__book", "n")
    )
    open_exc = dict(
        ReadingException.objects.filter(plan__in=plans.values(), status="open")
        .values("plan__book").annotate(n=Count("id")).values_list("plan__book", "n")
    )
    rows = [
        {
            "book": b,
            "plan": plans.get(b.pk),
            "expected": expected.get(b.pk, 0),
            "read": read.get(b.pk, 0),
            "exceptions": open_exc.get(b.pk, 0),
        }
        for b in books
    ]
    return render(request, "reading/books.html", {"rows": rows, "period": period})


def _previous_values(points: list[MeteringPoint], period: str) -> dict[tuple[int, str], Any]:
    """The latest earlier reading of every (point, register), in one query."""
    out: dict[tuple[int, str], Any] = {}
    for point_id, register, value in (
        Reading.objects.filter(point__in=points, superseded=False, period__lt=period)
        .order_by("point_id", "register", "-period", "-id")
        .values_list("point_id", "register", "value")
    ):
        out.setdefault((point_id, register), value)
    return out


def _entry_rows(request: HttpRequest, plan: ReadingPlan) -> list[dict[str, Any]]:
    """Rows of the entry table: unread points, plus the one asked for correction (?correct=户号)."""
    points = reading_services.unread_points(plan)
    correct = request.GET.get("correct", "").strip()
    if correct and not any(p.account.number == correct for p in points):
        extra = (
            MeteringPoint.objects.filter(account__book=plan.book, account__number=correct, active=True)
            .select_related("account", "meter")
            .first()
        )
        if extra is not None:
            points.insert(0, extra)
    current = {
        (r.point_id, r.register): r.value
        for r in Reading.objects.filter(plan=plan, point__in=points, superseded=False)
    }
    previous = _previous_values(points, plan.period)
    rows = []
    for point in sorted(points, key=lambda p: (p.account.number != correct, p.account.number)):
        registers = []
        for code in point.registers:
            name = f"v-{point.pk}-{code}"
            typed = request.POST.get(name) if request.method == "POST" else None
            registers.append({
                "code": code, "label": REGISTERS.get(code, code), "name": name,
                "previous": previous.get((point.pk, code)),
                "value": typed if typed is not None else current.get((point.pk, code), ""),
            })
        rows.append({"point": point, "registers": registers, "correcting": point.account.number == correct})
    return rows


def _plan_page(request: HttpRequest, plan: ReadingPlan, **extra: Any) -> HttpResponse:
    readings = list(
        Reading.objects.filter(plan=plan, superseded=False)
        .select_related("point__account", "point__meter")
        .order_by("point__account__number", "register")
    )
    for r in readings:
        r.register_label = REGISTERS.get(r.register, r.register)
    context = {
        "plan": plan,
        "book": plan.book,
        "progress": reading_services.plan_progress(plan),
        "entry_rows": _entry_rows(request, plan) if plan.status == PlanStatus.OPEN else [],
        "readings": readings,
        "registers": REGISTERS,
        "entry_errors": [],
        "import_errors": [],
        **extra,
    }
    return render(request, "reading/plan.html", context)


@staff_view("org.view_readingbook")
def plan_detail(request: HttpRequest, book_id: int, period: str) -> HttpResponse:
    return _plan_page(request, _plan(request, book_id, period))


@require_POST
@staff_view("reading.add_reading")
def plan_entry(request: HttpRequest, book_id: int, period: str) -> HttpResponse:
    plan = _plan(request, book_id, period)
    ids = [int(i) for i in request.POST.getlist("point") if i.isdigit()]
    points = MeteringPoint.objects.filter(pk__in=ids, account__book=plan.book).select_related("account")
    raw_rows = []
    for index, point in enumerate(sorted(points, key=lambda p: ids.index(p.pk)), start=1):
        values = {code: request.POST.get(f"v-{point.pk}-{code}", "").strip() for code in point.registers}
        if not any(values.values()):
            continue  # not read yet: left for later
        row = {"account": point.account.number, **values, "_row": str(index)}
        if request.POST.get(f"e-{point.pk}"):
            row["estimated"] = "1"
        raw_rows.append(row)
    if not raw_rows:
        messages.warning(request, _("没有填写任何示数"))
        return redirect(_plan_url(plan))
    try:
        result = reading_services.enter_readings(plan, raw_rows, request.user)
    except ServiceError as exc:
        return _plan_page(request, plan, entry_errors=service_error(request, exc))
    messages.success(
        request,
        _("录入完成：新增 %(c)s 条示数，未变 %(u)s 条，异常 %(e)s 条")
        % {"c": result.created, "u": result.unchanged, "e": result.exceptions},
    )
    return redirect(_plan_url(plan))


@require_POST
@staff_view("reading.import_readings")
def plan_import(request: HttpRequest, book_id: int, period: str) -> HttpResponse:
    plan = _plan(request, book_id, period)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要导入的文件"))
        return redirect(_plan_url(plan))
    try:
        result = reading_services.import_readings(plan, upload.name, read_upload(upload), request.user)
    except ServiceError as exc:
        return _plan_page(request, plan, import_errors=service_error(request, exc), import_name=upload.name)
    messages.success(
        request,
        _("导入完成（%(f)s）：新增 %(c)s 条示数，未变 %(u)s 条，异常 %(e)s 条")
        % {"f": upload.name, "c": result.created, "u": result.unchanged, "e": result.exceptions},
    )
    return redirect(_plan_url(plan))


@require_POST
@staff_view("reading.release_book")
def plan_release(request: HttpRequest, book_id: int, period: str) -> HttpResponse:
    plan = _plan(request, book_id, period)
    try:
        reading_services.release_plan(plan, request.user)
    except ServiceError as exc:
        service_error(request, exc)
    else:
        messages.success(request, _("抄表段 %(b)s %(p)s 已发送核算") % {"b": plan.book.code, "p": plan.period})
    return redirect(_plan_url(plan))


@staff_view("reading.resolve_exception")
def exception_list(request: HttpRequest) -> HttpResponse:
    exceptions = list(
        scope(ReadingException.objects.filter(status="open"), request.user)
        .select_related("reading__point__account", "reading__point__meter", "plan__book")
        .order_by("plan__period", "plan__book__code", "reading__point__account__number", "id")
    )
    for exc in exceptions:
        exc.register_label = REGISTERS.get(exc.reading.register, exc.reading.register)
    return render(
        request,
        "reading/exceptions.html",
        {"exceptions": exceptions, "can_correct": request.user.has_perm("reading.add_reading")},
    )


@require_POST
@staff_view("reading.resolve_exception")
def exception_accept(request: HttpRequest, pk: int) -> HttpResponse:
    exc = get_scoped(ReadingException.objects.select_related("reading"), request.user, pk=pk)
    try:
        reading_services.resolve_exception(exc, request.user, request.POST.get("note", ""))
    except ServiceError as error:
        service_error(request, error)
    else:
        messages.success(request, _("已确认异常：%(m)s") % {"m": exc.message})
    return redirect("reading:exceptions")
