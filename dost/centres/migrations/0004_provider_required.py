import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("centres", "0003_load_catalogue")]

    operations = [
        # Every service has its provider now that the catalogue is loaded.
        migrations.AlterField(
            model_name="service",
            name="provider",
            field=models.ForeignKey(help_text="The institution that renders the service.", on_delete=django.db.models.deletion.PROTECT, related_name="services", to="centres.provider", verbose_name="provider"),
        ),
        # The fact groups a service uses are a closed list.
        migrations.AlterField(
            model_name='service',
            name='required_data',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('identity', 'Identity: name, FIN, date of birth'), ('address', 'Registered address'), ('family', 'Family: births, marriages, deaths, guardianship'), ('employment', 'Labour contracts and employment history'), ('contributions', 'Social insurance contributions and pension capital'), ('disability', 'Disability status'), ('income', 'Income from tax and benefit records'), ('property', 'Real estate and vehicles'), ('education', 'Education and qualifications'), ('health', 'Medical referrals and sick notes'), ('bank_account', 'Bank account or card'), ('benefits', 'Pensions and benefits already paid'), ('veteran', 'Veteran and martyr family status')], max_length=40), blank=True, default=list, size=None, verbose_name='data used'),
        ),
    ]
