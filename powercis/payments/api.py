"""API of payments and the ledger: /api/payments/ (take a payment) and the money views of an account
(/api/accounts/{id}/balance/, /api/accounts/{id}/ledger/).

A payment goes through ``take_payment``: idempotent by (channel, channel_ref), so a bank that retries
gets the first payment back (200) instead of a second one (201).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from powercis.apiperms import ErrorSerializer, ScopedReadOnlyViewSet
from powercis.customers.api import AccountViewSet
from powercis.customers.models import Account
from powercis.payments import services
from powercis.payments.filtersets import PaymentFilterSet
from powercis.payments.models import Allocation, Payment, Posting

ZERO = Decimal("0.00")


class AllocationSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="bill.period", read_only=True)

    class Meta:
        model = Allocation
        fields = ["id", "bill", "period", "amount"]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    account_number = serializers.CharField(source="account.number", read_only=True)
    allocations = AllocationSerializer(many=True, read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id", "receipt_no", "account", "account_number", "station", "amount", "method", "channel", "channel_ref",
            "cashier", "received_at", "allocations",
        ]
        read_only_fields = fields


class PaymentCreateSerializer(serializers.Serializer):
    account = serializers.IntegerField(help_text="用电户 id")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="收费金额(元)")
    method = serializers.ChoiceField(choices=Payment.METHODS, default="cash")
    channel = serializers.CharField(max_length=20, default="counter", help_text="收费渠道 (柜台 counter, 银行代码 …)")
    channel_ref = serializers.CharField(max_length=64, help_text="渠道流水号 (同一渠道内唯一; 重复提交返回原收费记录)")


class PaymentViewSet(ScopedReadOnlyViewSet):
    """收费记录. POST takes a payment (oldest debt first, the rest kept as prepayment)."""

    queryset = Payment.objects.select_related("account").prefetch_related("allocations__bill").order_by("-received_at", "-id")
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilterSet
    action_perms = {"create": ["payments.add_payment"]}

    @extend_schema(
        request=PaymentCreateSerializer,
        responses={
            201: PaymentSerializer,
            200: OpenApiResponse(PaymentSerializer, description="重复的渠道流水号: 返回原收费记录"),
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        summary="收费",
    )
    def create(self, request: Request) -> Response:
        data = self.validated(PaymentCreateSerializer, request.data)
        account = self.scoped(Account.objects.select_related("station"), pk=data["account"])
        outcome = services.take_payment(
            account, data["amount"], request.user, method=data["method"], channel=data["channel"],
            channel_ref=data["channel_ref"],
        )
        payment = self.queryset.get(pk=outcome.payment.pk)
        return Response(
            PaymentSerializer(payment, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK,
        )


class OpenBillSerializer(serializers.Serializer):
    bill = serializers.IntegerField()
    period = serializers.CharField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    open_amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="未缴金额")
    due_date = serializers.DateField(allow_null=True)


class BalanceSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    number = serializers.CharField(help_text="户号")
    receivable = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="应收余额")
    prepaid = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="预收余额")
    owed = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="欠费 (负数 = 预存)")
    open_bills = OpenBillSerializer(many=True)


class PostingSerializer(serializers.ModelSerializer):
    journal = serializers.IntegerField(source="journal_id", read_only=True)
    kind = serializers.CharField(source="journal.kind", read_only=True)
    memo = serializers.CharField(source="journal.memo", read_only=True)
    created_at = serializers.DateTimeField(source="journal.created_at", read_only=True)

    class Meta:
        model = Posting
        fields = ["id", "journal", "kind", "memo", "created_at", "ledger", "amount"]
        read_only_fields = fields


class AccountLedgerViewSet(AccountViewSet):
    """用电户, with its balances (应收/预收/欠费 and open bills) and ledger postings (分录)."""

    action_perms = {**AccountViewSet.action_perms, "balance": ["payments.view_payment"], "ledger": ["payments.view_payment"]}

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action == "ledger":
            return PostingSerializer
        return super().get_serializer_class()

    @extend_schema(responses={200: BalanceSerializer}, summary="账户余额")
    @action(detail=True, methods=["get"])
    def balance(self, request: Request, pk: str | None = None) -> Response:
        account = self.get_object()
        position = services.account_position(account)
        body = {
            "account": account.pk,
            "number": account.number,
            "receivable": position.receivable,
            "prepaid": position.prepaid,
            "owed": position.owed,
            "open_bills": [
                {"bill": b.pk, "period": b.period, "total": b.total, "open_amount": amount, "due_date": b.due_date}
                for b, amount in position.open_bills
            ],
        }
        return Response(BalanceSerializer(body).data)

    @extend_schema(responses={200: PostingSerializer(many=True)}, summary="账户分录")
    @action(detail=True, methods=["get"])
    def ledger(self, request: Request, pk: str | None = None) -> Response:
        account = self.get_object()
        postings: QuerySet[Posting] = (
            Posting.objects.filter(account=account).select_related("journal").order_by("journal__created_at", "id")
        )
        page = self.paginate_queryset(postings)
        if page is not None:
            return self.get_paginated_response(PostingSerializer(page, many=True).data)
        return Response(PostingSerializer(postings, many=True).data)


# /api/accounts/ is the archive's account list with the money actions added: payments registers it.
ROUTES = [
    ("accounts", AccountLedgerViewSet, "account"),
    ("payments", PaymentViewSet, "payment"),
]
