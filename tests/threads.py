"""Races between threads for the concurrency tests (PostgreSQL: real concurrent transactions)."""

from __future__ import annotations

import threading

from django.db import connections


def race(work, count: int, *, timeout: float = 120) -> list:
    """Run work(i) in `count` threads released together; return what each returned or raised.

    Each thread has its own database connection (Django's are per thread), closed at the end.
    """
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        try:
            barrier.wait(timeout=timeout)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 — the outcome is what the test looks at
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return results
