"""generate_dataset writes the ledger of the latest period: 125 requests a mission, seeded; delete removes them."""

from rbb.bench.dataset import dataset_delete, dataset_generate
from rbb.ledger.models import Assignment, Request, Response, SourceDocument


def _rows():
    return list(Assignment.objects.order_by("request__source__symbol", "request__order").values_list(
        "request__source__symbol", "request__paragraph", "report__mission__code", "due_date", "response__status",
        "response__updated_at"))


def test_the_dataset_has_125_requests_per_mission_and_equal_seeds_give_equal_rows(db):
    summary = dataset_generate(scale=1, seed=5, periods=1, missions=2, support=False)
    assert Request.objects.count() == Assignment.objects.count() == 250
    assert summary.counts["follow-up request"] == 250
    assert Response.objects.exclude(status="not_started").exists()
    first = _rows()
    dataset_generate(scale=1, seed=5, periods=1, missions=2, support=False, replace=True)
    assert _rows() == first
    dataset_delete()
    assert not SourceDocument.objects.exists()
