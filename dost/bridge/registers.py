"""Other institutions' registers, as the Digital Bridge's source adapters read them.

The state property register, the vehicle register, the tax service's business
register, notaries' and banks' reports of large purchases and sales, utility and
mobile operators' bills, the State Employment Agency's job seekers, and the
justice ministry's records of people imprisoned or declared missing. In
production each is answered by its institution over the bridge; here, and in
every offline run, the default adapters read these tables, which
``seed_population`` fills with a synthetic country.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dost.registry.models import Fact


class PropertyPurpose(models.TextChoices):
    RESIDENTIAL = "residential", _("dwelling")
    COMMERCIAL = "commercial", _("commercial premises")
    LAND = "land", _("land plot")
    GARAGE = "garage", _("garage")


class RealEstate(Fact):
    """A unit of real estate and its owner, from the state property register."""

    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE,
                               related_name="real_estate", db_index=False)
    purpose = models.CharField(_("purpose"), max_length=16, choices=PropertyPurpose.choices)
    address = models.CharField(_("address"), max_length=300)
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    registered_on = models.DateField(_("registered on"))
    disposed_on = models.DateField(_("disposed of on"), null=True, blank=True)

    class Meta:
        verbose_name = _("real estate")
        verbose_name_plural = _("real estate")
        indexes = [models.Index(fields=["person"], name="realestate_person_idx")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.address}"


class Vehicle(Fact):
    """A vehicle registered to a person; a rehabilitation vehicle the state gave a
    person with disability is marked, since owning one is no ground for refusal."""

    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE,
                               related_name="vehicles", db_index=False)
    plate = models.CharField(_("registration plate"), max_length=12)
    make = models.CharField(_("make and model"), max_length=80)
    registered_on = models.DateField(_("registered on"))
    deregistered_on = models.DateField(_("deregistered on"), null=True, blank=True)
    given_by_state = models.BooleanField(_("rehabilitation vehicle given by the state"),
                                         default=False)

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        indexes = [models.Index(fields=["person"], name="vehicle_person_idx")]

    def __str__(self) -> str:
        return f"{self.plate} {self.make}"


class Business(Fact):
    """A registered business or self-employment, from the tax service's register."""

    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE,
                               related_name="businesses", db_index=False)
    tin = models.CharField(_("TIN"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    registered_on = models.DateField(_("registered on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Declared to the tax service, per month on average over the last year.
    monthly_income = models.DecimalField(_("monthly income"), max_digits=12, decimal_places=2,
                                         default=0)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        indexes = [models.Index(fields=["person"], name="business_person_idx")]

    def __str__(self) -> str:
        return f"{self.tin} {self.name}"


class TransactionKind(models.TextChoices):
    PURCHASE = "purchase", _("purchase")
    SALE = "sale", _("sale")


class LargeTransaction(Fact):
    """A purchase or sale that notaries, banks or the registers report (property, cars,
    jewellery, large transfers)."""

    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE,
                               related_name="large_transactions", db_index=False)
    kind = models.CharField(_("kind"), max_length=8, choices=TransactionKind.choices)
    item = models.CharField(_("what"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("large purchase or sale")
        verbose_name_plural = _("large purchases and sales")
        indexes = [models.Index(fields=["person", "on"], name="largetransaction_person_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="largetransaction_amount_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item} {self.amount}"


class UtilityService(models.TextChoices):
    ELECTRICITY = "electricity", _("electricity")
    GAS = "gas", _("gas")
    WATER = "water", _("water")
    PHONE = "phone", _("telephone and mobile")
    INTERNET = "internet", _("internet")


class UtilityBill(Fact):
    """One month's bill of a household's meter or line (one set of meters, one household)."""

    household = models.ForeignKey("registry.Household", on_delete=models.CASCADE,
                                  related_name="utility_bills", db_index=False)
    service = models.CharField(_("service"), max_length=12, choices=UtilityService.choices)
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("utility or communication bill")
        verbose_name_plural = _("utility and communication bills")
        constraints = [
            models.UniqueConstraint(fields=["household", "service", "month"],
                                    name="utilitybill_once_a_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="utilitybill_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.service} {self.month:%Y-%m} {self.amount}"


class JobSeeker(Fact):
    """A registration with the State Employment Agency: a job seeker, perhaps drawing
    unemployment insurance, and the suitable jobs offered that they turned down."""

    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE,
                               related_name="job_seeker_spells", db_index=False)
    registered_on = models.DateField(_("registered on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    insurance_monthly = models.DecimalField(_("unemployment insurance per month"),
                                            max_digits=10, decimal_places=2, default=0)
    insurance_until = models.DateField(_("insurance paid until"), null=True, blank=True)
    suitable_offers_refused = models.PositiveSmallIntegerField(_("suitable jobs refused"),
                                                               default=0)
    last_refusal_on = models.DateField(_("last refusal on"), null=True, blank=True)

    class Meta:
        verbose_name = _("job seeker registration")
        verbose_name_plural = _("job seeker registrations")
        indexes = [models.Index(fields=["person"], name="jobseeker_person_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} from {self.registered_on}"


class AbsenceKind(models.TextChoices):
    IMPRISONED = "imprisoned", _("serving a prison sentence")
    MISSING = "missing", _("declared missing by a court")


class Absence(Fact):
    """A member who cannot be present to work: in prison, or declared missing."""

    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE,
                               related_name="absences", db_index=False)
    kind = models.CharField(_("kind"), max_length=12, choices=AbsenceKind.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        indexes = [models.Index(fields=["person"], name="absence_person_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} since {self.since}"
