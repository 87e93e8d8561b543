from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "powercis.customers"
    label = "customers"
    verbose_name = "客户档案"

    def ready(self) -> None:
        from powercis.customers import signals  # noqa: F401  (connects the initial-terms receiver)
