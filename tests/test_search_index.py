"""The search index on real SQLite files: what is found, what never is, and what is corrected."""

from __future__ import annotations

import pytest

from agent_console.domain import Article, Script
from agent_console.search import SearchIndex
from agent_console.search.results import Hit

pytestmark = pytest.mark.both_engines

ARTICLES = [
    Article(
        "no-internet.ru",
        "Нет интернета: первичная диагностика",
        "Проверьте баланс и аварии. Перезагрузите роутер: выключите питание на 30 секунд.",
        ("нет интернета", "роутер"),
        "ru",
    ),
    Article(
        "no-internet.en",
        "No internet: first diagnostics",
        "Check the balance and outages. Restart the router: unplug the power for 30 seconds.",
        ("no internet", "router"),
        "en",
    ),
    Article(
        "wifi-password.ru",
        "Смена пароля Wi-Fi на роутере",
        "Откройте 192.168.0.1 в браузере, раздел Wi-Fi, введите новый пароль и сохраните.",
        ("вайфай", "пароль"),
        "ru",
    ),
    Article(
        "wifi-password.en",
        "Changing the Wi-Fi password on the router",
        "Open 192.168.0.1 in the browser, the Wi-Fi section, type the new password and save.",
        ("wifi", "password"),
        "en",
    ),
    Article(
        "tv-no-signal.ru",
        "Нет сигнала на телевизоре",
        "Проверьте источник сигнала на телевизоре и кабель антенны.",
        ("телевизор",),
        "ru",
    ),
    Article(
        "payment.en", "Payment methods", "Pay by card in the personal account.", ("payment",), "en"
    ),
    Article("greetings.ru", "Приветствие абонента", "Привет! Здравствуйте, чем помочь?", (), "ru"),
    Article(
        "old-any-router.en",
        "Router setup: any router (old rule)",
        "We used to help with any router.",
        ("router", "setup"),
        "en",
        status="retired",
    ),
    Article(
        "draft-router.en",
        "Router setup draft",
        "A router draft.",
        ("router",),
        "en",
        status="draft",
    ),
]
SCRIPTS = [
    Script(
        "greeting-evening.en",
        "Greeting — evening",
        "Good evening, my name is {operator.first_name}, how can I help you?",
        "greeting",
    ),
    Script(
        "router-offer.en",
        "Router — offer a Volna router",
        "We can set up a Volna router for you.",
        "router",
    ),
]


@pytest.fixture
def index(store):
    search_index = SearchIndex(store)
    search_index.ensure()
    with store.transaction():
        store.content.upsert_articles(ARTICLES)
        store.content.upsert_scripts(SCRIPTS)
        search_index.index("article", ARTICLES)
        search_index.index("script", SCRIPTS)
    return search_index


def ids(index, query, **options):
    return [hit.id for hit in index.search(query, **options).hits]


def articles(index, query, **options):
    return ids(index, query, kinds=("article",), **options)


def test_stems_meet_forms_in_both_languages(index):
    assert articles(index, "роутера")[0] in {"no-internet.ru", "wifi-password.ru"}
    assert "no-internet.ru" in articles(index, "роутеры")
    assert "no-internet.en" in articles(index, "routers")


def test_the_title_outranks_the_body(index):
    assert articles(index, "диагностика")[0] == "no-internet.ru"
    assert articles(index, "password")[0] == "wifi-password.en"


def test_a_natural_sentence_with_greetings_and_stop_words(index):
    query = "здравствуйте у меня третий день не работает интернет что делать"
    assert articles(index, query)[0] == "no-internet.ru"
    assert articles(index, "hello, my internet is not working, what should I do?")[0] == (
        "no-internet.en"
    )


def test_the_language_of_the_question_comes_first(index):
    assert articles(index, "wi-fi пароль")[0] == "wifi-password.ru"
    assert articles(index, "wi-fi password")[0] == "wifi-password.en"


def test_the_last_word_is_completed_as_it_is_typed(index):
    assert articles(index, "роу")[0] in {"no-internet.ru", "wifi-password.ru"}
    assert articles(index, "wifi pass")[0] == "wifi-password.en"
    assert articles(index, "диагн")[0] == "no-internet.ru"


def test_a_finished_last_word_is_not_completed(index):
    # "pay " with a space is a word, not the start of "payment"... which stems to "pay" anyway;
    # "диагн " with a space is a word the index does not know, so nothing is found.
    assert articles(index, "диагн ") == []


@pytest.mark.parametrize(
    ("typed", "meant", "expected"),
    [
        ("ghbdtn", "привет", "greetings.ru"),
        ("bynthytn", "интернет", "no-internet.ru"),
        ("yt hf,jnftn bynthytn", "не работает интернет", "no-internet.ru"),
        ("Ntktdbpjh", "Телевизор", "tv-no-signal.ru"),
        ("руддщ", "hello", None),
        ("кщгеук", "router", "no-internet.en"),
    ],
)
def test_the_wrong_keyboard_layout_is_read_as_meant(index, typed, meant, expected):
    result = index.search(typed, kinds=("article",))
    assert result.searched_for == meant
    if expected:
        assert expected in [h.id for h in result.hits[:3]]


