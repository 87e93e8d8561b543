"""API of the customer archive: /api/customers/ (read, create, update) and /api/accounts/ (read).

Account balances and ledgers (/api/accounts/{id}/balance/, …/ledger/) are added by
``powercis.payments.api`` (payments depends on customers, never the other way).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework import serializers

from powercis.apiperms import EnumField, Filter, ScopedReadOnlyViewSet, ScopedViewSet, api_filters
from powercis.audit.services import log_change
from powercis.customers.models import Account, AccountStatus, Customer
from powercis.org.models import Station
from powercis.org.scoping import check_station

CUSTOMER_FIELDS = ["number", "name", "kind", "id_number", "phone", "station"]


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


@api_filters(
    Filter("number", "number", "客户编号"),
    Filter("name", "name__icontains", "客户名称(包含)"),
    Filter("station", "station_id", "供电所 id", "int"),
    Filter("kind", "kind", "客户类型: person / org"),
)
class CustomerViewSet(ScopedViewSet):
    """客户档案. Create/update need ``customers.add_customer`` / ``customers.change_customer``;
    every change is written to the change log."""

    queryset = Customer.objects.select_related("station").order_by("number")
    serializer_class = CustomerSerializer

    def perform_create(self, serializer: CustomerSerializer) -> None:
        user = self.request.user
        check_station(user, serializer.validated_data["station"].pk)
        with transaction.atomic():
            customer = serializer.save()
            log_change(
                user=user, obj_type="customers.customer", obj_id=customer.pk, action="create",
                station_id=customer.station_id, summary=f"新建客户 {customer.number} {customer.name}",
                data={f: _audit_value(customer, f) for f in CUSTOMER_FIELDS},
            )

    def perform_update(self, serializer: CustomerSerializer) -> None:
        user = self.request.user
        instance: Customer = serializer.instance
        check_station(user, instance.station_id)
        if "station" in serializer.validated_data:
            check_station(user, serializer.validated_data["station"].pk)
        before = {f: _audit_value(instance, f) for f in CUSTOMER_FIELDS}
        with transaction.atomic():
            customer = serializer.save()
            after = {f: _audit_value(customer, f) for f in CUSTOMER_FIELDS}
            changes = {f: [before[f], after[f]] for f in CUSTOMER_FIELDS if before[f] != after[f]}
            if changes:
                log_change(
                    user=user, obj_type="customers.customer", obj_id=customer.pk, action="update",
                    station_id=customer.station_id,
                    summary=f"修改客户 {customer.number}: {', '.join(changes)}", data=changes,
                )


def _audit_value(customer: Customer, field: str) -> Any:
    if field == "station":
        return customer.station_id
    if field == "id_number":
        return customer.id_number_masked  # the log never holds a whole ID number
    return getattr(customer, field)


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


@api_filters(
    Filter("number", "number", "户号"),
    Filter("name", "name__icontains", "户名(包含)"),
    Filter("station", "station_id", "供电所 id", "int"),
    Filter("book", "book_id", "抄表段 id", "int"),
    Filter("book_code", "book__code", "抄表段编号"),
    Filter("area", "area_id", "台区 id", "int"),
    Filter("customer", "customer_id", "客户 id", "int"),
    Filter("status", "status", "状态: active / suspended / closed"),
    Filter("category", "category", "用电类别"),
)
class AccountViewSet(ScopedReadOnlyViewSet):
    """用电户 (read only; archive changes go through the account import)."""

    queryset = Account.objects.select_related("station", "customer", "book", "tariff").order_by("number")
    serializer_class = AccountSerializer
