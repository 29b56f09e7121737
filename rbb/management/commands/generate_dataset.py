"""manage.py generate_dataset --scale N [--seed S]: the benchmark dataset (rbb.bench.dataset)."""

from django.core.management.base import BaseCommand, CommandError

from rbb.bench.dataset import dataset_generate
from rbb.exceptions import DomainError


class Command(BaseCommand):
    help = (
        "Generate a realistic, seeded dataset: per period 16×N missions (about 60 indicators and 300 outputs each, "
        "with resource tables) and the complete support account (623 outputs), for 10 periods."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Repeat the missions N times (default 1).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; equal seeds give equal data (default 1).")
        parser.add_argument("--periods", type=int, default=10, help="Budget periods, ending 2020/21 (default 10).")
        parser.add_argument("--missions", type=int, default=None, help="Only the first M missions (for quick tries).")
        parser.add_argument("--no-support", action="store_true", help="Leave out the support-account report.")
        parser.add_argument("--replace", action="store_true", help="Remove a previously generated dataset first.")

    def handle(self, *args, scale, seed, periods, missions, no_support, replace, **options):
        try:
            summary = dataset_generate(
                scale=scale, seed=seed, periods=periods, missions=missions, support=not no_support, replace=replace,
                progress=lambda message: self.stdout.write(f"  {message}"),
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            f"Generated scale {summary.scale}, seed {summary.seed}, periods {summary.periods[0]}–{summary.periods[-1]} "
            f"in {summary.seconds:.1f} s:"
        )
        for name, count in sorted(summary.counts.items()):
            self.stdout.write(f"  {name:<24}{count:>10,}".replace(",", " "))