def test_a_word_the_index_knows_is_never_flipped(index):
    assert index.search("router").searched_for is None
    assert index.search("роутер").searched_for is None


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("интенет", "no-internet.ru"),  # dropped letter
        ("интерннет", "no-internet.ru"),  # added letter
        ("инетрнет", "no-internet.ru"),  # swapped letters
        ("интормет", None),  # two wrong letters: not corrected
        ("диагнозтика", "no-internet.ru"),  # wrong letter
        ("pasword", "wifi-password.en"),
        ("pazzword", None),  # two wrong letters
        ("passwrod", "wifi-password.en"),
    ],
)
def test_one_typo_in_a_long_word_is_corrected(index, typo, expected):
    result = index.search(typo, kinds=("article",))
    if expected is None:
        assert result.hits == []
    else:
        assert result.hits[0].id == expected
        assert result.searched_for is not None and result.searched_for != typo


def test_short_words_are_not_corrected(index):
    assert index.search("payy ", kinds=("article",)).hits == []
    assert index.search("cabl ", kinds=("article",)).hits == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"router',
        "router AND",
        "AND OR NOT",
        "wi*",
        "-wifi",
        "title:wifi",
        "(router",
        "router)",
        "NEAR(router wifi)",
        "^wifi",
        "''",
        "*",
        ":",
        "-",
        "router NOT wifi",
        'body:"x"',
        "{title}: router",
        "router + wifi",
        "\x00",
        "\\",
        "%",
        "_",
        "'; DROP TABLE x;--",
    ],
)
def test_operator_characters_never_raise_and_are_plain_text(index, query):
    result = index.search(query)
    assert result.query == query
    for hit in result.hits:
        assert isinstance(hit.score, float)


def test_operator_words_are_searched_as_words(index):
    # "NOT wifi" must not exclude the Wi-Fi article: NOT is a word (a stop word), not syntax.
    assert "wifi-password.en" in articles(index, "router NOT wifi")
    assert articles(index, "router AND password")[0] == "wifi-password.en"


def test_retired_items_are_never_returned(index, store):
    assert "old-any-router.en" not in articles(index, "router any old rule", limit=50)
    assert "old-any-router.en" not in articles(index, "any", limit=50)
    # Retiring an article that was searchable takes it out.
    retired = Article(
        "payment.en", "Payment methods", "Pay by card.", ("payment",), "en", status="retired"
    )
    with store.transaction():
        index.index("article", [retired])
    assert "payment.en" not in articles(index, "payment methods")


def test_drafts_are_searchable(index):
    assert "draft-router.en" in articles(index, "router draft")


def test_reimporting_an_id_replaces_it(index, store):
    changed = Article("payment.en", "Paying with a QR code", "Scan the QR code.", (), "en")
    with store.transaction():
        store.content.upsert_articles([changed])
        index.index("article", [changed])
    assert articles(index, "QR code")[0] == "payment.en"
    assert "payment.en" not in articles(index, "card personal account")
    counts = store.search_file.conn.execute(
        "SELECT count(*) FROM search_docs WHERE doc_id = 'payment.en'"
    ).fetchone()
    assert counts == (1,)


def test_the_vocabulary_follows_replacements_and_removals(index, store):
    def df(term):
        row = store.search_file.conn.execute(
            "SELECT df FROM search_terms WHERE term = ?", (term,)
        ).fetchone()
        return row[0] if row else 0

    assert df("card") == 1
    with store.transaction():
        index.index("article", [Article("payment.en", "Payment", "Cash only.", (), "en")])
    assert df("card") == 0
    assert df("cash") == 1


def test_language_filter(index):
    assert {h.language for h in index.search("wi-fi", language="ru").hits} == {"ru"}
    assert {h.language for h in index.search("wi-fi", language="en").hits} == {"en"}
    assert index.search("роутер", language="en").hits == []


def test_scripts_and_articles_together_or_apart(index):
    both = index.search("router", limit=20).hits
    assert {h.kind for h in both} == {"article", "script"}
    assert {h.kind for h in index.search("router", kinds=("script",)).hits} == {"script"}
    assert ids(index, "evening", kinds=("script",)) == ["greeting-evening.en"]


def test_greetings_are_found_when_they_are_all_there_is(index):
    # A greeting script is made of greetings: searching only those still finds it.
    assert ids(index, "good evening", kinds=("script",)) == ["greeting-evening.en"]


def test_limit_is_respected_and_scores_descend(index):
    hits = index.search("router", limit=2).hits
    assert len(hits) == 2
    assert hits[0].score >= hits[1].score
    assert index.search("router", limit=0).hits == []


def test_snippets_and_highlights_point_at_the_matched_words(index):
    hit = index.search("перезагрузить роутер", kinds=("article",)).hits[0]
    assert hit.id == "no-internet.ru"
    marked = [hit.snippet[s:e].lower() for s, e in hit.highlights]
    assert "роутер" in marked
    assert all(s < e <= len(hit.snippet) for s, e in hit.highlights)


