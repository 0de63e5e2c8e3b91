"""Shoppers can switch between English and Simplified Chinese."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_shopper_switches_the_shop_to_chinese_and_back(client):
    english = client.get("/campaigns/spring-sale/", follow=True).content.decode()
    assert "Add to basket" in english or "Add to cart" in english

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    chinese = client.get("/campaigns/spring-sale/", follow=True).content.decode()

    assert 'lang="zh-hans"' in chinese
    assert "加入购物车" in chinese and "有货" in chinese
    assert "搜索商品和活动" in chinese  # the header search box
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "加入购物车" not in client.get("/", follow=True).content.decode()


def test_oscar_pages_follow_the_same_language(client):
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})

    basket = client.get(reverse("basket:summary")).content.decode()

    assert 'lang="zh-hans"' in basket
    assert "购物车" in basket
