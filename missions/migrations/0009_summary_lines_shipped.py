"""The support account's summary prints its institutional lines one by one (A/76/596)."""

from django.db import migrations


def install(apps, schema_editor):
    from missions.data import install_class_lists

    install_class_lists(
        ReportType=apps.get_model("missions", "ReportType"),
        FinancialClass=apps.get_model("missions", "FinancialClass"),
        StaffCategory=apps.get_model("missions", "StaffCategory"),
    )


class Migration(migrations.Migration):
    dependencies = [("missions", "0008_class_lists_per_period")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
