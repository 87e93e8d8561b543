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


def _api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, code: str, message: str) -> HttpResponse:
    """400 in the shape of the request's side: JSON ``{code, message}`` on the API, text on pages."""
    from django.http import HttpResponseBadRequest, JsonResponse

    if _api(request):
        return JsonResponse({"code": code, "message": message}, status=400, json_dumps_params={"ensure_ascii": False})
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class RejectNulMiddleware:
    """A NUL character in a query parameter, form field or JSON body is refused at the door (400).

    No text field of PowerCIS may hold one, and PostgreSQL refuses it deep inside a query (an HTTP 500
    there): checking once here is the root fix, for every page and endpoint alike.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            return bad_request(request, "nul_character", "请求含有非法字符（NUL）")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists()):
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method in ("POST", "PUT", "PATCH"):
            if content_type.startswith("application/x-www-form-urlencoded"):
                return any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.POST.lists())
            if content_type.startswith("application/json"):
                body = request.body
                return b"\\u0000" in body or b"\x00" in body
        return False


#: Everything comes from the installation itself (closed station networks, no CDN). Inline scripts and
#: styles stay allowed for the pages' small chart and htmx set-up blocks.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'; object-src 'none'"
)


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy and Permissions-Policy headers to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
