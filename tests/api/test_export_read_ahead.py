"""The export reads ahead in threads, on the request's own connection (rbb.lib.read_ahead).

The threads must read inside the caller's transaction, hand their errors to the caller, and be
gone, with the connection the caller's alone again, when the export ends or is abandoned.
"""

import threading
from contextlib import closing

import pytest
from django.db import connection, transaction

from indicators.models import Output
from rbb.api import export
from rbb.lib.read_ahead import ReadAhead
from tests.foundation.builders import add_framework, make_report

pytestmark = pytest.mark.django_db


def _readers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "read-ahead"]


def test_it_reads_what_the_callers_transaction_has_not_committed():
    report = make_report(code="AHEAD", period="2020/21")
    add_framework(report, units=1, eas_per_unit=2, indicators_per_ea=1, outputs_per_ea=30)
    queryset = Output.objects.filter(accomplishment__unit__report=report).order_by("id").values_list("id", flat=True)
    with transaction.atomic():
        Output.objects.filter(accomplishment__unit__report=report).update(remarks="uncommitted")
        with closing(ReadAhead(lambda: queryset.filter(remarks="uncommitted").iterator(chunk_size=7), chunk_size=7)) as rows:
            assert list(rows) == list(queryset)
    assert _readers() == []
    assert connection.allow_thread_sharing is False


def test_an_error_in_the_thread_is_raised_in_the_caller():
    def rows():
        yield 1
        raise ValueError("broken row")

    with closing(ReadAhead(rows, chunk_size=1)) as reader, pytest.raises(ValueError, match="broken row"):
        list(reader)
    assert _readers() == []


def test_a_thread_that_cannot_start_leaves_the_connection_unshared(monkeypatch):
    monkeypatch.setattr(threading.Thread, "start", lambda self: (_ for _ in ()).throw(RuntimeError("can't start new thread")))
    with pytest.raises(RuntimeError, match="can't start new thread"):
        ReadAhead(lambda: [1, 2], chunk_size=1)
    assert connection.allow_thread_sharing is False


@pytest.mark.parametrize("encode", [export.ndjson_lines, export.csv_lines], ids=["ndjson", "csv"])
def test_an_abandoned_export_stops_its_readers_before_its_transaction_ends(api_world_with_many_items, encode):
    user = api_world_with_many_items
    rows = export.export_rows(user=user, period="2020/21")
    lines = encode(rows)
    next(lines)  # a client that reads the first block and goes away
    lines.close()
    assert _readers() == []
    assert connection.allow_thread_sharing is False
    with connection.cursor() as cursor:  # the connection is usable, in no broken state
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.fixture
def api_world_with_many_items(world):
    report = make_report(code="MANY", period="2020/21")
    add_framework(report, units=4, eas_per_unit=5, indicators_per_ea=10, outputs_per_ea=40)
    return world.users["reviewer"]
