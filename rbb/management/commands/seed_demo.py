"""manage.py seed_demo: the demo reports and one login per role, safe to run again."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from indicators.interchange import framework_counts_text, shape_handler_for_report
from rbb.demo_data import DEMO_URL, demo_seed


class Command(BaseCommand):
    help = _(
        "Load the UNMIK and support-account demo reports of 2020/21, roll UNMIK forward into its "
        "2021/22 budget proposal, load the DPPA 2024 programme plan, and create the demo users."
    )

    def handle(self, *args, **options):
        result = demo_seed()
        for report in result.loaded:
            handler = shape_handler_for_report(report)
            counts = handler.counts_text(report=report) if handler else framework_counts_text(report=report)
            self.stdout.write(_("Loaded %(report)s: %(counts)s.") % {"report": report, "counts": counts})
        for line in result.ledger:
            self.stdout.write(_("Follow-up requests: %(what)s.") % {"what": line})
        for report in result.rolled:
            self.stdout.write(
                _("Rolled forward %(report)s (budget proposal, draft): %(counts)s.")
                % {"report": report, "counts": framework_counts_text(report=report)}
            )
        for reason in result.skipped:
            self.stdout.write(self.style.WARNING(_("Skipped: %(reason)s") % {"reason": reason}))
        self._print_logins(result.logins)
        self.stdout.write(_("Open %(url)s and sign in.") % {"url": DEMO_URL})

    def _print_logins(self, logins) -> None:
        header = (_("Username"), _("Role"), _("Password"))
        rows = [header, *((login.username, login.role, login.password) for login in logins)]
        widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
