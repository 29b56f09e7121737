from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    """The regular budget's programme plan (A/78/6 (Sect. 3)): a report shape of its own."""

    name = "rbb.programme"
    label = "programme"
    verbose_name = _("Programme plans")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # indicators' export_framework/import_framework commands dispatch on the report type's
        # shape through a registry they own; this app registers its shape there, so indicators
        # never imports the composing layer.
        from indicators.interchange import shape_handler_register

        from . import interchange

        shape_handler_register(shape="programme-plan", handler=interchange.HANDLER)
