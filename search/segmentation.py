"""Chinese text as words a full-text index can match.

Chinese is written without spaces, so a database's text search sees a whole run of
characters (海南贵妃芒果) as one word and 芒果 never matches it. Runs of Chinese
characters are cut into words with rjieba (jieba's dictionary and algorithm in
Rust: the same words as jieba 0.42.1, about 25 times faster to cut and 10 times
faster to load; see docs/benchmarks.md) at index and at query time; Latin text
passes through untouched, so stemming, prefixes and typos work as before.
"""

import re
from functools import lru_cache

import rjieba
from pypinyin import Style, lazy_pinyin

# CJK Unified Ideographs, extension A and the compatibility block.
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def has_han(text: str) -> bool:
    return bool(HAN.search(text or ""))


@lru_cache(maxsize=4096)
def _words_for_index(run: str) -> tuple[str, ...]:
    # Search-engine mode also yields the shorter words inside long ones
    # (普洱茶 → 普洱, 普洱茶), so a query for either matches.
    return tuple(word for word in rjieba.cut_for_search(run) if word.strip())


def index_text(text: str) -> str:
    """`text` with each Chinese run replaced by its words, then each Chinese
    character on its own: a one-character query (茶) and words cut differently in
    a query than in the title still find it."""
    if not has_han(text):
        return text
    characters: dict[str, None] = {}

    def words(match: re.Match) -> str:
        run = match.group()
        characters.update(dict.fromkeys(run))
        return f" {' '.join(_words_for_index(run))} "

    segmented = " ".join(HAN.sub(words, text).split())
    return f"{segmented} {' '.join(characters)}"


def query_text(query: str) -> str:
    """The query's Chinese runs cut into words (the longest dictionary words: each
    is among the words indexed for a title containing it)."""
    if not has_han(query):
        return query

    def words(match: re.Match) -> str:
        return f" {' '.join(w for w in rjieba.cut(match.group()) if w.strip())} "

    return " ".join(HAN.sub(words, query).split())


def characters_query(query: str) -> str:
    """Every Chinese character of the query as its own word, Latin words kept: the
    last resort when the query's words were cut differently from the titles'."""
    return " ".join(
        HAN.sub(lambda match: f" {' '.join(match.group())} ", query).split()
    )


def pinyin_keys(text: str) -> str:
    """For each Chinese word in `text`, its pinyin initials and its whole pinyin
    (芒果 → mg mangguo), so typing either suggests it."""
    keys: dict[str, None] = {}
    for run in HAN.findall(text or ""):
        for word in _words_for_index(run):
            syllables = lazy_pinyin(word, style=Style.NORMAL, errors="ignore")
            if syllables:
                keys[
                    "".join(
                        lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore")
                    )
                ] = None
                keys["".join(syllables)] = None
    return " ".join(keys)
