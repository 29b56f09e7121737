"""Query count and server time of the pages and API reads, each on a small and a large instance.

Requests go through Django's test client in this process (the whole middleware stack, view
and templates; no network), as the benchmark's users. Query counts come from one request;
times are the median of `runs` requests after one warm-up. A page whose query count is the
same on the small and the large instance does not query per item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.test import Client
from django.urls import NoReverseMatch, reverse

from indicators.models import ExpectedAccomplishment
from missions.models import Report, ReportEvent

from .dataset import SUPPORT_CODE, USER_PREFIX
from .measure import count_queries, time_it

QUERY_TARGET = 15
REVIEW_TARGET_MS = 250.0


@dataclass
class PageResult:
    name: str
    small: str  # what the small instance is (UNMIK 2020/21, 59 outputs)
    large: str
    small_queries: int | None = None
    large_queries: int | None = None
    small_ms: float | None = None
    large_ms: float | None = None
    status: int | None = None
    note: str = ""
    target_ms: float | None = None
    extra: dict = field(default_factory=dict)

    @property
    def queries_ok(self) -> bool | None:
        if self.large_queries is None:
            return None
        same = self.small_queries is None or self.small_queries == self.large_queries
        return same and self.large_queries <= QUERY_TARGET

    @property
    def time_ok(self) -> bool | None:
        if self.target_ms is None or self.large_ms is None:
            return None
        return self.large_ms <= self.target_ms


@dataclass
class Subjects:
    """What the pages are measured on: the latest period's small and large reports and EAs."""

    period: str
    large: Report  # the complete support account: 623 outputs
    small: Report  # the UNMIK demo when loaded, otherwise the smallest generated mission
    entry_report: Report  # the draft mission report holding the largest accomplishment
    largest_ea: ExpectedAccomplishment
    smallest_ea: ExpectedAccomplishment
    review_small: Report  # a submitted mission report
    hq: object  # HQ reviewer
    approver: object  # approver of entry_report

    def describe(self, report: Report) -> str:
        outputs = report.outputs_count if hasattr(report, "outputs_count") else None
        return f"{report.mission.code} {report.period.label}" + (f" ({outputs} outputs)" if outputs is not None else "")


def subjects_find(*, period: str = "2020/21") -> Subjects:
    reports = (
        Report.objects.filter(period__label=period)
        .select_related("mission", "period", "report_type")
        .annotate(outputs_count=Count("units__outputs", distinct=True))
    )
    by_code = {r.mission.code: r for r in reports}
    large = by_code[SUPPORT_CODE]
    small = by_code.get("UNMIK") or min(reports, key=lambda r: r.outputs_count)
    eas = (
        ExpectedAccomplishment.objects.filter(unit__report__period__label=period, unit__report__status=Report.Status.DRAFT)
        .exclude(unit__report__mission__code__in=["UNMIK", "SUPPORT", "OTHER"])
        .annotate(size=Count("outputs", distinct=True) + Count("indicators", distinct=True))
        .select_related("unit__report__mission")
    )
    largest = eas.order_by("-size", "id").first()
    smallest = eas.filter(unit__report=largest.unit.report).order_by("size", "id").first()
    entry_report = by_code[largest.unit.report.mission.code]
    # A submitted mission report that came back once, like the large one: both compare two submissions.
    came_back = set(ReportEvent.objects.filter(report__period__label=period, action="return").values_list("report_id", flat=True))
    submitted = [r for r in reports if r.status == Report.Status.SUBMITTED and r.mission.code != SUPPORT_CODE]
    submitted = [r for r in submitted if r.pk in came_back] or submitted
    review_small = min(submitted, key=lambda r: r.outputs_count) if submitted else small
    User = get_user_model()
    hq = User.objects.get(username=f"{USER_PREFIX}hq.reviewer")
    approver = User.objects.filter(
        memberships__mission=entry_report.mission, memberships__role="approver"
    ).order_by("id").first()
    return Subjects(period, large, small, entry_report, largest, smallest, review_small, hq, approver)


def _url(name: str, *args, query: str = "") -> str | None:
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return None


def measure_get(client: Client, url: str, *, runs: int) -> tuple[int, float, int]:
    """(queries, median ms, status) of GET url."""
    with count_queries() as counter:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    status = response.status_code
    timing = time_it(lambda: _consume(client.get(url)), runs=runs)
    return counter.count, timing.median_ms, status


def _consume(response):
    if getattr(response, "streaming", False):
        for _chunk in response.streaming_content:
            pass
    return response


