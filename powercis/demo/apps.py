from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo company generator (``powercis demo``); it uses every app, nothing uses it."""

    name = "powercis.demo"
    label = "demo"
    verbose_name = "演示数据"
