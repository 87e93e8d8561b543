"""API of the customer archive: /api/customers/ (read, create, update) and /api/accounts/ (read).

Account balances and ledgers (/api/accounts/{id}/balance/, …/ledger/) are added by
``powercis.payments.api`` (payments depends on customers, never the other way).
"""

from __future__ import annotations

from django.utils.timezone import localdate as today
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from powercis.apiperms import EnumField, ErrorSerializer, ScopedReadOnlyViewSet, ScopedViewSet
from powercis.customers import services, terms
from powercis.customers.filtersets import AccountFilterSet, CustomerFilterSet
from powercis.customers.models import Account, AccountStatus, AccountTerms, Customer
from powercis.org.models import Station


class CustomerSerializer(serializers.ModelSerializer):
    """A customer; the ID number is written whole but only ever read back masked."""

    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    id_number = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=30)
    id_number_masked = serializers.CharField(read_only=True)
    station_code = serializers.CharField(source="station.code", read_only=True)
    kind = EnumField(Customer.KINDS, enum_name="CustomerKindEnum", default="person")

    class Meta:
        model = Customer
        fields = [
            "id", "number", "name", "kind", "id_number", "id_number_masked", "phone", "station", "station_code",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class CustomerViewSet(ScopedViewSet):
    """客户档案. Create/update need ``customers.add_customer`` / ``customers.change_customer``;
    every change is written to the change log."""

    queryset = Customer.objects.select_related("station").order_by("number")
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilterSet

    def perform_create(self, serializer: CustomerSerializer) -> None:
        serializer.instance = services.create_customer(dict(serializer.validated_data), self.request.user, on=today())

    def perform_update(self, serializer: CustomerSerializer) -> None:
        serializer.instance = services.update_customer(
            serializer.instance, dict(serializer.validated_data), self.request.user, on=today()
        )


class AccountSerializer(serializers.ModelSerializer):
    """A power account (用电户) with what billing needs from the archive."""

    customer_number = serializers.CharField(source="customer.number", read_only=True)
    station_code = serializers.CharField(source="station.code", read_only=True)
    book_code = serializers.CharField(source="book.code", read_only=True, allow_null=True, default=None)
    tariff_code = serializers.CharField(source="tariff.code", read_only=True)
    status = EnumField(AccountStatus.choices, enum_name="AccountStatusEnum", read_only=True)

    class Meta:
        model = Account
        fields = [
            "id", "number", "name", "address", "customer", "customer_number", "station", "station_code", "area",
            "feeder", "book", "book_code", "category", "tariff", "tariff_code", "voltage", "capacity_kva",
            "metering_mode", "basic_charge_mode", "contract_demand_kw", "pf_standard", "status", "vulnerable",
            "inspection_class", "connected_on", "created_at",
        ]
        read_only_fields = fields


class TermsSerializer(serializers.ModelSerializer):
    """One dated row of an account's archive (用电户档案，按生效日期)."""

    tariff_code = serializers.CharField(source="tariff.code", read_only=True)
    transformers = serializers.JSONField(read_only=True)
    interlocked = serializers.JSONField(read_only=True)
    transformer_loss = serializers.JSONField(read_only=True)
    fixed_quantities = serializers.JSONField(read_only=True)
    fixed_ratios = serializers.JSONField(read_only=True)

    class Meta:
        model = AccountTerms
        fields = ["id", "valid_from", "seq", "status", "category", "tariff", "tariff_code", "voltage", "capacity_kva",
                  "transformers", "interlocked", "basic_charge_mode", "contract_demand_kw", "pf_standard",
                  "metering_mode", "transformer_loss", "fixed_quantities", "fixed_ratios", "reason", "changed_by",
                  "recorded_at"]
        read_only_fields = fields


class TermsChangeSerializer(serializers.Serializer):
    valid_from = serializers.DateField(help_text="生效日期")
    changes = serializers.DictField(help_text="变更项目: capacity_kva, pf_standard, metering_mode, transformers …")
    reason = serializers.CharField(max_length=200, help_text="变更原因")


class AccountViewSet(ScopedReadOnlyViewSet):
    """用电户 (read only; archive changes go through the account import)."""

    queryset = Account.objects.select_related("station", "customer", "book", "tariff").order_by("number")
    serializer_class = AccountSerializer
    filterset_class = AccountFilterSet
    action_perms = {"terms": ["customers.change_account"]}

    def required_perms(self, action: str | None, method: str) -> list[str]:
        if action == "terms" and method == "GET":
            return [self._model_perm("view")]
        return super().required_perms(action, method)

    @extend_schema(methods=["GET"], responses={200: TermsSerializer(many=True)}, summary="档案(按生效日期)")
    @extend_schema(methods=["POST"], request=TermsChangeSerializer,
                   responses={201: TermsSerializer, 400: ErrorSerializer, 403: ErrorSerializer}, summary="档案变更")
    @action(detail=True, methods=["get", "post"])
    def terms(self, request: Request, pk: str | None = None) -> Response:
        """GET: every dated row of the account's archive; POST: a change from ``valid_from`` (not 改类)."""
        account = self.get_object()
        if request.method == "GET":
            return Response(TermsSerializer(terms.history(account), many=True).data)
        data = self.validated(TermsChangeSerializer, request.data)
        row = terms.change_terms(account, valid_from=data["valid_from"], changes=data["changes"], reason=data["reason"],
                                 user=request.user, on=today())
        return Response(TermsSerializer(row).data, status=201)


# /api/accounts/ is registered by payments (AccountLedgerViewSet adds balance and ledger to it).
ROUTES = [("customers", CustomerViewSet, "customer")]
