"""API of billing: /api/bills/ (+ approve, issue), /api/billing-runs/ (run), /api/adjustments/ (退补)
and /api/calc/ (电费测算).

Runs, approval and issuance go through ``powercis.billing.services``; the trial calculator is the pure
``powercis.core.calc.run``, imported on first use.
"""

from __future__ import annotations

from typing import Any

from django.utils.timezone import localdate as today
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from powercis.apiperms import (
    EnumField,
    ErrorSerializer,
    NoteSerializer,
    ScopedReadOnlyViewSet,
    jsonable,
)
from powercis.billing import corrections, services
from powercis.billing.filtersets import AdjustmentFilterSet, BillFilterSet, BillingRunFilterSet
from powercis.billing.models import (
    Adjustment,
    AdjustmentStatus,
    Bill,
    BillingRun,
    BillLine,
    BillStatus,
    ReviewFlag,
)
from powercis.core import calc
from powercis.core.calc import KINDS
from powercis.core.periods import parse_period
from powercis.customers.models import Account
from powercis.org.models import ReadingBook, Station
from powercis.services import ServiceError


class BillLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BillLine
        fields = ["seq", "item", "label", "quantity", "unit", "price", "amount", "rule", "formula", "segment"]
        read_only_fields = fields


class ReviewFlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewFlag
        fields = ["id", "code", "message", "resolved_by", "resolved_at", "note"]
        read_only_fields = fields


class BillSerializer(serializers.ModelSerializer):
    account_number = serializers.CharField(source="account.number", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    status = EnumField(BillStatus.choices, enum_name="BillStatusEnum", read_only=True)
    kind = EnumField(Bill.KINDS, enum_name="BillKindEnum", read_only=True)

    class Meta:
        model = Bill
        fields = [
            "id", "account", "account_number", "account_name", "station", "book", "run", "period", "kind", "seq",
            "status", "energy_kwh", "total", "pf", "tariff_version", "period_start", "period_end", "due_date",
            "created_at", "approved_by", "issued_at", "issued_by",
        ]
        read_only_fields = fields


class BillDetailSerializer(BillSerializer):
    """A bill with its lines (every amount with its rule and formula), review flags and input snapshot."""

    lines = BillLineSerializer(many=True, read_only=True)
    flags = ReviewFlagSerializer(many=True, read_only=True)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, help_text="已销账金额")
    rating_input = serializers.JSONField(read_only=True, help_text="计费输入快照")

    class Meta(BillSerializer.Meta):
        fields = [*BillSerializer.Meta.fields, "paid", "lines", "flags", "rating_input"]
        read_only_fields = fields


class PeriodBooksSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="电费年月 YYYY-MM")
    books = serializers.ListField(child=serializers.IntegerField(), min_length=1, help_text="抄表段 id 列表")
    station = serializers.IntegerField(required=False, help_text="供电所 id (默认: 抄表段所属供电所)")


class IssueResultSerializer(serializers.Serializer):
    issued = serializers.IntegerField(help_text="发行笔数")


def _station_books(request: Request, data: dict[str, Any]) -> tuple[Station, str, list[ReadingBook]]:
    """``{period, books, station}`` of a request body → the scoped station and books (one rule: services)."""
    period = data["period"]
    parse_period(period)
    station, books = services.resolve_books(request.user, data["books"], data.get("station"))
    return station, period, books


