"""Fixtures shared by the tests: the world of tests/factories.py and clients signed in to it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture
def world(db: None) -> factories.World:
    """This month's world without the large-industrial account: the web, browser and API tests' data (the
    browser tests' ``django_db(transaction=True)`` mark commits it for the live server)."""
    return factories.world(factories.this_month(), industrial=False)


def _signed_in(world: factories.World, client_class: type, sign_in: str, role: str, station: str = "a") -> Any:
    client = client_class()
    getattr(client, sign_in)(world.user(role, station))
    return client


@pytest.fixture
def login(world: factories.World) -> Callable[..., Client]:
    """``login("reader")`` → a test client signed in as station A's 抄表员; ``login("reader", "b")`` B's."""
    return partial(_signed_in, world, Client, "force_login")


@pytest.fixture
def client_for(world: factories.World) -> Callable[..., APIClient]:
    """``client_for("reader")`` → an APIClient authenticated as station A's 抄表员; ``("reader", "b")`` B's,
    ``("billing", "co")`` the company-level 核算员."""
    return partial(_signed_in, world, APIClient, "force_authenticate")


@pytest.fixture
def both(world: factories.World) -> tuple[factories.World, User, User]:
    """The world after one month in station A and in station B, with an all-powerful user of each (for the
    tests that sweep every page and endpoint: every list then has rows in both stations)."""
    a = factories.all_powerful("all_a", world.station_a)
    b = factories.all_powerful("all_b", world.station_b)
    factories.month(world, world.station_a, a)
    factories.month(world, world.station_b, b)
    return world, a, b
