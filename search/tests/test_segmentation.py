"""Chinese runs become words a full-text index can match; Latin text is untouched."""

import pytest

from search.segmentation import (
    characters_query,
    has_han,
    index_text,
    pinyin_keys,
    query_text,
)


def test_a_long_title_yields_its_words_and_the_words_inside_them():
    words = index_text("云南普洱茶饼").split()

    assert {"云南", "普洱", "普洱茶"} <= set(words)


def test_every_chinese_character_is_also_indexed_on_its_own():
    words = index_text("西湖龙井绿茶").split()

    assert "茶" in words and "龙井" in words


def test_latin_text_passes_through_unchanged():
    assert index_text("Yunnan Sweet Mangoes 1 kg") == "Yunnan Sweet Mangoes 1 kg"
    assert query_text("earbuts pro") == "earbuts pro"


def test_mixed_text_splits_at_the_script_boundary():
    assert query_text("iPhone手机壳") == "iPhone 手机 壳"
    assert query_text("mango芒果") == "mango 芒果"


@pytest.mark.parametrize(
    ("query", "words"),
    [("芒果", "芒果"), ("海南芒果", "海南 芒果"), ("茶", "茶"), ("普洱茶", "普洱茶")],
)
def test_a_query_is_cut_into_the_longest_dictionary_words(query, words):
    assert query_text(query) == words


def test_each_query_word_is_among_the_words_indexed_for_a_title_containing_it():
    title = "海南贵妃芒果当季新鲜水果"

    assert set(query_text("贵妃芒果").split()) <= set(index_text(title).split())


def test_the_last_resort_query_is_one_word_per_character():
    assert characters_query("贵妃芒 pro") == "贵 妃 芒 pro"


def test_pinyin_initials_and_whole_pinyin_of_each_word():
    keys = pinyin_keys("芒果干").split()

    assert "mg" in keys and "mangguo" in keys
    assert pinyin_keys("Earbuds") == ""


def test_han_detection():
    assert has_han("茶 tea") and not has_han("tea") and not has_han("")
