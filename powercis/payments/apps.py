from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "powercis.payments"
    label = "payments"
    verbose_name = "收费与账务"
