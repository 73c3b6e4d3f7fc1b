from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "employment"
    label = "employment"
    verbose_name = _("Labour and employment")

    def ready(self) -> None:
        from dost.accounts.demo import register_demo_step
        from employment.applications import register as register_applications
        from employment.demo import demo_employment

        register_applications()
        register_demo_step(demo_employment)
