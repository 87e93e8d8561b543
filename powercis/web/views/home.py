"""工作台: the to-dos of the signed-in person, as the apps report them (``navigation.TODOS``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from powercis.core.periods import period_of
from powercis.registry import todos
from powercis.web.views.common import staff_view


@staff_view()
def home(request: HttpRequest) -> HttpResponse:
    on = timezone.localdate()
    cards = [card for collect in todos() for card in collect(request.user, on)]
    return render(request, "web/home.html", {"cards": cards, "period": period_of(on)})
