"""The shell's own pages. Every app mounts its pages itself (``<app>/urls.py``, see powercis/urls.py)."""

from django.urls import path

from powercis.web.views import home

app_name = "web"
urlpatterns = [
    path("", home.home, name="home"),
]
