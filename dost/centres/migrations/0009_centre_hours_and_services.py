from django.db import migrations

WORKING_WEEK = (1, 2, 3, 4, 5)


def hours_and_services(apps, schema_editor):
    """Every centre opened Monday to Friday at its one pair of hours, and offered every
    bookable service: what the e-queue assumed before both became data."""
    Centre = apps.get_model("centres", "Centre")
    OpeningHours = apps.get_model("centres", "OpeningHours")
    Service = apps.get_model("centres", "Service")
    OpeningHours.objects.bulk_create(
        [OpeningHours(centre_id=code, weekday=weekday, opens_at=opens_at, closes_at=closes_at)
         for code, opens_at, closes_at in Centre.objects.values_list("code", "opens_at",
                                                                     "closes_at")
         for weekday in WORKING_WEEK],
        ignore_conflicts=True,
    )
    Offered = Centre.services.through
    bookable = list(Service.objects.filter(bookable=True).values_list("pk", flat=True))
    Offered.objects.bulk_create(
        [Offered(centre_id=code, service_id=service_id)
         for code in Centre.objects.values_list("code", flat=True) for service_id in bookable],
        ignore_conflicts=True,
    )


def hours_back(apps, schema_editor):
    """Back to one pair of hours: a centre's Monday (or its first open day)."""
    Centre = apps.get_model("centres", "Centre")
    OpeningHours = apps.get_model("centres", "OpeningHours")
    for centre in Centre.objects.all():
        first = OpeningHours.objects.filter(centre=centre).order_by("weekday").first()
        if first is not None:
            centre.opens_at, centre.closes_at = first.opens_at, first.closes_at
            centre.save(update_fields=["opens_at", "closes_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0008_centre_setup"),
    ]
    operations = [migrations.RunPython(hours_and_services, hours_back)]