def pages_measure(subjects: Subjects, *, runs: int = 15, include_review: bool = True) -> list[PageResult]:
    """Every page and API read of the benchmark, small and large."""
    s = subjects
    hq = Client()
    hq.force_login(s.hq)
    approver = Client()
    approver.force_login(s.approver)
    large_ea = f"{s.entry_report.mission.code} {s.largest_ea.number} ({s.largest_ea.size} items)"
    small_ea = f"{s.entry_report.mission.code} {s.smallest_ea.number} ({s.smallest_ea.size} items)"
    plan = [
        ("Report home", hq, ("workflow:report-home", s.small.pk), ("workflow:report-home", s.large.pk), s.small, s.large, None),
        ("Framework page (document layout)", hq, ("indicators:framework", s.small.pk), ("indicators:framework", s.large.pk), s.small, s.large, None),
        ("Data entry, largest accomplishment", approver, ("indicators:entry", s.entry_report.pk, s.smallest_ea.pk),
         ("indicators:entry", s.entry_report.pk, s.largest_ea.pk), small_ea, large_ea, None),
        ("Resources page", hq, ("missions:resources", s.small.pk), ("missions:resources", s.large.pk), s.small, s.large, None),
        ("Narrative page", hq, ("narrative:report", s.small.pk), ("narrative:report", s.large.pk), s.small, s.large, None),
    ]
    if include_review:
        plan += [
            ("Review page", hq, ("review:report", s.review_small.pk), ("review:report", s.large.pk), s.review_small, s.large, REVIEW_TARGET_MS),
            ("Review: changes since last submission", hq, ("review:changes", s.review_small.pk), ("review:changes", s.large.pk),
             s.review_small, s.large, None),
        ]
    results = []
    for name, client, small_args, large_args, small, large, target in plan:
        small_label = small if isinstance(small, str) else s.describe(small)
        large_label = large if isinstance(large, str) else s.describe(large)
        result = PageResult(name, small_label, large_label, target_ms=target)
        small_url, large_url = _url(*small_args), _url(*large_args)
        if large_url is None:
            result.note = "not yet built"
            results.append(result)
            continue
        result.small_queries, result.small_ms, _status = measure_get(client, small_url, runs=runs)
        result.large_queries, result.large_ms, result.status = measure_get(client, large_url, runs=runs)
        if result.status != 200:
            result.note = f"HTTP {result.status}"
        results.append(result)
    results += dashboard_and_api_measure(subjects, client=hq, runs=runs, include_review=include_review)
    return results


API_LISTS = [
    ("api:missions:list", "", "API missions"),
    ("api:periods:list", "", "API periods"),
    ("api:reports:list", "", "API reports"),
    ("api:units:list", "", "API units"),
    ("api:events:list", "", "API workflow events"),
    ("api:accomplishments:list", "", "API accomplishments"),
    ("api:indicators:list", "", "API indicators"),
    ("api:outputs:list", "", "API outputs"),
    ("api:exports:list", "", "API export jobs"),
]


def dashboard_and_api_measure(subjects: Subjects, *, client: Client, runs: int, include_review: bool = True) -> list[PageResult]:
    """Reads whose size grows with the whole database (every report, every item): measured as is.

    At scale 1 and again at scale 10 the query counts must not move.
    """
    s = subjects
    results = []
    if include_review:
        url = _url("review:dashboard", query=f"period={s.period}")
        result = PageResult("HQ dashboard of a period", "", f"{Report.objects.filter(period__label=s.period).count()} reports")
        if url is None:
            result.note = "not yet built"
        else:
            result.large_queries, result.large_ms, result.status = measure_get(client, url, runs=runs)
        results.append(result)
    for name, query, label in API_LISTS:
        url = _url(name, query=query)
        result = PageResult(label + " (first page)", "", "all rows")
        if url is None:
            result.note = "not yet built"
        else:
            result.large_queries, result.large_ms, result.status = measure_get(client, url, runs=runs)
            if result.status != 200:
                result.note = f"HTTP {result.status}"
        results.append(result)
    for name, label in (("api:framework:detail", "API framework (nested read)"), ("api:reports:resources", "API resources")):
        small_url, large_url = _url(name, s.small.pk), _url(name, s.large.pk)
        result = PageResult(label, s.describe(s.small), s.describe(s.large))
        if large_url is None:
            result.note = "not yet built"
        else:
            result.small_queries, result.small_ms, _ = measure_get(client, small_url, runs=runs)
            result.large_queries, result.large_ms, result.status = measure_get(client, large_url, runs=runs)
        results.append(result)
    return results


def entry_page_extra_requests(subjects: Subjects) -> int:
    """How many requests a browser makes when it loads the largest entry page.

    Every element htmx requests on load (`hx-trigger="load"`) is one request; the answers are
    fetched as htmx would and their own load requests counted too.
    """
    client = Client()
    client.force_login(subjects.approver)
    pending = load_urls(client.get(_url("indicators:entry", subjects.entry_report.pk, subjects.largest_ea.pk)).content.decode())
    count = 0
    while pending:
        url = pending.pop()
        count += 1
        response = client.get(url, HTTP_HX_REQUEST="true")
        if response.status_code == 200:
            pending += load_urls(response.content.decode())
    return count


class _LoadRequests(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        triggers = [t.strip().split(" ")[0] for t in (attributes.get("hx-trigger") or "").split(",")]
        if "load" in triggers and attributes.get("hx-get"):
            self.urls.append(attributes["hx-get"])


def load_urls(html: str) -> list[str]:
    """The URLs htmx GETs as soon as this HTML is on the page."""
    parser = _LoadRequests()
    parser.feed(html)
    return parser.urls
