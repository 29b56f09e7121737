"""The project's URLs plus the workflow pages, until rbb.urls includes rbb.urls_workflow itself."""

from django.urls import include, path

from rbb.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(pattern, "namespace", None) == "workflow" for pattern in urlpatterns):
    urlpatterns.append(path("", include("rbb.urls_workflow")))
