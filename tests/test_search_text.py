"""The text side of search: terms, stems, keyboard layout, typos, snippets. No database."""

from __future__ import annotations

import pytest

from agent_console.search.layout import other_reading, to_cyrillic, to_latin
from agent_console.search.snippets import plain, snippet
from agent_console.search.stopwords import INDEX_STOP, QUERY_STOP
from agent_console.search.synonyms import synonyms
from agent_console.search.text import Terms, fold, stem, words
from agent_console.search.typos import damerau_distance, edits1

INDEX_TERMS = Terms(INDEX_STOP)


def terms(text: str) -> list[str]:
    """The terms a text is indexed under."""
    return INDEX_TERMS.text(text).split()


@pytest.mark.parametrize(
    "forms",
    [
        ("роутер", "роутера", "роутеры", "роутеров", "Роутером"),
        ("интернет", "интернета", "интернетом", "ИНТЕРНЕТ"),
        ("router", "routers", "Router"),
        ("connection", "connections"),
        ("payment", "payments"),
        ("приставка", "приставку", "приставки"),
    ],
)
def test_forms_of_a_word_meet_in_one_stem(forms):
    assert len({stem(fold(form)) for form in forms}) == 1


def test_yo_and_short_i_are_folded_so_customers_spelling_meets_the_articles():
    # "ё" typed as "е", and "й" typed as "и" (the stemmer still sees the й of the article).
    assert terms("платёж") == terms("платеж")
    assert terms("настройка") == terms("настроика")
    assert stem(fold("Новый")) == stem(fold("новый"))


def test_the_stemmer_sees_lowercase_words():
    assert terms("РОУТЕРЫ Routers") == terms("роутеры routers")


def test_stop_words_and_one_letter_words_are_not_indexed():
    assert terms("у меня и в the a of") == []
    assert terms("нет интернета") == ["нет", "интернет"]


def test_greetings_are_query_stop_words_but_still_indexed():
    for word in ("здравствуйте", "hello", "пожалуйста", "please"):
        assert word in QUERY_STOP
        assert word not in INDEX_STOP


def test_compounds_give_their_parts_and_their_joined_form():
    assert terms("Wi-Fi") == ["wi", "fi", "wifi"]
    assert "wifi" in terms("wifi")


def test_underscores_split_words_as_fts5_does():
    assert words("no_internet") == ["no", "internet"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("ghbdtn", "привет"),
        ("bynthytn", "интернет"),
        ("hf,jnftn", "работает"),
        ("Ntktdbpjh", "Телевизор"),
    ],
)
def test_latin_keys_read_as_the_russian_layout(typed, meant):
    assert to_cyrillic(typed) == meant
    assert other_reading(typed) == meant


@pytest.mark.parametrize(
    ("typed", "meant"), [("руддщ", "hello"), ("кщгеук", "router"), ("цшаш", "wifi")]
)
def test_cyrillic_keys_read_as_the_us_layout(typed, meant):
    assert to_latin(typed) == meant
    assert other_reading(typed) == meant


def test_digits_and_mixed_scripts_have_no_other_reading():
    assert other_reading("691") is None
    assert other_reading("wifiвайфай") is None


@pytest.mark.parametrize(
    ("typo", "word"),
    [
        ("роутр", "роутер"),  # dropped
        ("роуттер", "роутер"),  # added
        ("руотер", "роутер"),  # swapped (and the swap is one edit)
        ("роутир", "роутер"),  # wrong letter
        ("pasword", "password"),
        ("passwrod", "password"),
    ],
)
def test_a_single_typo_is_one_edit_away(typo, word):
    assert word in edits1(typo) or typo in edits1(word)
    assert damerau_distance(typo, word) == 1


def test_edits_stay_in_the_alphabet_of_the_word():
    assert all(not any("a" <= c <= "z" for c in e) for e in edits1("роутер"))
    assert all(not any("а" <= c <= "я" for c in e) for e in edits1("router"))


def test_synonyms_link_colloquial_words_both_ways():
    assert stem("интернет") in synonyms(stem("инет"))
    assert stem("инет") in synonyms(stem("интернет"))
    assert stem("wifi") in synonyms(stem("вайфай"))


def test_snippet_marks_every_matched_word_and_nothing_else():
    text, spans = snippet("The router restarts. Routers need power. The cable is fine.", {"router"})
    assert [text[s:e] for s, e in spans] == ["router", "Routers"]


def test_snippet_marks_russian_forms_and_cuts_around_the_match():
    body = "Вступление. " * 40 + "Перезагрузите роутер и проверьте кабель. " + "Хвост. " * 40
    text, spans = snippet(body, {stem("роутер"), stem("кабель")}, width=80)
    assert text.startswith("…") and text.endswith("…")
    assert len(text) <= 82
    assert [text[s:e] for s, e in spans] == ["роутер", "кабель"]


def test_snippet_without_a_match_is_the_beginning():
    text, spans = snippet("Short body.", {"absent"})
    assert (text, spans) == ("Short body.", ())


def test_plain_drops_markdown_but_keeps_placeholders():
    assert plain("**Summary:** call {operator.first_name}\n## Steps\n| a | b |") == (
        "Summary: call {operator.first_name} Steps a b"
    )


def test_plain_strips_what_the_one_markup_pattern_strips():
    # `plain` strips in three cheap passes what `MARKUP` describes in one.
    import random

    from agent_console.search.snippets import MARKUP

    pieces = [*"ab *_`#>|-\n\t '’", "## ", "\n> ", "---", "__", "\n  \n# h"]
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24)))
        assert plain(text) == " ".join(MARKUP.sub(" ", text).split()), repr(text)


def test_snippet_marks_compounds_and_folded_first_letters_as_every_word_would():
    # Only words whose first letter (or a compound part's) may begin a term are looked at:
    # the marks are those of looking at every word.
    from agent_console.search import snippets
    from agent_console.search.snippets import WORD, _matches

    text = "wi-fi and wifi, x-'fi, a--fi-b, don't, Йод йогурт, ёлка wi-fi-fi fi-wi"
    for terms in ({"fi"}, {"wifi"}, {"wi"}, {"dont"}, {stem("йод"), stem("ёлка")}, {"b", "x"}):
        folded = fold(plain(text))
        every = [m.span() for m in WORD.finditer(folded) if _matches(m.group(), terms)]
        assert snippets._spans(folded, terms) == every, terms
    text, spans = snippet(text, {"fi", stem("йод")})
    assert [text[s:e] for s, e in spans] == ["wi-fi", "fi", "fi-b", "Йод", "wi-fi-fi", "fi-wi"]
