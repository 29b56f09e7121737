"""Report phase, and a lineage key per framework item (unique per existing row)."""

import uuid

from django.db import migrations, models

import missions.models.core


APP = "missions"
MODELS = ["unit"]


def fill_lineage(apps, schema_editor):
    # AddField evaluates a callable default once for every existing row: give each its own key.
    for name in MODELS:
        model = apps.get_model(APP, name)
        rows = list(model.objects.only("pk"))
        for row in rows:
            row.lineage = uuid.uuid4()
        model.objects.bulk_update(rows, ["lineage"], batch_size=1000)


def lineage_field(null):
    return models.UUIDField(
        db_index=not null, null=null, editable=False, verbose_name="lineage",
        **({} if null else {"default": missions.models.core.new_lineage}),
    )


class Migration(migrations.Migration):

    dependencies = [('missions', '0006_bilingual_content')]

    operations = [
        migrations.AddField(
            model_name="report",
            name="phase",
            field=models.CharField(choices=[("planning", "Planning (budget proposal)"), ("performance", "Performance report")], default="performance", max_length=20, verbose_name="phase"),
        ),
        *[migrations.AddField(model_name=name, name="lineage", field=lineage_field(True)) for name in MODELS],
        migrations.RunPython(fill_lineage, migrations.RunPython.noop),
        *[migrations.AlterField(model_name=name, name="lineage", field=lineage_field(False)) for name in MODELS],
    ]
