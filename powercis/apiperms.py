"""Shared base of every app's API: station scoping, per-action permissions, query-param filters.

Every API viewset derives from ``ScopedViewSetMixin`` (through ``ScopedReadOnlyViewSet`` or
``ScopedViewSet``):

* ``get_queryset`` passes ``queryset`` through ``powercis.org.scoping.scope`` with ``scope_field``, so
  another station's object is missing from lists and a 404 on retrieve (as in the UI);
* ``ActionPermission`` requires ``view_perm`` for reads and ``action_perms[action]`` for writes and
  custom actions (403 before anything runs; the services check again themselves);
* ``filterset_class`` is the app's FilterSet (``<app>/filtersets.py``), the same one its staff list
  uses: the API's query parameters (``?period=2024-05&status=draft``) are its filters, documented in
  the OpenAPI schema by drf-spectacular's django-filter support;
* ``EnumField`` gives a choice set its own schema component name (``BillStatusEnum``), so that several
  fields called ``status`` with different choices never collide in the schema;
* request-body validation errors use the same ``{"code", "message", "details"}`` shape as the
  services' errors (``code = "invalid"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_description_list
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from powercis.org.scoping import get_scoped, scope
from powercis.services import ServiceError

READ_ACTIONS = {"list", "retrieve", "metadata"}


class ActionPermission(permissions.BasePermission):
    """Authenticated, plus the permissions the view declares for the current action."""

    message = "无权限"

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        required = view.required_perms(getattr(view, "action", None), request.method)
        return all(user.has_perm(p) for p in required)


class FilterBackend(DjangoFilterBackend):
    """The app's FilterSet (``filterset_class``, shared with its staff list) on the API's query parameters.

    A bad value is the API's usual error: 400 ``invalid_filter`` naming the parameters.
    """

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            names = ", ".join(filterset.errors)
            raise ServiceError("invalid_filter", f"查询参数无效: {names}", details=filterset.errors)
        return filterset.qs


class ScopedViewSetMixin:
    """Scoping, permissions and filters shared by every API viewset (see the module docstring)."""

    queryset: QuerySet[Any]
    scope_field: ClassVar[str] = "station"
    view_perm: ClassVar[str] = ""  # default: <app>.view_<model> of ``queryset``
    action_perms: ClassVar[dict[str, Sequence[str]]] = {}
    permission_classes = [ActionPermission]
    filter_backends = [FilterBackend]
    request: Request
    action: str | None

    def _model_perm(self, verb: str) -> str:
        meta = self.queryset.model._meta
        return f"{meta.app_label}.{verb}_{meta.model_name}"

    def required_perms(self, action: str | None, method: str) -> list[str]:
        view = self.view_perm or self._model_perm("view")
        if action in self.action_perms:
            return [view, *self.action_perms[action]]
        if action in READ_ACTIONS or method in permissions.SAFE_METHODS or action is None:
            return [view]
        defaults = {"create": "add", "update": "change", "partial_update": "change", "destroy": "delete"}
        return [view, self._model_perm(defaults.get(action, "change"))]

    def get_queryset(self) -> QuerySet[Any]:
        return scope(self.queryset.all(), self.request.user, self.scope_field)

    def scoped(self, model_qs: QuerySet[Any], field: str = "station", **lookup: Any) -> Model:
        """One object of another model inside the user's scope (404 outside it)."""
        return get_scoped(model_qs, self.request.user, field, **lookup)

    def validated(self, serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
        """Validate a request body with ``serializer_class``; errors → 400 ``invalid``."""
        serializer = serializer_class(data=data, context={"request": self.request, "view": self})
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, ValidationError):
            exc = ServiceError("invalid", "请求数据有误", details=exc.detail)
        return super().handle_exception(exc)  # type: ignore[misc]


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """list + retrieve (+ custom actions) of station-scoped objects."""


class ScopedViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """list + retrieve + create + update (no delete: archives are closed, never deleted)."""


class NoteSerializer(serializers.Serializer):
    """The body of every decision action (approve, reject, resolve): the person's note."""

    note = serializers.CharField(help_text="意见", allow_blank=True)


class ErrorSerializer(serializers.Serializer):
    """The error body of every API error (``details`` e.g. the bad rows of an import)."""

    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.JSONField(required=False, allow_null=True)


def jsonable(value: Any) -> Any:
    """Decimals as strings (money never becomes a float), dates as ISO text, recursively."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class EnumField(serializers.ChoiceField):
    """A choice field whose choice set is the named schema component ``enum_name``."""

    def __init__(self, choices: Any, *, enum_name: str, **kwargs: Any) -> None:
        self.enum_name = enum_name
        super().__init__(choices, **kwargs)


class EnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        field: EnumField = self.target
        schema = {
            "type": "string",
            "enum": [k for k in field.choices if k != ""],
            "description": build_choice_description_list(field.choices.items()),
        }
        component = ResolvedComponent(
            name=field.enum_name, type=ResolvedComponent.SCHEMA, object=field.enum_name, schema=schema
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref
