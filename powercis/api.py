"""API plumbing shared by every app: error format with stable codes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from powercis.core.errors import CalcError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus CalcError and domain errors as 400 with ``{"code", "message"}``."""
    if isinstance(exc, CalcError):
        return Response({"code": exc.code, "message": exc.message}, status=400)
    from powercis.services import ServiceError

    if isinstance(exc, ServiceError):
        return Response({"code": exc.code, "message": exc.message, "details": exc.details}, status=exc.status)
    if isinstance(exc, PermissionDenied):
        return Response({"code": "permission_denied", "message": str(exc) or "无权限"}, status=403)
    if isinstance(exc, ValidationError):
        # Any request-body error (a viewset's serializer, the token endpoint …) has the one error shape.
        return Response({"code": "invalid", "message": "请求数据有误", "details": exc.detail}, status=400)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and set(response.data) == {"detail"}:
        # One error shape for every failure: {"code": stable code, "message": text}.
        detail = response.data["detail"]
        response.data = {"code": getattr(detail, "code", None) or "error", "message": str(detail)}
    return response
