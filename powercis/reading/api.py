"""API of meter reading: /api/books/, /api/plans/ (+ release), /api/readings/ (+ bulk entry, file import).

Readings are written only through ``powercis.reading.services`` (``enter_readings`` for rows sent as
JSON, ``import_readings`` for a handheld/AMI file): every row is checked first and nothing is written
when any row is bad — the answer is then 400 ``import_rejected`` with every bad row in ``details``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from powercis.apiperms import (
    EnumField,
    ErrorSerializer,
    NoteSerializer,
    ScopedReadOnlyViewSet,
)
from powercis.core.periods import parse_period
from powercis.metering.models import REGISTERS
from powercis.reading import services
from powercis.reading.filtersets import (
    ReadingBookFilterSet,
    ReadingExceptionFilterSet,
    ReadingFilterSet,
    ReadingPlanFilterSet,
)
from powercis.reading.models import (
    PlanStatus,
    Reading,
    ReadingBook,
    ReadingException,
    ReadingPlan,
    ReadingStatus,
)
from powercis.services import ServiceError
from powercis.tabular import read_upload


class ReadingBookSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReadingBook
        fields = ["id", "code", "name", "station", "reader", "reading_day"]
        read_only_fields = fields


class ReadingBookViewSet(ScopedReadOnlyViewSet):
    """抄表段."""

    queryset = ReadingBook.objects.order_by("code")
    serializer_class = ReadingBookSerializer
    filterset_class = ReadingBookFilterSet


class ReadingPlanSerializer(serializers.ModelSerializer):
    book_code = serializers.CharField(source="book.code", read_only=True)
    status = EnumField(PlanStatus.choices, enum_name="PlanStatusEnum", read_only=True)

    class Meta:
        model = ReadingPlan
        fields = ["id", "book", "book_code", "station", "period", "reading_date", "status", "released_by", "released_at"]
        read_only_fields = fields


class PlanProgressSerializer(serializers.Serializer):
    expected = serializers.IntegerField(help_text="应抄户数")
    read = serializers.IntegerField(help_text="已抄户数")
    estimated = serializers.IntegerField(help_text="估抄户数")
    open_exceptions = serializers.IntegerField(help_text="未处理异常")
    missing = serializers.IntegerField(help_text="未抄户数")
    actual_read_rate = serializers.DecimalField(max_digits=6, decimal_places=2, help_text="实抄率(%)")


class ReadingPlanDetailSerializer(ReadingPlanSerializer):
    progress = serializers.SerializerMethodField()

    class Meta(ReadingPlanSerializer.Meta):
        fields = [*ReadingPlanSerializer.Meta.fields, "progress"]
        read_only_fields = fields

    @extend_schema_field(PlanProgressSerializer)
    def get_progress(self, plan: ReadingPlan) -> dict[str, Any]:
        return PlanProgressSerializer(services.plan_progress(plan)).data


class ReadingPlanViewSet(ScopedReadOnlyViewSet):
    """抄表计划 (one per book and period); ``release`` sends a fully read book to billing (发送核算)."""

    queryset = ReadingPlan.objects.select_related("book").order_by("-period", "book__code")
    serializer_class = ReadingPlanSerializer
    filterset_class = ReadingPlanFilterSet
    view_perm = "org.view_readingbook"
    action_perms = {"release": ["reading.release_book"]}

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action in {"retrieve", "release"}:
            return ReadingPlanDetailSerializer
        return ReadingPlanSerializer

    @extend_schema(
        request=None,
        responses={200: ReadingPlanDetailSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
        summary="发送核算",
    )
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        services.release_plan(plan, request.user)
        plan.refresh_from_db()
        return Response(ReadingPlanDetailSerializer(plan, context=self.get_serializer_context()).data)


class ReadingSerializer(serializers.ModelSerializer):
    account = serializers.IntegerField(source="point.account_id", read_only=True)
    account_number = serializers.CharField(source="point.account.number", read_only=True)
    meter_asset_no = serializers.CharField(source="point.meter.asset_no", read_only=True)
    status = EnumField(ReadingStatus.choices, enum_name="ReadingStatusEnum", read_only=True)

    class Meta:
        model = Reading
        fields = [
            "id", "plan", "point", "account", "account_number", "meter_asset_no", "station", "period", "register",
            "value", "previous", "register_delta", "kwh", "rolled_over", "estimated", "source", "read_at",
            "entered_by", "status", "superseded", "created_at",
        ]
        read_only_fields = fields


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "description": "抄表计划 id"},
            {
                "type": "object",
                "properties": {
                    "book": {"type": "string", "description": "抄表段编号"},
                    "period": {"type": "string", "description": "电费年月 YYYY-MM"},
                },
                "required": ["book", "period"],
            },
        ]
    }
)
class PlanRefField(serializers.JSONField):
    """A reading plan: its id, or ``{"book": code, "period": "YYYY-MM"}`` (the plan is made if needed)."""


class ReadingRowSerializer(serializers.Serializer):
    """One account's readings; values are decimal strings. Checked by the service, not here."""

    account = serializers.CharField(required=False, allow_blank=True, help_text="户号")
    meter = serializers.CharField(required=False, allow_blank=True, help_text="资产编号 (可选, 用于核对)")
    total = serializers.CharField(required=False, allow_blank=True, allow_null=True, help_text="有功总示数")
    peak = serializers.CharField(required=False, allow_blank=True, allow_null=True, help_text="峰示数")
    valley = serializers.CharField(required=False, allow_blank=True, allow_null=True, help_text="谷示数")
    sharp = serializers.CharField(required=False, allow_blank=True, allow_null=True, help_text="尖峰示数")
    reactive = serializers.CharField(required=False, allow_blank=True, allow_null=True, help_text="无功示数")
    demand = serializers.CharField(required=False, allow_blank=True, allow_null=True, help_text="最大需量")
    estimated = serializers.BooleanField(required=False, default=False, help_text="估抄")
    read_at = serializers.CharField(required=False, allow_blank=True, help_text="抄表时间 (ISO 8601)")


