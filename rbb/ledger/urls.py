"""The follow-up ledger's pages; included from rbb.urls."""

from django.urls import path

from . import views

app_name = "ledger"

urlpatterns = [
    path("ledger/", views.ledger_page, name="ledger"),
    path("ledger/import/", views.import_requests, name="import"),
    path("ledger/assignments/<int:pk>/", views.response_edit, name="response"),
    path("ledger/assignments/<int:pk>/evidence/", views.evidence_add, name="evidence-add"),
    path("ledger/assignments/<int:pk>/evidence/<int:evidence_id>/", views.evidence_file, name="evidence-file"),
    path("ledger/assignments/<int:pk>/comments/", views.comment_add, name="comment-add"),
    path("ledger/assignments/<int:pk>/comments/<int:comment_id>/reply/", views.comment_answer, {"action": "reply"}, name="comment-reply"),
    path("ledger/assignments/<int:pk>/comments/<int:comment_id>/resolve/", views.comment_answer, {"action": "resolve"}, name="comment-resolve"),
    path("reports/<int:report_id>/requests/", views.report_requests, name="report"),
]
