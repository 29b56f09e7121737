from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from rbb import auth

# Sign-in is rate limited (rbb.auth): the admin's login uses the same counting form.
admin.site.login_form = auth.AdminLoginForm

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says; the icon is a static SVG.
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("rbb/favicon.svg"))),
    path("admin/login/", auth.admin_login),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("missions.urls")),
    path("", include("indicators.urls")),
    path("", include("rbb.urls_workflow")),
    path("", include("rbb.narrative.urls")),
    path("", include("rbb.review.urls")),
    path("", include("rbb.workbook.urls")),
    path("", include("rbb.trends.urls")),
    path("", include("rbb.ledger.urls")),
    path("", include("rbb.programme.urls")),
    path("", include("rbb.api.urls")),
]
