"""Chinese first: the browser's Accept-Language does not pick the language, only the switch does.

Put ``powercis.web.middleware.ChineseFirstMiddleware`` just before Django's ``LocaleMiddleware``:
without a language cookie (set by the navbar's switch, ``/i18n/setlang/``) every page is in
``LANGUAGE_CODE`` (zh-hans), whatever language the browser asks for.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ChineseFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
