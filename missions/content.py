"""Content texts in both languages: X holds the Chinese text, X_en the English one.

UN documents exist in every official language, so every content text (a statement, an output,
remarks, a narrative, an explanation, a heading) may hold both; either may be empty. Pages,
the narrative tables, the API and IATI read a text in one language through `content_text`,
which says whether what it returns is the other language's text standing in (untranslated),
so that what is untranslated can be marked rather than hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

ZH, EN = "zh-hans", "en"
LANGUAGES = (ZH, EN)
LANGUAGE_NAMES = {ZH: _("Chinese"), EN: _("English")}
# The bracketed label printed before a text shown in the other language (narrative tables).
UNTRANSLATED = _("[untranslated]")
CONTENT_REQUIRED = _("Enter this text in Chinese or in English, or both.")


def content_language(language: str | None = None) -> str:
    """`zh-hans` or `en`: the content language of a UI language (the active one by default)."""
    return ZH if (language or get_language() or EN).lower().startswith("zh") else EN


def field_name(field: str, language: str) -> str:
    """The model field holding `field` in `language`: `statement` (Chinese) or `statement_en`."""
    return field if content_language(language) == ZH else f"{field}_en"


@dataclass(frozen=True)
class ContentText:
    """A content text as read in one language.

    `fallback` is true when the language's own text is empty and the other language's text
    stands in (the text is untranslated); `language` is the language `text` is written in.
    """

    text: str
    language: str
    fallback: bool = False

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def content_text(obj, field: str, language: str | None = None) -> ContentText:
    """Return obj's `field` in `language` (the active language by default), or the other one, marked."""
    wanted = content_language(language)
    other = EN if wanted == ZH else ZH
    own = (getattr(obj, field_name(field, wanted)) or "").strip()
    if own:
        return ContentText(own, wanted)
    stand_in = (getattr(obj, field_name(field, other)) or "").strip()
    if stand_in:
        return ContentText(stand_in, other, fallback=True)
    return ContentText("", wanted)


def content_both(obj, field: str) -> dict[str, str]:
    """Both versions of a text, by language (`{"zh-hans": …, "en": …}`), stripped."""
    return {language: (getattr(obj, field_name(field, language)) or "").strip() for language in LANGUAGES}


def content_missing(obj, field: str) -> str | None:
    """The language `field` lacks while the other has text (what a translator fills), else None."""
    both = content_both(obj, field)
    if both[ZH] and not both[EN]:
        return EN
    if both[EN] and not both[ZH]:
        return ZH
    return None


def content_present(obj, field: str) -> bool:
    """Whether the text exists in at least one language (what 'required' means for content)."""
    return any(content_both(obj, field).values())


def marked(text: ContentText | str, *, label: str | None = None) -> str:
    """The text with the untranslated label before it when it stands in for the other language."""
    if isinstance(text, ContentText) and text.fallback and text.text:
        return f"{label or UNTRANSLATED} {text.text}"
    return str(text)


def content_require(obj, *fields: str) -> None:
    """Raise ValidationError on each of `fields` empty in both languages (model clean())."""
    errors = {field: ValidationError(CONTENT_REQUIRED, code="content_missing") for field in fields if not content_present(obj, field)}
    if errors:
        raise ValidationError(errors)
