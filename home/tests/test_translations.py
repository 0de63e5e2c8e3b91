"""Where the language switch goes from a page, and which versions hreflang lists."""

import pytest
from wagtail.models import Locale

from home.models import CampaignIndexPage, CampaignPage
from home.translations import LanguageVersion, language_versions

pytestmark = pytest.mark.django_db


def _campaign(language: str, slug="tea-week", title="茶叶周") -> CampaignPage:
    index = CampaignIndexPage.objects.get(locale__language_code=language)
    page = CampaignPage(title=title, slug=slug)
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def _translate(page, language: str, *, publish=True):
    version = page.copy_for_translation(Locale.objects.get(language_code=language))
    version.title = "Tea week"
    revision = version.save_revision()
    if publish:
        revision.publish()
    return CampaignPage.objects.get(pk=version.pk)


def _by_code(page):
    return {version.code: version for version in language_versions(page)}


def test_a_translated_page_links_to_itself_in_each_language():
    chinese = _campaign("zh-hans")
    english = _translate(chinese, "en")

    from_chinese, from_english = _by_code(chinese), _by_code(english)

    assert {c: v.url for c, v in from_chinese.items()} == {
        c: v.url for c, v in from_english.items()
    }
    assert from_chinese["zh-hans"].current and from_english["en"].current
    assert [v.code for v in language_versions(chinese)] == ["zh-hans", "en"]
    assert from_chinese["zh-hans"].url == "/zh-hans/campaigns/tea-week/"
    assert from_chinese["en"].url == "/en/campaigns/tea-week/"
    assert all(v.same_page for v in from_chinese.values())
    assert from_chinese["zh-hans"].default and not from_chinese["en"].default
    assert from_chinese["zh-hans"].name == "简体中文"


@pytest.mark.parametrize("publish", [False, True])
def test_without_a_live_translation_the_switch_goes_to_the_nearest_translated_page(
    publish,
):
    chinese = _campaign("zh-hans")
    if publish:
        # A live English version that is then unpublished counts as none.
        _translate(chinese, "en").unpublish()
    else:
        _translate(chinese, "en", publish=False)

    english = _by_code(chinese)["en"]

    assert english.url == "/en/campaigns/" and not english.same_page


def test_a_page_whose_parents_have_no_translation_falls_back_to_that_home_page():
    index = CampaignIndexPage.objects.get(locale__language_code="en")
    index.get_translation(Locale.objects.get(language_code="zh-hans")).unpublish()
    english = _campaign("en", title="Tea week")

    chinese = _by_code(english)["zh-hans"]

    assert chinese.url == "/zh-hans/" and not chinese.same_page


def test_hreflang_uses_bcp47_script_case():
    version = LanguageVersion(
        code="zh-hans",
        name="简体中文",
        url="/zh-hans/",
        full_url="https://mall.example/zh-hans/",
        same_page=True,
        default=True,
    )
    assert version.hreflang == "zh-Hans"