def test_script_snippets_keep_placeholders_whole(index):
    hit = index.search("evening", kinds=("script",)).hits[0]
    assert "{operator.first_name}" in hit.snippet


def test_empty_and_blank_queries_find_nothing(index):
    for query in ("", "   ", "?!", "и в на", "the of "):
        assert index.search(query).hits == []


def test_an_unfinished_stop_word_may_be_the_start_of_a_word(index):
    # While typing, "of" may become "offer".
    assert ids(index, "the of", kinds=("script",)) == ["router-offer.en"]


def test_hits_are_immutable_and_compare_by_value():
    hit = Hit("article", "a", "A", 1.0, "en", "text", ((0, 4),))
    assert hit == Hit("article", "a", "A", 1.0, "en", "text", ((0, 4),))
    with pytest.raises(AttributeError):
        hit.score = 2.0  # type: ignore[misc]


def test_ensure_rebuilds_an_index_of_another_version(store, index):
    store.search_file.conn.execute("UPDATE search_meta SET value = '0' WHERE key = 'version'")
    again = SearchIndex(store)
    again.ensure()
    assert again.search("router", kinds=("article",)).hits
    assert "old-any-router.en" not in articles(again, "any old rule")


@pytest.mark.sqlite_only  # on a server, the console's index follows the server's content
def test_clear_empties_the_index(index, store):
    index.clear()
    assert index.search("router").hits == []


def test_a_second_connection_sees_the_same_index(index, db_path, clock):
    from agent_console.store import Store

    with Store(db_path, clock) as other:
        assert SearchIndex(other).search("router", kinds=("article",)).hits


def test_a_bulk_import_counts_the_vocabulary_like_a_small_one(store):
    from agent_console.search import writer

    many = [
        Article(
            f"a{n}.en",
            f"Router note {n}",
            f"Restart the router {'twice' if n % 3 else ''}.",
            ("router",),
            "en",
        )
        for n in range(writer.BULK_FROM + 10)
    ]
    index = SearchIndex(store)
    with store.transaction():
        index.index("article", many)  # the bulk path: recounted from the FTS5 index
        index.index("article", [Article("x.en", "Twice", "Once more, twice.", (), "en")])

    def df(term):
        row = store.search_file.conn.execute(
            "SELECT df FROM search_terms WHERE term = ?", (term,)
        ).fetchone()
        return row[0] if row else 0

    assert df("router") == len(many)
    assert df("twice") == sum(1 for n in range(len(many)) if n % 3) + 1
    assert df("note") == len(many)
    stats = dict(store.search_file.conn.execute("SELECT key, value FROM search_meta"))
    assert int(stats["docs"]) == len(many) + 1
    assert index.search("twice", kinds=("article",)).hits[0].id == "x.en"


def test_a_pasted_e_mail_is_cut_before_any_work_and_still_answered(index, monkeypatch):
    """A pasted e-mail is cut to its first MAX_CHARS characters before any work is done on it
    (how fast it is answered is scripts/bench_search.py's to say, not a test's)."""
    from agent_console.search import query

    decided = []
    decide_layout = query._decide_layout

    def watched(conn, raw_chunks, typing):
        decided.append(raw_chunks)
        return decide_layout(conn, raw_chunks, typing)

    monkeypatch.setattr(query, "_decide_layout", watched)
    text = "Здравствуйте! Не работает интернет, роутер перезагружали. " + "бла " * 5000
    hits = index.search(text, kinds=("article",)).hits
    assert decided and sum(len(w) + 1 for w in decided[0]) <= query.MAX_CHARS + 1
    assert hits and hits[0].id == "no-internet.ru"


def test_the_term_cache_survives_being_emptied(monkeypatch):
    from agent_console.search import text

    monkeypatch.setattr(text, "_CACHE_LIMIT", 3)
    terms = text.Terms(frozenset())
    many = " ".join(f"word{n}" for n in range(10))
    assert terms.of_many([many, "routers cables"]) == [
        [f"word{n}" for n in range(10)],
        ["router", "cabl"],
    ]
    assert terms.text("routers, cables!") == "router cabl"


def test_a_pasted_token_is_not_spell_checked_letter_by_letter(index, monkeypatch):
    """One long word (a link, a token) answers as fast as any query: the typo correction,
    ~60 look-ups per letter, is for words, and no word is that long (scripts/bench_search.py)."""
    from agent_console.search import query

    edits1 = query.edits1

    def words_only(word: str) -> set[str]:
        assert len(word) <= 30, f"edits of a {len(word)}-letter word were made"
        return edits1(word)

    monkeypatch.setattr(query, "edits1", words_only)
    token = "eyjhbgcioijiuzi1niisinr5cci6ikpxvcj9" * 20
    assert index.search(token).hits == []
    assert index.search(f"https://example.com/{token}").query.endswith(token)
