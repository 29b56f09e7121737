
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_unit(apps, schema_editor):
    """Every existing output is under an accomplishment: its unit is the accomplishment's."""
    Output = apps.get_model("indicators", "Output")
    ExpectedAccomplishment = apps.get_model("indicators", "ExpectedAccomplishment")
    Output.objects.filter(unit__isnull=True).update(
        unit=models.Subquery(ExpectedAccomplishment.objects.filter(pk=models.OuterRef("accomplishment_id")).values("unit_id")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0003_lineage'),
        ('missions', '0007_phase_and_lineage'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='output',
            options={'ordering': ['unit', 'accomplishment', 'order', 'id'], 'verbose_name': 'output', 'verbose_name_plural': 'outputs'},
        ),
        migrations.AddField(
            model_name='output',
            name='unit',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='outputs', to='missions.unit', verbose_name='unit'),
        ),
        migrations.RunPython(fill_unit, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='output',
            name='unit',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outputs', to='missions.unit', verbose_name='unit'),
        ),
        migrations.AlterField(
            model_name='output',
            name='accomplishment',
            field=models.ForeignKey(blank=True, help_text='Empty for an output of the unit itself (headquarters).', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='outputs', to='indicators.expectedaccomplishment', verbose_name='expected accomplishment'),
        ),
        migrations.AddConstraint(
            model_name='output',
            constraint=models.UniqueConstraint(condition=models.Q(('accomplishment__isnull', True)), fields=('unit', 'number'), name='output_number_unique_in_unit'),
        ),
    ]
