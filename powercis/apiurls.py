"""The REST API under /api/: one router, every app's viewsets (from ``<app>/api.py``) registered here.

Auth: session (browser) or token (``Authorization: Token <key>``; get one from /api/auth/token/ with
username + password). Schema: /api/schema/ (OpenAPI 3, readable without login), docs: /api/docs/.
"""

from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from powercis.billing.api import AdjustmentViewSet, BillingRunViewSet, BillViewSet, CalcViewSet
from powercis.customers.api import CustomerViewSet
from powercis.metering.api import MeteringPointViewSet, MeterViewSet
from powercis.payments.api import AccountLedgerViewSet, PaymentViewSet
from powercis.reading.api import (
    ReadingBookViewSet,
    ReadingExceptionViewSet,
    ReadingPlanViewSet,
    ReadingViewSet,
)

router = DefaultRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("accounts", AccountLedgerViewSet, basename="account")
router.register("meters", MeterViewSet, basename="meter")
router.register("metering-points", MeteringPointViewSet, basename="meteringpoint")
router.register("books", ReadingBookViewSet, basename="book")
router.register("plans", ReadingPlanViewSet, basename="plan")
router.register("readings", ReadingViewSet, basename="reading")
router.register("reading-exceptions", ReadingExceptionViewSet, basename="readingexception")
router.register("bills", BillViewSet, basename="bill")
router.register("billing-runs", BillingRunViewSet, basename="billingrun")
router.register("payments", PaymentViewSet, basename="payment")
router.register("adjustments", AdjustmentViewSet, basename="adjustment")
router.register("calc", CalcViewSet, basename="calc")

urlpatterns: list = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    *router.urls,
]
