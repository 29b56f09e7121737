"""manage.py bench: measure pages, documents, the bulk export and a load test; write docs/benchmarks.md.

Run through `make bench` (bench.mk), which prepares the PostgreSQL database and the datasets.
`--probe django|raw` is the export measurement's child process (rbb.bench.export).
"""

import dataclasses
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rbb.bench import runner


class Command(BaseCommand):
    help = "Benchmark the pages, the narrative documents, the bulk export and a load test; write docs/benchmarks.md."

    def add_arguments(self, parser):
        parser.add_argument("--phase", choices=["scale1", "scale10"], help="Which measurements to run on the data in place.")
        parser.add_argument("--state", default=".bench/results.json", help="Where the phases keep their results.")
        parser.add_argument("--write", metavar="MARKDOWN", help="Write the report (for example docs/benchmarks.md).")
        parser.add_argument("--runs", type=int, default=15, help="Timed requests per page (median; default 15).")
        parser.add_argument("--users", type=int, default=20, help="Load test users (default 20).")
        parser.add_argument("--seconds", type=int, default=90, help="Load test duration in seconds (default 90).")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers for the load test (default 3).")
        parser.add_argument("--skip-load", action="store_true", help="Leave out the load test.")
        parser.add_argument("--probe", choices=["django", "raw"], help="Internal: one export measurement in this process.")
        parser.add_argument("--period", default="2020/21")
        parser.add_argument("--user", default="gen.hq.reviewer", help="Who requests (probes and --profile).")
        parser.add_argument("--profile", metavar="URL", help="Profile GET URL with pyinstrument (3 requests) and print it.")

    def handle(self, *args, **o):
        if o["profile"]:
            self.stdout.write(runner.profile_get(o["profile"], username=o["user"]))
            return
        if o["probe"]:
            from rbb.bench import export

            if o["probe"] == "django":
                result = export.probe_django(period=o["period"], username=o["user"])
            else:
                result = export.probe_raw(period=o["period"])
            self.stdout.write(json.dumps(dataclasses.asdict(result)))
            return
        if not runner.vendor_is_postgresql():
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
        state_path = Path(o["state"])
        state = runner.state_load(state_path)
        say = lambda message: self.stdout.write(f"  {message}")  # noqa: E731
        if o["phase"] == "scale1":
            state = runner.phase_scale1(runs=o["runs"], load_seconds=o["seconds"], users=o["users"], workers=o["workers"],
                                        skip_load=o["skip_load"], say=say)
            state["runs"] = o["runs"]
        elif o["phase"] == "scale10":
            state.update(runner.phase_scale10(runs=o["runs"], say=say))
        runner.state_save(state_path, state)
        text = runner.report_markdown(state, kept="")
        self.stdout.write(text)
        if o["write"]:
            runner.report_write(state, Path(o["write"]))
            self.stdout.write(self.style.SUCCESS(f"Wrote {o['write']}."))
