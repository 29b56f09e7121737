"""The headquarters review; included from rbb.urls."""

from django.urls import path

from . import threads, views

app_name = "review"

urlpatterns = [
    path("review/", views.dashboard, name="dashboard"),
    path("reports/<int:report_id>/review/", views.report_review, name="report"),
    path("reports/<int:report_id>/review/summary/", views.report_summary, name="report-summary"),
    path("reports/<int:report_id>/review/changes/", views.submission_changes, name="changes"),
    path("reports/<int:report_id>/review/return/", views.report_decide, {"action": "return"}, name="return"),
    path("reports/<int:report_id>/review/accept/", views.report_decide, {"action": "accept"}, name="accept"),
    path(
        "reports/<int:report_id>/review/accomplishments/<int:ea_id>/threads/", threads.accomplishment_threads,
        name="accomplishment-threads",
    ),
]

for kind in ("indicator", "output", "deliverable"):
    base = f"reports/<int:report_id>/review/{kind}s/<int:pk>/comments/"
    urlpatterns += [
        path(base, views.item_comments, {"kind": kind}, name=f"{kind}-comments"),
        path(f"{base}<int:comment_id>/reply/", views.thread_reply, {"kind": kind}, name=f"{kind}-reply"),
        path(f"{base}<int:comment_id>/resolve/", views.thread_resolve, {"kind": kind}, name=f"{kind}-resolve"),
    ]
