from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "dost.complaints"
    label = "complaints"
    verbose_name = _("Complaints and appeals")

    def ready(self) -> None:
        from dost.complaints.notifications import register_templates

        register_templates()
