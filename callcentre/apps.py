from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallcentreConfig(AppConfig):
    name = "callcentre"
    label = "callcentre"
    verbose_name = _("142 call centre")

    def ready(self) -> None:
        from callcentre.carecall_demo import demo_carecall
        from dost.accounts.demo import register_demo_step

        register_demo_step(demo_carecall)