class BillViewSet(ScopedReadOnlyViewSet):
    """电费. ``approve`` passes a flagged bill after review; ``issue`` issues (发行) approved bills."""

    queryset = Bill.objects.select_related("account").order_by("-period", "account__number", "id")
    serializer_class = BillSerializer
    filterset_class = BillFilterSet
    action_perms = {"approve": ["billing.review_bill"], "issue": ["billing.issue_bill"]}

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        if self.action in {"retrieve", "approve"}:
            qs = qs.prefetch_related("lines", "flags")
        return qs

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return BillDetailSerializer if self.action in {"retrieve", "approve"} else BillSerializer

    @extend_schema(
        request=NoteSerializer,
        responses={200: BillDetailSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
        summary="电费审核通过",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        bill = self.get_object()
        data = self.validated(NoteSerializer, request.data)
        services.approve_bill(bill, request.user, data["note"])
        bill = self.get_queryset().get(pk=bill.pk)
        return Response(BillDetailSerializer(bill, context=self.get_serializer_context()).data)

    @extend_schema(
        request=PeriodBooksSerializer,
        responses={200: IssueResultSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="电费发行",
    )
    @action(detail=False, methods=["post"])
    def issue(self, request: Request) -> Response:
        station, period, books = _station_books(request, self.validated(PeriodBooksSerializer, request.data))
        return Response({"issued": services.issue_bills(station, period, books, request.user, on=today())})


class BillingRunSerializer(serializers.ModelSerializer):
    errors = serializers.ListField(child=serializers.CharField(), read_only=True)
    status = EnumField(BillingRun.STATUS, enum_name="BillingRunStatusEnum", read_only=True)

    class Meta:
        model = BillingRun
        fields = [
            "id", "station", "period", "books", "status", "started_by", "started_at", "finished_at", "bills_created",
            "bills_existing", "errors",
        ]
        read_only_fields = fields


class BillingRunViewSet(ScopedReadOnlyViewSet):
    """电费计算批次. POST runs billing for released books; re-running a period writes nothing twice."""

    queryset = BillingRun.objects.prefetch_related("books").order_by("-id")
    serializer_class = BillingRunSerializer
    filterset_class = BillingRunFilterSet
    view_perm = "billing.view_bill"
    action_perms = {"create": ["billing.run_billing"]}

    @extend_schema(
        request=PeriodBooksSerializer,
        responses={201: BillingRunSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="电费计算",
    )
    def create(self, request: Request) -> Response:
        station, period, books = _station_books(request, self.validated(PeriodBooksSerializer, request.data))
        run = services.run_billing(station, period, books, request.user, on=today())
        run = BillingRun.objects.prefetch_related("books").get(pk=run.pk)
        return Response(BillingRunSerializer(run).data, status=status.HTTP_201_CREATED)


class CalcRequestSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="计算类型: " + ", ".join(sorted(KINDS)) + " (cases/FORMAT.md)")
    date = serializers.DateField(required=False, allow_null=True, help_text="事件日期, 决定适用的规则版本 (默认今天)")
    input = serializers.DictField(help_text="该类型的输入对象 (与案例文件的 input 相同)")


class CalcResultSerializer(serializers.Serializer):
    result = serializers.JSONField(help_text="计算结果, 金额为字符串")


class CalcViewSet(viewsets.ViewSet):
    """电费测算: the pure calculators of ``powercis.core.calc``; no data is read or written."""

    @extend_schema(
        request=CalcRequestSerializer,
        responses={200: CalcResultSerializer, 400: OpenApiResponse(ErrorSerializer, description="CalcError")},
        summary="电费测算",
    )
    def create(self, request: Request) -> Response:
        serializer = CalcRequestSerializer(data=request.data)
        if not serializer.is_valid():
            raise ServiceError("invalid", "请求数据有误", details=serializer.errors)
        data = serializer.validated_data
        result = calc.run(data["kind"], data["input"], data.get("date"))
        return Response({"result": jsonable(result)})


class AdjustmentSerializer(serializers.ModelSerializer):
    account_number = serializers.CharField(source="account.number", read_only=True)
    status = EnumField(AdjustmentStatus.choices, enum_name="AdjustmentStatusEnum", read_only=True)
    kind = EnumField(Adjustment.KINDS, enum_name="AdjustmentKindEnum", read_only=True)
    calc_input = serializers.JSONField(read_only=True)
    calc_result = serializers.JSONField(read_only=True)

    class Meta:
        model = Adjustment
        fields = [
            "id", "station", "account", "account_number", "bill", "kind", "cause", "evidence", "calc_kind", "calc_input",
            "calc_result", "kwh", "price", "amount", "status", "requested_by", "requested_at", "decided_by",
            "decided_at", "decision_note", "posted_bills",
        ]
        read_only_fields = fields


class AdjustmentRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["meter_error", "recalc"], help_text="meter_error 计量差错退补 / recalc 重新计费")
    account = serializers.IntegerField(required=False, help_text="用电户 id (meter_error)")
    bill = serializers.IntegerField(required=False, help_text="电费 id (recalc 必填; meter_error 可选)")
    cause = serializers.CharField(help_text="退补原因")
    evidence = serializers.CharField(help_text="证据说明")
    calc_input = serializers.DictField(required=False, help_text="meter_error 的计算输入 (cases/FORMAT.md)")
    price = serializers.DecimalField(max_digits=12, decimal_places=6, required=False, help_text="退补电价 (meter_error)")
    date = serializers.DateField(required=False, allow_null=True, help_text="事件日期 (规则版本)")
    corrected_input = serializers.DictField(required=False, help_text="recalc: 更正后的计费输入")


class AdjustmentViewSet(ScopedReadOnlyViewSet):
    """退补. POST requests one (computed at once); ``approve``/``reject`` by another person (four-eyes)."""

    queryset = Adjustment.objects.select_related("account").prefetch_related("posted_bills").order_by("-id")
    serializer_class = AdjustmentSerializer
    filterset_class = AdjustmentFilterSet
    view_perm = "billing.view_bill"
    action_perms = {
        "create": ["billing.request_adjustment"],
        "approve": ["billing.approve_adjustment"],
        "reject": ["billing.approve_adjustment"],
    }

    @extend_schema(
        request=AdjustmentRequestSerializer,
        responses={201: AdjustmentSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="申请退补",
    )
    def create(self, request: Request) -> Response:
        data = self.validated(AdjustmentRequestSerializer, request.data)
        bill = self.scoped(Bill.objects.all(), pk=data["bill"]) if data.get("bill") else None
        if data["kind"] == "recalc":
            if bill is None or "corrected_input" not in data:
                raise ServiceError("missing_field", "重新计费须提供 bill 与 corrected_input")
            adj = corrections.request_recalculation(
                bill, request.user, cause=data["cause"], evidence=data["evidence"], corrected_input=data["corrected_input"]
            )
        else:
            if "calc_input" not in data or "price" not in data:
                raise ServiceError("missing_field", "计量差错退补须提供 calc_input 与 price")
            account = bill.account if bill else self.scoped(Account.objects.all(), pk=data.get("account"))
            adj = corrections.request_meter_error_adjustment(
                account, request.user, cause=data["cause"], evidence=data["evidence"], calc_input=data["calc_input"],
                price=data["price"], on=data.get("date"), bill=bill,
            )
        return Response(AdjustmentSerializer(adj).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NoteSerializer, responses={200: AdjustmentSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
                   summary="审批通过退补")
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        adj = self.get_object()
        corrections.approve_adjustment(
            adj, request.user, self.validated(NoteSerializer, request.data)["note"], on=today()
        )
        return Response(AdjustmentSerializer(self.get_queryset().get(pk=adj.pk)).data)

    @extend_schema(request=NoteSerializer, responses={200: AdjustmentSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
                   summary="驳回退补")
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        adj = self.get_object()
        corrections.reject_adjustment(adj, request.user, self.validated(NoteSerializer, request.data)["note"])
        return Response(AdjustmentSerializer(self.get_queryset().get(pk=adj.pk)).data)


ROUTES = [
    ("bills", BillViewSet, "bill"),
    ("billing-runs", BillingRunViewSet, "billingrun"),
    ("adjustments", AdjustmentViewSet, "adjustment"),
    ("calc", CalcViewSet, "calc"),
]
