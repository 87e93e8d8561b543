from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from powercis.registry import app_urlconfs


class LoginView(auth_views.LoginView):
    """Django's login page, saying so when the user name is locked after too many failures."""

    def form_invalid(self, form):  # type: ignore[no-untyped-def]
        from powercis.org.security import is_locked

        response = super().form_invalid(form)
        response.context_data["locked"] = is_locked(form.data.get("username", ""))
        return response

urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/", include("powercis.apiurls")),
    # every app's pages (the shell's home too), each in its own namespace (web:home, customers:accounts, …)
    *(path("", include(module, namespace=namespace)) for module, namespace in app_urlconfs()),
]


def _not_found(request, exception=None):  # type: ignore[no-untyped-def]
    """404: JSON ``{code, message}`` on the API (one error shape, in Chinese), the 404 page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": "未找到"}, status=404, json_dumps_params={"ensure_ascii": False})
    return page_not_found(request, exception)


def _server_error(request):  # type: ignore[no-untyped-def]
    """500: JSON on the API, the plain error page elsewhere (the details go to the log, not the client)."""
    from django.http import JsonResponse
    from django.views.defaults import server_error

    if request.path.startswith("/api/"):
        return JsonResponse({"code": "server_error", "message": "服务器内部错误，请稍后再试或联系系统管理员"}, status=500,
                            json_dumps_params={"ensure_ascii": False})
    return server_error(request)


handler404 = _not_found
handler500 = _server_error
