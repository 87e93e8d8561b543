from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "powercis.org"
    label = "org"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from powercis.org.security import record_failure

        user_login_failed.connect(record_failure, dispatch_uid="powercis.org.record_failure")
