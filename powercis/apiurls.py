"""The REST API under /api/: one router; every app registers its own viewsets (``<app>/api.py`` ROUTES).

Auth: session (browser) or token (``Authorization: Token <key>``; get one from /api/auth/token/ with
username + password). Schema: /api/schema/ (OpenAPI 3, readable without login), docs: /api/docs/.
"""

from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from powercis.registry import api_routes

router = DefaultRouter()
for prefix, viewset, basename in api_routes():
    router.register(prefix, viewset, basename=basename)

urlpatterns: list = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    *router.urls,
]
