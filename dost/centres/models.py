"""DOST centres and the ministry's catalogue of services they and the portal offer.

Catalogue text is kept in the three languages of the portal side by side
(``*_az``, ``*_en``, ``*_ru``): a service is one row, whatever the reader's
language, and search can look in all three at once.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("az", "en", "ru")


class Translated(models.Model):
    """Reads ``<field>_<language>`` in the active language, falling back to Azerbaijani."""

    class Meta:
        abstract = True

    def translated(self, field: str) -> str:
        language = (get_language() or "az")[:2]
        if language not in LANGUAGES:
            language = "az"
        return getattr(self, f"{field}_{language}") or getattr(self, f"{field}_az")


class ServiceCategory(Translated):
    """An area of the catalogue: labour, employment, social protection, social security."""

    code = models.SlugField(primary_key=True, max_length=40)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.translated("name")


class Channel(models.TextChoices):
    PORTAL = "portal", _("e-Social portal")
    CENTRE = "centre", _("DOST centre")
    CALL_CENTRE = "call_centre", _("142 call centre")
    MOBILE = "mobile", _("mobile application")
    PROACTIVE = "proactive", _("granted without application")


class Service(Translated):
    """One service of the ministry's catalogue."""

    code = models.SlugField(_("code"), unique=True, max_length=80)
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT,
                                 related_name="services", verbose_name=_("category"))
    provider = models.CharField(_("provider"), max_length=200,
                                help_text=_("The institution that renders the service."))
    title_az = models.CharField(_("title (Azerbaijani)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    summary_az = models.TextField(_("summary (Azerbaijani)"))
    summary_en = models.TextField(_("summary (English)"))
    summary_ru = models.TextField(_("summary (Russian)"))
    eligibility_az = models.TextField(_("who may use it (Azerbaijani)"))
    eligibility_en = models.TextField(_("who may use it (English)"))
    eligibility_ru = models.TextField(_("who may use it (Russian)"))
    legal_basis_az = models.CharField(_("legal basis (Azerbaijani)"), max_length=500)
    legal_basis_en = models.CharField(_("legal basis (English)"), max_length=500)
    legal_basis_ru = models.CharField(_("legal basis (Russian)"), max_length=500)
    # Steps in order, each {"az": ..., "en": ..., "ru": ...}.
    steps = models.JSONField(_("steps"), default=list)
    channels = ArrayField(models.CharField(max_length=20, choices=Channel.choices),
                          verbose_name=_("channels"), default=list)
    proactive = models.BooleanField(_("granted proactively"), default=False)
    # Facts the state already holds and uses (registry fact groups, e.g. "identity",
    # "address", "contributions"): the citizen is never asked for them.
    required_data = ArrayField(models.CharField(max_length=40), verbose_name=_("data used"),
                               default=list, blank=True)
    # The e-application this service opens, when it can be applied for online.
    application_code = models.CharField(_("e-application"), max_length=80, blank=True)
    # Whether a DOST centre visit for this service can be booked in the e-queue.
    bookable = models.BooleanField(_("bookable in the e-queue"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.translated("title")

    @property
    def summary(self) -> str:
        return self.translated("summary")

    @property
    def eligibility(self) -> str:
        return self.translated("eligibility")

    @property
    def legal_basis(self) -> str:
        return self.translated("legal_basis")

    @property
    def translated_steps(self) -> list[str]:
        language = (get_language() or "az")[:2]
        return [step.get(language) or step["az"] for step in self.steps]


class Centre(Translated):
    """A DOST centre, where citizens are served in person."""

    code = models.SlugField(primary_key=True, max_length=40)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    address_az = models.CharField(_("address (Azerbaijani)"), max_length=300)
    address_en = models.CharField(_("address (English)"), max_length=300)
    address_ru = models.CharField(_("address (Russian)"), max_length=300)
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT,
                               related_name="centres", verbose_name=_("region"))
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("DOST centre")
        verbose_name_plural = _("DOST centres")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.translated("name")

    @property
    def address(self) -> str:
        return self.translated("address")
