"""Per-station scoping of every list, discovered from the code — not from a hand-kept list.

* UI: every page declared on ``ScopedListView`` in the URL configuration shows only the user's
  station's rows (page and Excel/CSV export); every page without URL arguments mentions nothing of
  the other station.
* API: every viewset registered on the router lists only the user's station's rows, and another
  station's object is a 404.

A new app's pages and viewsets fall under these tests the day they are registered. Both stations run
a whole month (readings, billing, a 退补, issuance, a payment) so that every list has rows on both
sides; a list that is empty for either station fails the test rather than passing vacuously.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from powercis.apiurls import router
from powercis.org.scoping import scope
from powercis.web.generic import ScopedListView

pytestmark = pytest.mark.django_db

#: Lists that must be discovered (so a broken discovery cannot pass by finding nothing).
KNOWN_PAGES = {"customers:accounts", "customers:customers", "metering:meters", "billing:bills", "payments:payments"}
KNOWN_API = {"customers", "accounts", "meters", "metering-points", "books", "plans", "readings", "bills",
             "billing-runs", "adjustments", "payments"}


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            yield from _patterns(p, f"{namespace}{ns}:" if ns else namespace)
        else:
            yield f"{namespace}{p.name}", p


def _plain_get_pages() -> dict[str, URLPattern]:
    """Named staff pages without URL arguments (not the API, which has its own test, nor the admin)."""
    out = {}
    for name, p in _patterns(get_resolver()):
        route = str(p.pattern)
        if not p.name or p.pattern.converters or "<" in route or "(?P" in route:
            continue
        if not reverse(name).startswith(("/api/", "/admin/")):
            out[name] = p
    return out


def _list_pages() -> dict[str, type[ScopedListView]]:
    pages = {}
    for name, p in _plain_get_pages().items():
        view_class = getattr(p.callback, "view_class", None)
        if isinstance(view_class, type) and issubclass(view_class, ScopedListView):
            pages[name] = view_class
    return pages


def _station_of(obj: Model, field: str) -> int:
    value: Any = obj
    for part in field.split("__"):
        value = getattr(value, part)
    return value.pk if isinstance(value, Model) else value


def test_discovery_finds_the_known_lists() -> None:
    assert KNOWN_PAGES <= set(_list_pages())
    assert KNOWN_API <= {prefix for prefix, _viewset, _basename in router.registry}


def test_every_list_page_shows_only_the_users_station(both) -> None:  # type: ignore[no-untyped-def]
    world, user_a, user_b = both
    for name, view_class in _list_pages().items():
        model, field = view_class.model, view_class.scope_field
        for user, station, other in ((user_a, world.station_a, world.station_b), (user_b, world.station_b, world.station_a)):
            client = Client()
            client.force_login(user)
            response = client.get(reverse(name), {"page": 1})
            assert response.status_code == 200, name
            rows = list(response.context["object_list"])
            assert rows, f"{name}: no rows for {station.code}, the test would prove nothing"
            assert {_station_of(r, field) for r in rows} == {station.pk}, name
            own = scope(model._default_manager.all(), user, field).count()
            assert model._default_manager.filter(**{f"{field}__in": [other.pk]}).exists(), f"{name}: other station empty"
            export = client.get(reverse(name), {"export": "csv"})
            assert export.status_code == 200, name
            lines = export.content.decode("utf-8-sig").strip().splitlines()
            assert len(lines) - 1 == own, f"{name}: export has {len(lines) - 1} rows, the station has {own}"


def test_no_page_mentions_the_other_station(both) -> None:  # type: ignore[no-untyped-def]
    """Every page without arguments, opened by station A's all-powerful user, names nothing of B."""
    world, user_a, _user_b = both
    account_b = world.accounts["RB01"]
    markers = [account_b.number, account_b.name, world.book_b.code, world.station_b.name]
    client = Client()
    client.force_login(user_a)
    pages = _plain_get_pages()
    assert "customers:accounts" in pages and "payments:counter" in pages
    for name in pages:
        if name in {"logout", "set_language"}:
            continue
        response = client.get(reverse(name))
        if response.status_code == 405:
            continue  # an action (POST only), not a page
        assert response.status_code in (200, 302), (name, response.status_code)
        text = response.content.decode("utf-8", "replace")
        leaked = [m for m in markers if m in text]
        assert not leaked, f"{name} shows {leaked}"


def test_every_api_list_shows_only_the_users_station(both) -> None:  # type: ignore[no-untyped-def]
    world, user_a, user_b = both
    checked = set()
    for prefix, viewset, _basename in router.registry:
        if not hasattr(viewset, "list") or not hasattr(viewset, "queryset"):
            continue  # action-only endpoints (the calculator) hold no station data
        model, field = viewset.queryset.model, viewset.scope_field
        for user, station, other in ((user_a, world.station_a, world.station_b), (user_b, world.station_b, world.station_a)):
            client = APIClient()
            client.force_authenticate(user)
            response = client.get(f"/api/{prefix}/", {"page_size": 1000})
            assert response.status_code == 200, (prefix, response.content[:200])
            body = response.json()
            ids = {r["id"] for r in (body["results"] if isinstance(body, dict) else body)}
            own = set(scope(model._default_manager.all(), user, field).values_list("pk", flat=True))
            theirs = set(model._default_manager.filter(**{f"{field}__in": [other.pk]}).values_list("pk", flat=True))
            assert ids, f"/api/{prefix}/: no rows for {station.code}, the test would prove nothing"
            assert theirs, f"/api/{prefix}/: the other station has no rows"
            assert ids <= own and not ids & theirs, prefix
            other_id = min(theirs)
            assert client.get(f"/api/{prefix}/{other_id}/").status_code == 404, prefix
        checked.add(prefix)
    assert KNOWN_API <= checked
