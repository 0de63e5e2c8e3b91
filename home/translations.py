"""Where a page is in each content language: the language switch and hreflang."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language_info, to_locale
from wagtail.models import Page


@dataclass(frozen=True)
class LanguageVersion:
    code: str  # Django's language code, as in the URL prefix (zh-hans)
    name: str  # in its own language, as the switch shows it
    url: str
    full_url: str  # for hreflang, which wants absolute URLs
    # False: the page has no live version in this language; `url` is then its
    # nearest ancestor that has one (that language's home page at worst).
    same_page: bool
    default: bool  # the site's default language (hreflang x-default)
    current: bool = False  # `url` is the page itself

    @property
    def hreflang(self) -> str:
        """BCP 47, as hreflang expects (zh-hans → zh-Hans)."""
        return to_locale(self.code).replace("_", "-")


def _ancestor_paths(page: Page) -> list[str]:
    """Treebeard paths of `page` and its ancestors below the root, deepest first."""
    step = page.steplen
    return [page.path[:end] for end in range(len(page.path), step, -step)]


def language_versions(page: Page, request=None) -> list[LanguageVersion]:
    """`page` in every content language, in the order languages are configured.
    A shopper switching language stays on the same page when it has a live version
    in the other language; otherwise they land on its closest translated ancestor
    rather than on a 404. One query (plus the site's root paths, cached)."""
    codes = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    lineage = Page.objects.filter(path__in=_ancestor_paths(page))
    candidates = (
        Page.objects.live()
        .filter(
            translation_key__in=lineage.values("translation_key"),
            locale__language_code__in=codes,
        )
        .select_related("locale")
        .order_by("-depth")
    )
    deepest = {}
    for candidate in candidates:
        deepest.setdefault(candidate.locale.language_code, candidate)
    versions = []
    for code in codes:
        target = deepest.get(code)
        url = target.get_url(request) if target is not None else None
        if url is None:
            continue
        versions.append(
            LanguageVersion(
                code=code,
                name=get_language_info(code)["name_local"],
                url=url,
                full_url=request.build_absolute_uri(url) if request else url,
                same_page=target.translation_key == page.translation_key,
                default=code == settings.LANGUAGE_CODE,
                current=target.pk == page.pk,
            )
        )
    return versions
