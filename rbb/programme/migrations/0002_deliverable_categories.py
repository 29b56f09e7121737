"""The fixed deliverable categories A–D of every programme plan (A/78/6 (Sect. 3), tables 3.4–3.20)."""

from django.db import migrations

CATEGORIES = (
    ("A", "Facilitation of the intergovernmental process and expert bodies", "协助政府间进程和专家机构"),
    ("B", "Generation and transfer of knowledge", "生成和转让知识"),
    ("C", "Substantive deliverables", "实质性应交付产出"),
    ("D", "Communication deliverables", "信息传播方面的应交付产出"),
)


def load(apps, schema_editor):
    Category = apps.get_model("programme", "DeliverableCategory")
    for order, (code, name_en, name_zh) in enumerate(CATEGORIES):
        Category.objects.update_or_create(code=code, defaults={"name_en": name_en, "name_zh": name_zh, "order": order})


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
