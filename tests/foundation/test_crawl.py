"""Every link a demo user is shown opens (issue 19 §6): crawl each user's pages from the home
page, following every same-site link in both languages, and expect no 4xx or 5xx."""

import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from rbb.demo_data import DEMO_USERS, demo_seed

pytestmark = pytest.mark.django_db

HREF = re.compile(r'<a\b[^>]*\bhref="([^"#][^"]*)"', re.I)
# Not pages: the API's machine endpoints and documents, downloads, the admin's own pages (Django's).
SKIP = ("/static/", "/media/", "/admin/", "/api/", "/accounts/logout/", "/i18n/")
LIMIT = 400


def _links(html: str) -> list[str]:
    links = []
    for href in HREF.findall(html):
        url, _fragment = urldefrag(unescape(href))
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith(SKIP):
            continue
        links.append(url)
    return links


def crawl(client: Client) -> dict[str, tuple[int, str]]:
    """Status of every page reached from the home page, with the page that linked to it."""
    seen: dict[str, tuple[int, str]] = {}
    queue = deque([("/", "")])
    while queue and len(seen) < LIMIT:
        url, source = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = (response.status_code, source)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            queue.extend((link, url) for link in _links(response.content.decode()) if link not in seen)
    return seen


# Links do not depend on the language; each user is crawled in one, both languages are covered.
CASES = [(user[0], ("en", "zh-hans")[i % 2]) for i, user in enumerate(DEMO_USERS)]


@pytest.mark.parametrize("username, language", CASES)
def test_no_link_a_demo_user_sees_is_refused(username, language):
    demo_seed(password="demo")
    client = Client()
    assert client.login(username=username, password="demo")
    client.cookies["django_language"] = language
    pages = crawl(client)
    broken = {url: status for url, status in pages.items() if status[0] >= 400}
    assert not broken, broken
    assert len(pages) > 3
