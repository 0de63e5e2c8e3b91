"""An editor makes the other language's version of a campaign in the Wagtail admin
(wagtail-localize's "Translate this page"), translates it and publishes: both
languages serve their own version, the language switch and hreflang links join
them, and the campaign's discount stays one offer."""

import re

import pytest
from django.urls import reverse
from django.utils.http import urlencode
from oscar.core.loading import get_model
from wagtail.models import Locale
from wagtail.test.utils.form_data import nested_form_data, streamfield
from wagtail_localize.models import StringSegment, Translation

from home.models import CampaignIndexPage, CampaignOffer, CampaignPage

ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")
Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

TEXT = {
    "en": {"title": "Tea week", "intro": "Teas from Yunnan", "heading": "Our teas"},
    "zh-hans": {"title": "茶叶周", "intro": "云南好茶", "heading": "精选好茶"},
}


@pytest.fixture
def editor(client, demo_user):
    client.force_login(demo_user("editor"))
    return client


def _create_campaign(editor, language: str) -> CampaignPage:
    """The editor adds and publishes a campaign with its own 10 % discount, in
    `language`'s tree."""
    index = CampaignIndexPage.objects.get(locale__language_code=language)
    tea = Product.objects.get(upc="MAL-2001")
    text = TEXT[language]
    form = {
        "title": text["title"],
        "slug": "tea-week",
        "intro": text["intro"],
        "theme_colour": "#0055aa",
        "hero_image": "",
        "offer": "",
        "discount_kind": "percentage",
        "discount_value": "10",
        "discount_range": str(Range.objects.get(name="Spring picks").pk),
        "body": streamfield(
            [
                (
                    "product_grid",
                    {
                        "heading": text["heading"],
                        "source": "picked",
                        "products": {
                            "count": "1",
                            "0": {"value": str(tea.pk), "deleted": "", "order": "0"},
                        },
                        "category": "",
                        "product_range": "",
                        "sort": "newest",
                        "limit": "8",
                        "when_unavailable": "sold_out",
                    },
                )
            ]
        ),
        "go_live_at": "",
        "expire_at": "",
        "action-publish": "publish",
    }
    add = reverse("wagtailadmin_pages:add", args=("home", "campaignpage", index.pk))
    response = editor.post(add, nested_form_data(form))
    assert response.status_code == 302, response.content.decode()[-2000:]
    return CampaignPage.objects.get(slug="tea-week", locale=index.locale)


def _translate(editor, source: CampaignPage, language: str, on_commit) -> CampaignPage:
    """Translate this page → the target language, fill in every string, publish."""
    target = Locale.objects.get(language_code=language)
    submit = reverse("wagtail_localize:submit_page_translation", args=[source.pk])
    assert editor.get(submit).status_code == 200
    response = editor.post(submit, {"locales": [target.pk]})
    assert response.status_code == 302
    page = CampaignPage.objects.get(
        translation_key=source.translation_key, locale=target
    )
    assert response.url == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live  # a draft until the editor publishes it

    # The translation editor (the page's edit view) lists the strings to translate.
    assert editor.get(response.url).status_code == 200
    translation = Translation.objects.get(
        source__object_id=source.translation_key, target_locale=target
    )
    wanted = {
        TEXT[source.locale.language_code][key]: TEXT[language][key]
        for key in ("title", "intro", "heading")
    }
    segments = StringSegment.objects.filter(source=translation.source)
    translated = 0
    for segment in segments.select_related("string"):
        if segment.string.data not in wanted:
            continue
        url = reverse(
            "wagtail_localize:edit_string_translation",
            args=[translation.pk, segment.pk],
        )
        answer = editor.put(
            url,
            urlencode({"value": wanted[segment.string.data]}),
            content_type="application/x-www-form-urlencoded",
        )
        assert answer.status_code == 201, answer.content
        translated += 1
    assert translated == len(wanted)

    # wagtail-localize publishes once the request's transaction commits.
    with on_commit(execute=True):
        published = editor.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]), {"action": "publish"}
        )
    assert published.status_code == 302
    shown = [str(m) for m in editor.get(published.url).context["messages"]]
    assert any(m.startswith("Published") for m in shown), shown
    return CampaignPage.objects.get(pk=page.pk)


@pytest.mark.parametrize(("source", "target"), [("en", "zh-hans"), ("zh-hans", "en")])
def test_an_editor_translates_a_campaign_and_each_language_serves_its_own(
    editor, client, source, target, django_capture_on_commit_callbacks
):
    offers_before = ConditionalOffer.objects.count()
    original = _create_campaign(editor, source)
    assert ConditionalOffer.objects.count() == offers_before + 1

    version = _translate(
        editor, original, target, on_commit=django_capture_on_commit_callbacks
    )

    assert version.live and version.title == TEXT[target]["title"]
    assert version.url == original.url.replace(f"/{source}/", f"/{target}/", 1)
    # One campaign, one discount: the translation shares the original's offer.
    assert ConditionalOffer.objects.count() == offers_before + 1
    assert CampaignOffer.objects.filter(page=original).count() == 1
    assert not CampaignOffer.objects.filter(page=version).exists()

    client.logout()
    for page, language in ((original, source), (version, target)):
        other = version if page is original else original
        html = client.get(page.url).content.decode()
        assert f'<html lang="{language}"' in html
        assert TEXT[language]["title"] in html and TEXT[language]["heading"] in html
        assert TEXT[other.locale.language_code]["heading"] not in html
        # The switch goes to the same campaign in the other language.
        switch = re.search(
            r'name="next" value="([^"]+)">\s*<button type="submit" name="language" '
            r'value="([^"]+)"',
            html,
        )
        assert switch.groups() == (other.url, other.locale.language_code)
        # Search engines learn both versions; the Chinese one is the default.
        for hreflang, url in (
            ("zh-Hans", _url("zh-hans", original, version)),
            ("en", _url("en", original, version)),
            ("x-default", _url("zh-hans", original, version)),
        ):
            assert (
                f'<link rel="alternate" hreflang="{hreflang}" '
                f'href="http://testserver{url}">' in html
            )

    # The switch sets the language for the shop too.
    response = client.post(
        reverse("set_language"),
        {"language": target, "next": version.url},
    )
    assert response.url == version.url
    basket = client.get(reverse("basket:summary")).content.decode()
    assert f'<html lang="{target}"' in basket


def _url(language, *pages):
    return next(p.url for p in pages if p.locale.language_code == language)
