from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import report_list_for_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    reports = report_list_for_user(user=request.user)
    return render(request, "missions/home.html", {"reports": reports})
