from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntitlementsConfig(AppConfig):
    name = "dost.entitlements"
    label = "entitlements"
    verbose_name = _("Proactive engine")

    def ready(self) -> None:
        from dost.entitlements.parameter_labels import (
            ParameterLabel,
            Unit,
            register_parameter_labels,
        )

        # The parameters of this app's own parameters.yaml, shared by several rules.
        register_parameter_labels({
            "minimum_pension": ParameterLabel(_("Minimum old-age pension"), Unit.MONEY),
        })
