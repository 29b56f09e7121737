"""Read a query's rows ahead, in a thread, while the caller works on the rows it already has.

A long export spends a third of its time waiting for PostgreSQL (sorting, then sending each
chunk) and the rest in Python; on two cores the two can overlap. The thread uses the caller's
own connection, so it reads inside the caller's transaction and snapshot: psycopg connections
may be shared between threads (each cursor stays in one thread), and Django allows it once
told (inc_thread_sharing, as its LiveServerTestCase does).

The caller must close() it before its transaction ends: `with closing(ReadAhead(...))`.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.db import DEFAULT_DB_ALIAS, connections

_END = object()


class ReadAhead:
    """Iterate rows(), read in chunks by a thread up to `depth` chunks ahead of the caller."""

    def __init__(self, rows: Callable[[], Iterable], *, chunk_size: int, depth: int = 2, using: str = DEFAULT_DB_ALIAS):
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._using = using
        self._connection = connections[using]
        self._connection.inc_thread_sharing()
        self._thread = threading.Thread(target=self._read, args=(rows, chunk_size), name="read-ahead", daemon=True)
        try:
            self._thread.start()
        except BaseException:  # no thread (RuntimeError: can't start new thread): nothing shares it
            self._stop.set()
            self._connection.dec_thread_sharing()
            raise

    def _read(self, rows: Callable[[], Iterable], chunk_size: int) -> None:
        iterator = None
        try:
            connections[self._using] = self._connection  # this thread's queries go to the caller's connection
            iterator = iter(rows())
            while chunk := list(islice(iterator, chunk_size)):
                if not self._put(chunk):
                    return
            self._put(_END)
        except BaseException as exc:  # handed to the caller, raised there
            self._put(exc)
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()  # a server-side cursor is closed in the thread that opened it

    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> Iterator:
        while (chunk := self._queue.get()) is not _END:
            if isinstance(chunk, BaseException):
                raise chunk
            yield from chunk

    def close(self) -> None:
        """Stop reading and wait for the thread: after this the connection is the caller's alone."""
        if self._thread.is_alive() or not self._stop.is_set():
            self._stop.set()
            self._thread.join()
            self._connection.dec_thread_sharing()
