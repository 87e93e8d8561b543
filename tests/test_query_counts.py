"""SQL queries per page and per API list: pinned, and the same with twice the data (no N+1).

Pages and endpoints are discovered from the URL configuration and the API router, so a new list
falls under this test the day it lands: it fails until its count is pinned in ``PINNED`` below. The
counts are measured after one month in both stations, then again after a second month (every list,
account and bill then has more rows behind it): a query per row would change the count.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from powercis.apiurls import router
from powercis.billing.models import Bill
from powercis.payments.models import Payment
from tests.factories import next_month
from tests.test_station_scope import _list_pages

pytestmark = pytest.mark.django_db

#: Queries of each page or endpoint for a station user (session, user, permissions included).
PINNED: dict[str, int] = {
    # generic list pages
    "customers:accounts": 12,
    "customers:customers": 10,
    "metering:meters": 10,
    "billing:bills": 11,
    "payments:payments": 10,
    # the main pages
    "account page": 16,
    "bill page": 13,
    "counter": 11,
    "receipt": 11,
    "books": 12,
    "plan": 15,
    "exceptions": 8,
    "review": 9,
    "billing home": 10,
    # API lists
    "/api/customers/": 3,
    "/api/accounts/": 5,
    "/api/meters/": 3,
    "/api/metering-points/": 2,
    "/api/books/": 4,
    "/api/plans/": 4,
    "/api/readings/": 4,
    "/api/reading-exceptions/": 4,
    "/api/bills/": 4,
    "/api/billing-runs/": 4,
    "/api/adjustments/": 4,
    "/api/payments/": 5,
}


def _count(get: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = get()
    status = getattr(response, "status_code", 200)
    assert status == 200, status
    return len(ctx.captured_queries)


def _pages(world, user) -> dict[str, Callable[[], object]]:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    client.get("/")  # the session exists
    account = world.accounts["R001"]
    bill = Bill.objects.filter(account=account).order_by("period", "id").first()  # the same bill both times
    payment = Payment.objects.filter(account__station=world.station_a).order_by("id").first()
    assert bill is not None and payment is not None
    period = bill.period
    pages: dict[str, Callable[[], object]] = {
        name: (lambda n=name: client.get(reverse(n))) for name in _list_pages()
    }
    pages.update({
        "account page": lambda: client.get(reverse("customers:account", args=[account.pk])),
        "bill page": lambda: client.get(reverse("billing:bill", args=[bill.pk])),
        "counter": lambda: client.get(reverse("payments:counter"), {"number": account.number}),
        "receipt": lambda: client.get(reverse("payments:receipt", args=[payment.pk])),
        "books": lambda: client.get(reverse("reading:books"), {"period": period}),
        "plan": lambda: client.get(reverse("reading:plan", args=[world.book_a.pk, period])),
        "exceptions": lambda: client.get(reverse("reading:exceptions")),
        "review": lambda: client.get(reverse("billing:review"), {"period": period}),
        "billing home": lambda: client.get(reverse("billing:home"), {"period": period}),
    })
    api = APIClient()
    api.force_authenticate(user)
    for prefix, viewset, _basename in router.registry:
        if hasattr(viewset, "list") and hasattr(viewset, "queryset"):
            pages[f"/api/{prefix}/"] = lambda p=prefix: api.get(f"/api/{p}/")
    return pages


def test_queries_are_pinned_and_do_not_grow_with_rows(both) -> None:  # type: ignore[no-untyped-def]
    world, user_a, user_b = both
    first = {name: _count(get) for name, get in _pages(world, user_a).items()}
    unpinned = sorted(set(first) - set(PINNED))
    assert not unpinned, f"pin the query count of {unpinned}: measured {[first[n] for n in unpinned]}"
    next_month(world, user_a, user_b)
    second = {name: _count(get) for name, get in _pages(world, user_a).items()}
    grew = {n: (first[n], second[n]) for n in first if second[n] != first[n]}
    assert not grew, f"query count grew with the data (N+1): {grew}"
    changed = {n: (PINNED[n], first[n]) for n in first if first[n] != PINNED[n]}
    assert not changed, f"query counts (pinned, measured): {changed}"
