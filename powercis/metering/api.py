"""API of metering assets: /api/meters/ and /api/metering-points/ (read only)."""

from __future__ import annotations

from rest_framework import serializers

from powercis.apiperms import ScopedReadOnlyViewSet
from powercis.metering.filtersets import MeterFilterSet, MeteringPointFilterSet
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


class MeterViewSet(ScopedReadOnlyViewSet):
    """电能表."""

    queryset = Meter.objects.order_by("asset_no")
    serializer_class = MeterSerializer
    filterset_class = MeterFilterSet


class MeteringPointViewSet(ScopedReadOnlyViewSet):
    """计量点 (meter on an account with its CT/PT ratios and registers)."""

    queryset = MeteringPoint.objects.select_related("account", "meter").order_by("account__number", "id")
    serializer_class = MeteringPointSerializer
    filterset_class = MeteringPointFilterSet
    scope_field = "account__station"


ROUTES = [
    ("meters", MeterViewSet, "meter"),
    ("metering-points", MeteringPointViewSet, "meteringpoint"),
]
