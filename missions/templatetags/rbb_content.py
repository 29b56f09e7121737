"""Content texts on pages, in both languages (missions.content).

`{% content item "statement" %}` prints the text in the page's language; where the other
language also has text it follows, set apart; where only the other language has text it is
shown marked untranslated. `{% content item "remarks" paragraphs=True %}` prints paragraphs.
"""

from django import template
from django.utils.html import format_html, format_html_join

from missions.content import EN, LANGUAGE_NAMES, UNTRANSLATED, content_both, content_language
from missions.models import paragraphs as split_paragraphs

register = template.Library()

HTML_LANG = {"zh-hans": "zh-Hans", "en": "en"}


def _block(text: str, language: str, *, as_paragraphs: bool, css: str) -> str:
    lang = HTML_LANG[language]
    if as_paragraphs:
        body = format_html_join("", "<p>{}</p>", ((p,) for p in split_paragraphs(text)))
        return format_html('<div class="{}" lang="{}">{}</div>', css, lang, body)
    return format_html('<span class="{}" lang="{}">{}</span>', css, lang, text)


@register.simple_tag
def content(obj, field: str, paragraphs: bool = False, empty: str = "—"):
    """The text in the page's language, then the other language's where it has one (see module doc)."""
    both = content_both(obj, field)
    own = content_language()
    other = EN if own != EN else "zh-hans"
    if both[own] and both[other]:
        return format_html(
            '<span class="bilingual-text">{}{}</span>' if not paragraphs else '<div class="bilingual-text">{}{}</div>',
            _block(both[own], own, as_paragraphs=paragraphs, css="own-language"),
            _block(both[other], other, as_paragraphs=paragraphs, css="other-language"),
        )
    if both[own]:
        return _block(both[own], own, as_paragraphs=paragraphs, css="own-language")
    if both[other]:
        label = format_html('<span class="untranslated-label" title="{}">{}</span> ', LANGUAGE_NAMES[other], UNTRANSLATED)
        return format_html(
            '<span class="untranslated">{}{}</span>' if not paragraphs else '<div class="untranslated">{}{}</div>',
            label, _block(both[other], other, as_paragraphs=paragraphs, css="other-language"),
        )
    return empty
