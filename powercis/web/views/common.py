"""Small helpers shared by the screens: period parameter, permission guard, service-error display."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from powercis.core.periods import period_of
from powercis.org.scoping import require_perm
from powercis.services import ServiceError
from powercis.tabular import ImportRejected

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def current_period() -> str:
    return period_of(timezone.localdate())


def period_param(request: HttpRequest, name: str = "period") -> str:
    """The period of the query string or form when valid (YYYY-MM), else the current month."""
    value = (request.POST.get(name) or request.GET.get(name) or "").strip()
    return value if _PERIOD.match(value) else current_period()


def staff_view(perm: str | None = None) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Login required, then ``perm`` (403 without it)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if perm is not None:
                require_perm(request.user, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def service_error(request: HttpRequest, exc: ServiceError) -> list[dict[str, Any]]:
    """Flash the service's Chinese message; return the bad rows of a rejected import (else [])."""
    messages.error(request, exc.message)
    if isinstance(exc, ImportRejected):
        return list(exc.details or [])
    return []
