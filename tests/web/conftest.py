from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.web.factories import World, make_world


@pytest.fixture
def world(db) -> World:  # noqa: ARG001 - db enables database access
    return make_world()


@pytest.fixture
def login(world: World) -> Callable[[str], Client]:
    """A test client signed in as one of the world's users ('reader', 'billing', 'cashier', 'reader_b')."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(world.users[role])
        return client

    return make
