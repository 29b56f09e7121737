from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RbbConfig(AppConfig):
    name = "rbb"
    verbose_name = _("RBB Tracker")