class ReadingBulkSerializer(serializers.Serializer):
    plan = PlanRefField()
    rows = serializers.ListField(child=ReadingRowSerializer(), allow_empty=True)


class ReadingImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="抄表文件 .xlsx / .csv (表头: 户号, 有功总, 峰, 谷 …)")
    plan = serializers.IntegerField(required=False, help_text="抄表计划 id")
    book = serializers.CharField(required=False, help_text="抄表段编号 (与 period 一起, 代替 plan)")
    period = serializers.CharField(required=False, help_text="电费年月 YYYY-MM")


class ReadingSubmitResultSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    created = serializers.IntegerField(help_text="新增示数")
    unchanged = serializers.IntegerField(help_text="未变示数")
    exceptions = serializers.IntegerField(help_text="新产生的待处理异常")


def _raw_rows(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Rows as the service's text cells; ``_row`` = 1-based position in ``rows``."""
    raw = []
    for index, row in enumerate(rows, start=1):
        cells = {"account": "", **{r: "" for r in REGISTERS}}
        for key, value in row.items():
            if key == "estimated":
                cells[key] = "1" if value else ""
            elif value is not None:
                cells[key] = str(value)
        cells["_row"] = str(index)
        raw.append(cells)
    return raw


class ReadingViewSet(ScopedReadOnlyViewSet):
    """抄表示数. Write with ``bulk`` (JSON rows) or ``import`` (a file); all rows or none."""

    queryset = Reading.objects.select_related("point__account", "point__meter").order_by("-period", "id")
    serializer_class = ReadingSerializer
    filterset_class = ReadingFilterSet
    action_perms = {"bulk": ["reading.add_reading"], "import_file": ["reading.import_readings"]}

    def _plan(self, ref: Any, book: Any = None, period: Any = None) -> ReadingPlan:
        if ref is None and book is not None:
            ref = {"book": book, "period": period}
        if isinstance(ref, bool):
            ref = None
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            return self.scoped(ReadingPlan.objects.select_related("book", "station"), pk=int(ref))
        if isinstance(ref, dict) and ref.get("book") not in (None, "") and ref.get("period"):
            period_text = str(ref["period"])
            parse_period(period_text)
            book_ref = ref["book"]
            books = ReadingBook.objects.select_related("station")
            if isinstance(book_ref, int) and not isinstance(book_ref, bool):
                book_obj = self.scoped(books, pk=book_ref)
            else:
                book_obj = self.scoped(books, code=str(book_ref))
            return services.ensure_plan(book_obj, period_text)
        raise ServiceError("invalid_plan", '请指定抄表计划: plan 为计划 id, 或 {"book": 抄表段编号, "period": "YYYY-MM"}')

    def _result(self, plan: ReadingPlan, result: services.SubmitResult) -> Response:
        body = {"plan": plan.pk, "created": result.created, "unchanged": result.unchanged, "exceptions": result.exceptions}
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @extend_schema(
        request=ReadingBulkSerializer,
        responses={
            201: ReadingSubmitResultSerializer,
            200: OpenApiResponse(ReadingSubmitResultSerializer, description="没有新示数 (重复提交)"),
            400: OpenApiResponse(ErrorSerializer, description="import_rejected: details 列出每一处错误, 未写入任何数据"),
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        summary="批量录入抄表示数",
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        data = self.validated(ReadingBulkSerializer, request.data)
        with transaction.atomic():
            plan = self._plan(data["plan"])
            result = services.enter_readings(plan, _raw_rows(data["rows"]), request.user)
        return self._result(plan, result)

    @extend_schema(
        request={"multipart/form-data": ReadingImportSerializer},
        responses={
            201: ReadingSubmitResultSerializer,
            200: OpenApiResponse(ReadingSubmitResultSerializer, description="没有新示数 (重复导入)"),
            400: OpenApiResponse(ErrorSerializer, description="import_rejected: details 列出每一处错误, 未写入任何数据"),
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        summary="导入抄表文件",
    )
    @action(
        detail=False, methods=["post"], url_path="import", url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request: Request) -> Response:
        data = self.validated(ReadingImportSerializer, request.data)
        upload = data["file"]
        with transaction.atomic():
            plan = self._plan(data.get("plan"), data.get("book"), data.get("period"))
            result = services.import_readings(plan, upload.name, read_upload(upload), request.user)
        return self._result(plan, result)


class ReadingExceptionSerializer(serializers.ModelSerializer):
    account_number = serializers.CharField(source="reading.point.account.number", read_only=True)
    register = serializers.CharField(source="reading.register", read_only=True)
    value = serializers.DecimalField(source="reading.value", max_digits=14, decimal_places=2, read_only=True)
    status = EnumField(ReadingException.STATUS, enum_name="ReadingExceptionStatusEnum", read_only=True)

    class Meta:
        model = ReadingException
        fields = [
            "id", "reading", "plan", "station", "account_number", "register", "value", "code", "severity", "message",
            "status", "resolved_by", "resolved_at", "note",
        ]
        read_only_fields = fields


class ReadingExceptionViewSet(ScopedReadOnlyViewSet):
    """抄表异常; ``resolve`` confirms a doubtful reading as correct (a wrong one is re-entered)."""

    queryset = ReadingException.objects.select_related("reading__point__account").order_by("-id")
    serializer_class = ReadingExceptionSerializer
    filterset_class = ReadingExceptionFilterSet
    view_perm = "reading.view_reading"
    action_perms = {"resolve": ["reading.resolve_exception"]}

    @extend_schema(
        request=NoteSerializer,
        responses={200: ReadingExceptionSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
        summary="确认抄表异常",
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        exc = self.get_object()
        data = self.validated(NoteSerializer, request.data)
        services.resolve_exception(exc, request.user, data["note"])
        exc.refresh_from_db()
        return Response(ReadingExceptionSerializer(exc, context=self.get_serializer_context()).data)


ROUTES = [
    ("books", ReadingBookViewSet, "book"),
    ("plans", ReadingPlanViewSet, "plan"),
    ("readings", ReadingViewSet, "reading"),
    ("reading-exceptions", ReadingExceptionViewSet, "readingexception"),
]
