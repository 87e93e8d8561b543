from django.apps import AppConfig


class ReadingConfig(AppConfig):
    name = "powercis.reading"
    label = "reading"
    verbose_name = "抄表"
