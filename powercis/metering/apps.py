from django.apps import AppConfig


class MeteringConfig(AppConfig):
    name = "powercis.metering"
    label = "metering"
    verbose_name = "计量装置"
