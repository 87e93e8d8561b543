"""Sign-in throttling: after ``MAX_FAILURES`` failed attempts within ``WINDOW`` a user name is locked
until the window has passed since the last failure (web login and API token alike).

The lock is per user name, not per address: an attacker guessing one account's password from many
addresses is stopped all the same. A successful sign-in starts the count anew (failures before the
user's ``last_login`` do not count).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
LOCKED_MESSAGE = "登录失败次数过多，该账号已暂时锁定，请 15 分钟后再试或联系系统管理员"


def is_locked(username: str, now: dt.datetime | None = None) -> bool:
    from django.contrib.auth import get_user_model

    from powercis.org.models import LoginFailure

    if not username:
        return False
    now = now or timezone.now()
    since = now - WINDOW
    last_login = (
        get_user_model().objects.filter(username=username).values_list("last_login", flat=True).first()
    )
    if last_login is not None and last_login > since:
        since = last_login
    return LoginFailure.objects.filter(username=username, at__gt=since).count() >= MAX_FAILURES


def record_failure(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    """``user_login_failed`` receiver."""
    from powercis.org.models import LoginFailure

    ip = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    LoginFailure.objects.create(username=str(credentials.get("username", ""))[:150], ip=ip[:64])


class ThrottledModelBackend(ModelBackend):
    """Django's backend, refusing a locked user name before the password is even checked."""

    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any) -> Any:
        if username is not None and is_locked(username):
            raise PermissionDenied(LOCKED_MESSAGE)  # ends authentication: no other backend is tried
        return super().authenticate(request, username=username, password=password, **kwargs)
