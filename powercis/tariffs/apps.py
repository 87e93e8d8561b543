from django.apps import AppConfig


class TariffsConfig(AppConfig):
    name = "powercis.tariffs"
    label = "tariffs"
    verbose_name = "电价"
