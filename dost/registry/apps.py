from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "dost.registry"
    label = "registry"
    verbose_name = _("Citizen registry")

    def ready(self) -> None:
        # The 360° view's panels of the core apps, registered in one place.
        from dost.citizen_view import register_core_panels

        register_core_panels()
