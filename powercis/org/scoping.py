"""Per-station data scoping, enforced in queries (UI, API, exports and reports alike).

Staff see and change only their station's data; the company level (a profile without a station, or
a superuser) sees all. Every list and lookup of station-owned data goes through ``scope``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def station_ids(user: Any) -> list[int] | None:
    """The stations whose data ``user`` may see; None means all (company level)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return None
    profile = getattr(user, "staff", None)
    if profile is None:
        return []
    if profile.station_id is None:
        return None
    return [profile.station_id]


def scope(qs: QuerySet[M], user: Any, field: str = "station") -> QuerySet[M]:
    """Restrict ``qs`` to the stations ``user`` may see (``field`` is the path to the station)."""
    ids = station_ids(user)
    if ids is None:
        return qs
    return qs.filter(**{f"{field}__in": ids})


def get_scoped(qs: QuerySet[M], user: Any, field: str = "station", **lookup: Any) -> M:
    """Fetch one object inside the user's scope; outside it is indistinguishable from missing (404)."""
    try:
        return scope(qs, user, field).get(**lookup)
    except qs.model.DoesNotExist:
        raise Http404 from None


def check_station(user: Any, station_id: int) -> None:
    """Raise PermissionDenied when ``user`` may not act on ``station_id``'s data."""
    ids = station_ids(user)
    if ids is not None and station_id not in ids:
        raise PermissionDenied("无权操作其他供电所的数据")


def require_perm(user: Any, perm: str) -> None:
    """Raise PermissionDenied unless ``user`` has ``perm`` (``app.codename``)."""
    if not user.has_perm(perm):
        raise PermissionDenied(f"缺少权限: {perm}")
