from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "powercis.payments"
    label = "payments"
    verbose_name = "收费与账务"

    def ready(self) -> None:
        # The ledger port of billing (billing never imports payments; see powercis/billing/ledger.py).
        from powercis.billing import ledger
        from powercis.payments import services

        ledger.register(services)  # type: ignore[arg-type]
