"""API of the customer archive: /api/customers/ (read, create, update) and /api/accounts/ (read).

Account balances and ledgers (/api/accounts/{id}/balance/, …/ledger/) are added by
``powercis.payments.api`` (payments depends on customers, never the other way).
"""

from __future__ import annotations

from django.utils.timezone import localdate as today
from rest_framework import serializers

from powercis.apiperms import EnumField, ScopedReadOnlyViewSet, ScopedViewSet
from powercis.customers import services
from powercis.customers.filtersets import AccountFilterSet, CustomerFilterSet
from powercis.customers.models import Account, AccountStatus, Customer
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


class AccountViewSet(ScopedReadOnlyViewSet):
    """用电户 (read only; archive changes go through the account import)."""

    queryset = Account.objects.select_related("station", "customer", "book", "tariff").order_by("number")
    serializer_class = AccountSerializer
    filterset_class = AccountFilterSet


# /api/accounts/ is registered by payments (AccountLedgerViewSet adds balance and ledger to it).
ROUTES = [("customers", CustomerViewSet, "customer")]
