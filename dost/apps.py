from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin with the site's own admin site (``dost.admin_site``)."""

    default_site = "dost.admin_site.AdminSite"
