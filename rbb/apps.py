from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RbbConfig(AppConfig):
    name = "rbb"
    verbose_name = _("RBB Tracker")

    def ready(self):
        from . import receivers  # noqa: F401 — connects the signal receivers
