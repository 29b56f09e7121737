"""The load test's users: mission focal points who open entry pages and save actuals (htmx posts).

Run by rbb.bench.load through `locust --headless` against gunicorn on 127.0.0.1; not imported
by Django. Each simulated user signs in as its own focal point (BENCH_LOAD_PLAN lists them with
the accomplishments of their units), so no two users save the same item: a 409 here would be
a real error, not a race the test provoked. Saves send the version read from the page and
count on it going up by one, as the browser's htmx swap does.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["BENCH_LOAD_PLAN"], encoding="utf-8").read())
ACCOUNTS = itertools.cycle(PLAN["users"])  # gevent runs users in one thread: no lock needed
VERSION = re.compile(r'name="(indicator|output)-(\d+)-version" value="(\d+)"')
SAVE_TIMES: list[float] = []
TRACE: list = []  # every save's response time (ms), for percentiles over both kinds


@events.request.add_listener
def _remember_save(request_type, name, response_time, response_length, exception=None, **kwargs):
    if name.startswith("save "):
        SAVE_TIMES.append(response_time)
        if os.environ.get("BENCH_SAVE_TRACE"):
            TRACE.append((time.time(), response_time, name))


@events.spawning_complete.add_listener
def _measure_from_here(user_count, **kwargs):
    # Users start a few a second (a ramp) and the figures start once all are in: twenty
    # people do not all open a page in the same tenth of a second.
    SAVE_TIMES.clear()
    TRACE.clear()


@events.quitting.add_listener
def _write_save_times(environment, **kwargs):
    target = os.environ.get("BENCH_SAVE_TIMES")
    if target:
        with open(target, "w", encoding="utf-8") as handle:
            json.dump(SAVE_TIMES, handle)
        if TRACE:
            with open(target + ".trace", "w", encoding="utf-8") as handle:
                json.dump(TRACE, handle)


class FocalPoint(HttpUser):
    # A person reads, types and saves: one to four seconds between actions, at a busy moment.
    wait_time = between(PLAN.get("wait_min", 1.0), PLAN.get("wait_max", 4.0))

    def on_start(self):
        # Already signed in (the plan carries a session made by the runner): twenty password
        # hashes at once would measure the sign-in, not the work.
        self.account = next(ACCOUNTS)
        self.client.cookies.set("sessionid", self.account["session"])
        self.rng = random.Random(self.account["username"])
        self.saves = 0
        self.items: dict[tuple[str, int], int] = {}
        self.open_entry_page()

    def open_entry_page(self):
        self.ea = self.rng.choice(self.account["accomplishments"])
        response = self.client.get(f"/reports/{self.account['report']}/entry/{self.ea}/", name="entry page")
        self.items = {(kind, int(pk)): int(version) for kind, pk, version in VERSION.findall(response.text)}

    # Mostly saves: a person opens an accomplishment's page, then saves its items one by one.
    @task(2)
    def entry_page(self):
        self.open_entry_page()

    @task(1)
    def report_home(self):
        self.client.get(f"/reports/{self.account['report']}/", name="report home")

    @task(8)
    def save(self):
        if not self.items:
            self.open_entry_page()
            return
        (kind, pk), version = self.rng.choice(sorted(self.items.items()))
        self.saves += 1
        # The run's id and this process make every save a change, also when the warm-up or a
        # rerun repeats the same choices (an unchanged save keeps its version).
        n = f"{PLAN.get('run', '')}.{os.getpid()}-{self.saves}"
        prefix = f"{kind}-{pk}"
        if kind == "indicator":
            data = {
                f"{prefix}-actual": str(100 + self.saves),
                f"{prefix}-actual_narrative": f"负载测试第 {n} 次保存。Load test save {n}.",
                f"{prefix}-variance_explanation": "实际数高于计划，原因是负载测试。",
            }
        else:
            data = {
                f"{prefix}-completed_kind": "number",
                f"{prefix}-completed": str(10 + self.saves),
                f"{prefix}-remarks": f"负载测试第 {n} 次保存。",
            }
        data[f"{prefix}-version"] = str(version)
        headers = {"HX-Request": "true", "X-CSRFToken": self.client.cookies.get("csrftoken", "")}
        url = f"/reports/{self.account['report']}/{kind}s/{pk}/"
        with self.client.post(url, data=data, headers=headers, name=f"save {kind}", catch_response=True) as response:
            if response.status_code == 200:
                self.items[(kind, pk)] = version + 1
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}: " + " ".join(re.findall(r"role=\"alert\">([^<]{0,200})", response.text))[:200])
