"""API of metering assets: /api/meters/ and /api/metering-points/ (read only)."""

from __future__ import annotations

from rest_framework import serializers

from powercis.apiperms import Filter, ScopedReadOnlyViewSet, api_filters
from powercis.metering.models import Meter, MeteringPoint


class MeterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meter
        fields = ["id", "asset_no", "station", "model", "accuracy", "digits", "state", "verified_on"]
        read_only_fields = fields


class MeteringPointSerializer(serializers.ModelSerializer):
    account_number = serializers.CharField(source="account.number", read_only=True)
    meter_asset_no = serializers.CharField(source="meter.asset_no", read_only=True)
    multiplier = serializers.DecimalField(max_digits=14, decimal_places=4, read_only=True)
    registers = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = MeteringPoint
        fields = [
            "id", "account", "account_number", "meter", "meter_asset_no", "ct_ratio", "pt_ratio", "multiplier",
            "registers", "installed_on", "active",
        ]
        read_only_fields = fields


@api_filters(
    Filter("asset_no", "asset_no", "资产编号"),
    Filter("station", "station_id", "供电所 id", "int"),
    Filter("state", "state", "状态"),
)
class MeterViewSet(ScopedReadOnlyViewSet):
    """电能表."""

    queryset = Meter.objects.order_by("asset_no")
    serializer_class = MeterSerializer
    view_perm = "metering.view_meteringpoint"


@api_filters(
    Filter("account", "account_id", "用电户 id", "int"),
    Filter("account_number", "account__number", "户号"),
    Filter("meter", "meter__asset_no", "资产编号"),
    Filter("active", "active", "运行中", "bool"),
)
class MeteringPointViewSet(ScopedReadOnlyViewSet):
    """计量点 (meter on an account with its CT/PT ratios and registers)."""

    queryset = MeteringPoint.objects.select_related("account", "meter").order_by("account__number", "id")
    serializer_class = MeteringPointSerializer
    scope_field = "account__station"
