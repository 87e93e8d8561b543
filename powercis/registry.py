"""What each app contributes to the shell, found in the app itself (the NetBox plugin model).

Adding an app edits no central list beyond ``INSTALLED_APPS``: the shell looks in every installed
PowerCIS app for these optional modules and reads one name from each.

==================  ============  ===============================================================
module              name          what it is
==================  ============  ===============================================================
``urls.py``         urlpatterns   the app's pages, mounted at the site root in the app's namespace
``navigation.py``   MENU          ``MenuItem``s: the menu entries and the permission each needs
``navigation.py``   TODOS         functions ``(user, on) -> list[Todo]``: the home page's cards
``navigation.py``   PANELS        ``Panel``s added to another app's object page (e.g. the 户档)
``api.py``          ROUTES        ``(prefix, viewset, basename)`` registered on the API router
``roles.py``        PERMISSIONS   ``{role code: (permission, …)}`` granted to the roles of org
==================  ============  ===============================================================

Apps are read in ``INSTALLED_APPS`` order, so menus follow the order of the monthly cycle.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class MenuItem:
    """One menu entry. ``label`` is the Chinese msgid (English from the catalogue)."""

    url_name: str
    label: str
    permission: str | None = None
    order: int = 100


@dataclass(frozen=True)
class Todo:
    """A card of the home page: a count of work waiting for the user, linking to where it is done."""

    key: str
    title: str
    value: int
    url: str
    color: str = "primary"
    hint: str = ""


@dataclass(frozen=True)
class Panel:
    """A section an app adds to another app's object page.

    ``target`` names the page (``"customers.account"``); ``context(request, obj)`` returns the
    template's context (or None to show nothing); ``template`` renders it inside the page, in the
    page's ``slot`` ("side" beside the main facts, or "main" below them) at ``width`` of 12 columns.
    """

    target: str
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]
    permission: str | None = None
    order: int = 100
    slot: str = "main"
    width: int = 12


def powercis_apps() -> list[Any]:
    return [cfg for cfg in apps.get_app_configs() if cfg.name.startswith("powercis.")]


@cache
def _module(app_name: str, module: str) -> ModuleType | None:
    name = f"{app_name}.{module}"
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)


def contributions(module: str, attribute: str) -> Iterator[tuple[Any, Any]]:
    """``(app config, value)`` for every installed app whose ``module`` defines ``attribute``."""
    for cfg in powercis_apps():
        mod = _module(cfg.name, module)
        if mod is not None and hasattr(mod, attribute):
            yield cfg, getattr(mod, attribute)


def menu() -> list[MenuItem]:
    items = [item for _cfg, entries in contributions("navigation", "MENU") for item in entries]
    return sorted(items, key=lambda i: i.order)


def todos() -> list[Callable[[Any, str], list[Todo]]]:
    return [fn for _cfg, fns in contributions("navigation", "TODOS") for fn in fns]


def panels(target: str) -> list[Panel]:
    found = [p for _cfg, ps in contributions("navigation", "PANELS") for p in ps if p.target == target]
    return sorted(found, key=lambda p: p.order)


def api_routes() -> list[tuple[str, Any, str]]:
    return [route for _cfg, routes in contributions("api", "ROUTES") for route in routes]


def app_urlconfs() -> list[tuple[str, str]]:
    """``(module path, namespace)`` of every app that has pages."""
    return [(f"{cfg.name}.urls", cfg.label) for cfg, _p in contributions("urls", "urlpatterns")]


def role_permissions() -> dict[str, set[str]]:
    """Every app's grants merged: role code → permissions."""
    merged: dict[str, set[str]] = {}
    for _cfg, grants in contributions("roles", "PERMISSIONS"):
        for role, perms in grants.items():
            merged.setdefault(role, set()).update(perms)
    return merged
