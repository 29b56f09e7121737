"""A lineage key per framework item (unique per existing row)."""

import uuid

from django.db import migrations, models

import missions.models.core


APP = "indicators"
MODELS = ["expectedaccomplishment", "indicator", "output"]


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

    dependencies = [('indicators', '0002_bilingual_content'), ('missions', '0007_phase_and_lineage')]

    operations = [
        *[migrations.AddField(model_name=name, name="lineage", field=lineage_field(True)) for name in MODELS],
        migrations.RunPython(fill_lineage, migrations.RunPython.noop),
        *[migrations.AlterField(model_name=name, name="lineage", field=lineage_field(False)) for name in MODELS],
    ]
