"""Small measuring tools: query counting, medians, resident memory, the machine's description."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

import django
from django.db import connection


@dataclass
class QueryCounter:
    """Counts the statements a block sends, without keeping them (CaptureQueriesContext keeps all)."""

    count: int = 0
    sql: list = field(default_factory=list)
    keep: bool = False

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if self.keep:
            self.sql.append(sql)
        return execute(sql, params, many, context)


@contextmanager
def count_queries(*, keep: bool = False):
    counter = QueryCounter(keep=keep)
    with connection.execute_wrapper(counter):
        yield counter


@dataclass
class Timing:
    median_ms: float
    min_ms: float
    max_ms: float
    runs: int


def time_it(work: Callable[[], object], *, runs: int, warmup: int = 1) -> Timing:
    """Median wall time of `runs` calls after `warmup` calls, in milliseconds."""
    for _ in range(warmup):
        work()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return Timing(statistics.median(samples), min(samples), max(samples), runs)


# --- memory ------------------------------------------------------------------------------------


def _status_kb(key: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def rss_mb() -> float:
    return _status_kb("VmRSS") / 1024


def peak_rss_mb() -> float:
    return _status_kb("VmHWM") / 1024


def reset_peak_rss() -> bool:
    """Reset the process's peak RSS (Linux: write 5 to clear_refs); False where not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


# --- the machine -------------------------------------------------------------------------------


def machine() -> dict:
    """Cores, memory, CPU model, PostgreSQL and software versions, and the load right now."""
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    ram_gb = 0.0
    try:
        with open("/proc/meminfo") as info:
            ram_gb = int(next(line for line in info if line.startswith("MemTotal")).split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            database = f"{connection.vendor} {connection.Database.sqlite_version}"
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(ram_gb, 1),
        "database": database,
        "python": platform.python_version(),
        "django": django.get_version(),
        "load": load(),
    }


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"
