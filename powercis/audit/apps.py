from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "powercis.audit"
    label = "audit"
    verbose_name = "稽查与变更日志"
