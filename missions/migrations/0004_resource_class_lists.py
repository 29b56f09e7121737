"""Ship the class lists of the two report types as data (missions/data/resource_lists.json)."""

from django.db import migrations


def install(apps, schema_editor):
    from missions.data import install_class_lists

    install_class_lists(
        ReportType=apps.get_model("missions", "ReportType"),
        FinancialClass=apps.get_model("missions", "FinancialClass"),
        StaffCategory=apps.get_model("missions", "StaffCategory"),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("missions", "0003_resources"),
    ]

    # Reversing keeps the rows: report types may already carry reports and edited thresholds.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
