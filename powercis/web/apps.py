from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "powercis.web"
    label = "web"
    verbose_name = "界面"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from powercis.web.signals import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, sender=self)
