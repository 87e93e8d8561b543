from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "powercis.customers"
    label = "customers"
    verbose_name = "客户档案"
