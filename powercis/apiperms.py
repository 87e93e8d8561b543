"""Shared base of every app's API: station scoping, per-action permissions, query-param filters.

Every API viewset derives from ``ScopedViewSetMixin`` (through ``ScopedReadOnlyViewSet`` or
``ScopedViewSet``):

* ``get_queryset`` passes ``queryset`` through ``powercis.org.scoping.scope`` with ``scope_field``, so
  another station's object is missing from lists and a 404 on retrieve (as in the UI);
* ``ActionPermission`` requires ``view_perm`` for reads and ``action_perms[action]`` for writes and
  custom actions (403 before anything runs; the services check again themselves);
* ``filters`` are simple exact-match query parameters (``?period=2024-05&status=draft``), declared once
  and documented in the OpenAPI schema by the ``api_filters`` class decorator;
* ``EnumField`` gives a choice set its own schema component name (``BillStatusEnum``), so that several
  fields called ``status`` with different choices never collide in the schema;
* request-body validation errors use the same ``{"code", "message", "details"}`` shape as the
  services' errors (``code = "invalid"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_description_list
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
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


@dataclass(frozen=True)
class Filter:
    """One exact-match query parameter: ``?param=value`` → ``qs.filter(lookup=value)``."""

    param: str
    lookup: str
    description: str
    kind: str = "str"  # "str" | "int" | "bool"

    def parameter(self) -> OpenApiParameter:
        kind = {"int": OpenApiTypes.INT, "bool": OpenApiTypes.BOOL}.get(self.kind, OpenApiTypes.STR)
        return OpenApiParameter(self.param, kind, OpenApiParameter.QUERY, required=False, description=self.description)

    def value(self, text: str) -> Any:
        if self.kind == "int":
            if not text.strip().isdigit():
                raise ServiceError("invalid_filter", f"查询参数 {self.param} 须为整数: {text!r}")
            return int(text)
        if self.kind == "bool":
            return text.strip().lower() in {"1", "true", "yes", "是"}
        return text.strip()


def api_filters(*filters: Filter) -> Any:
    """Class decorator: set the viewset's ``filters`` and document them on its ``list`` action."""

    def decorate(cls: type) -> type:
        cls.filters = tuple(filters)
        return extend_schema_view(list=extend_schema(parameters=[f.parameter() for f in filters]))(cls)

    return decorate


class ScopedViewSetMixin:
    """Scoping, permissions and filters shared by every API viewset (see the module docstring)."""

    queryset: QuerySet[Any]
    scope_field: ClassVar[str] = "station"
    view_perm: ClassVar[str] = ""  # default: <app>.view_<model> of ``queryset``
    action_perms: ClassVar[dict[str, Sequence[str]]] = {}
    filters: ClassVar[tuple[Filter, ...]] = ()
    permission_classes = [ActionPermission]
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
        qs = scope(self.queryset.all(), self.request.user, self.scope_field)
        if getattr(self, "action", None) == "list":
            qs = self.filter_queryset_by_params(qs)
        return qs

    def filter_queryset_by_params(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        params = self.request.query_params
        for f in self.filters:
            text = params.get(f.param)
            if text is not None and text != "":
                qs = qs.filter(**{f.lookup: f.value(text)})
        return qs

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
