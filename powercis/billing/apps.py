from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "powercis.billing"
    label = "billing"
    verbose_name = "核算"
