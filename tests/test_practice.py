from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from agent_console.domain import Event, EventType
from agent_console.domain.practice import ScoreCard, score
from tests.helpers import SHIFT_NOW


def ev(type_, seconds, **payload):
    return Event(
        0, "practice", 7, "trainee", SHIFT_NOW + timedelta(seconds=seconds), type_, payload
    )


def run(
    *,
    scripts=("greeting-evening.en", "promo-offer.en"),
    articles=("outage-city.en",),
    promotion=True,
    outcome="info_given",
    transfer=None,
    talk_s=120,
    held_s=0,
):
    """A contact as a list of events: accepted at 0, ended after `talk_s` (+ `held_s`)."""
    events = [ev(EventType.CONTACT_ACCEPTED, 0)]
    events += [ev(EventType.SCRIPT_SAID, 5, script_id=s) for s in scripts]
    events += [ev(EventType.ARTICLE_OPENED, 10, article_id=a, query="q") for a in articles]
    if promotion:
        events.append(ev(EventType.PROMOTION_OFFERED, 20, answer="declined"))
    if held_s:
        events += [ev(EventType.CONTACT_HELD, 30), ev(EventType.CONTACT_RESUMED, 30 + held_s)]
    end = talk_s + held_s
    events.append(ev(EventType.CONTACT_ENDED, end))
    if outcome is not None:
        if transfer:
            events.append(ev(EventType.TRANSFERRED, end + 30, target=transfer, reason="r"))
        events.append(
            ev(EventType.WRAPUP_SAVED, end + 30, outcome=outcome, transfer_target=transfer)
        )
    return events


def failed(card: ScoreCard) -> list[str]:
    return [line.label for line in card.lines if not line.passed]


def test_the_reference_against_itself_scores_full_marks():
    card = score(run(), run())
    assert card.score == 100 and failed(card) == []
    assert [line.kind for line in card.lines] == [
        "phrasing",
        "phrasing",
        "promotion",
        "article",
        "outcome",
        "transfer",
        "time",
    ]


def test_each_miss_is_a_failed_line_with_expected_and_actual():
    card = score(
        run(),
        run(scripts=("greeting-evening.en",), articles=(), promotion=False, outcome="resolved"),
    )
    assert failed(card) == [
        "Phrasing: promo-offer",
        "Promotion offered",
        "Article: outage-city",
        "Outcome",
    ]
    outcome = next(line for line in card.lines if line.kind == "outcome")
    assert (outcome.expected, outcome.actual) == ("Information given", "Resolved")
    # Phrasings half right (0.5), promotion, article and outcome wrong, transfer and time right.
    assert card.score == round(100 * (0.5 + 0 + 0 + 0 + 1 + 1) / 6)


def test_the_language_suffix_does_not_matter():
    trainee = run(scripts=("greeting-evening.ru", "promo-offer.ru"), articles=("outage-city.ru",))
    assert score(run(), trainee).score == 100


def test_extra_phrasings_and_an_offer_the_reference_did_not_make_are_no_fault():
    reference = run(scripts=("greeting-evening.en",), promotion=False)
    trainee = run(scripts=("greeting-evening.en", "deesc-understand.en"), promotion=True)
    card = score(reference, trainee)
    assert card.score == 100
    promotion = next(line for line in card.lines if line.kind == "promotion")
    assert (promotion.expected, promotion.actual) == ("not required", "offered")


def test_the_wrong_transfer_target_fails():
    card = score(
        run(outcome="transferred", transfer="retention"),
        run(outcome="transferred", transfer="tech_support"),
    )
    transfer = next(line for line in card.lines if line.kind == "transfer")
    assert (transfer.expected, transfer.actual, transfer.passed) == (
        "Retention team",
        "Technical support",
        False,
    )


def test_talk_time_passes_within_half_again_the_reference_holds_excluded():
    within = score(run(talk_s=120), run(talk_s=180, held_s=300))
    assert (within.reference_talk_s, within.trainee_talk_s) == (120, 180)
    assert failed(within) == []
    over = score(run(talk_s=120), run(talk_s=181))
    assert failed(over) == ["Talk time"]
    time = over.lines[-1]
    assert (time.expected, time.actual) == ("at most 3:00 (reference 2:00)", "3:01")


def test_a_run_that_was_never_wrapped_up_fails_outcome_and_time():
    card = score(run(), run(outcome=None))
    assert failed(card) == ["Outcome", "Talk time"]
    assert card.lines[-3].actual == "not wrapped up"


def test_the_promotion_counts_as_offered_from_the_wrap_up_alone():
    trainee = run(promotion=False)
    trainee[-1] = replace(trainee[-1], payload={**trainee[-1].payload, "promotion": "declined"})
    assert "Promotion offered" not in failed(score(run(), trainee))


def test_the_card_exports_as_json_and_markdown():
    card = score(run(), run(articles=(), talk_s=100))
    data = json.loads(json.dumps(card.to_dict()))
    assert data["score"] == card.score and data["checks"] == len(card.lines)
    assert data["lines"][3] == {
        "kind": "article",
        "label": "Article: outage-city",
        "expected": "used",
        "actual": "not used",
        "passed": False,
        "item": "outage-city",
    }
    text = card.to_markdown("Practice: the outage | Novosibirsk")
    assert text.startswith("# Practice: the outage | Novosibirsk\n")
    assert "| Article: outage-city | used | not used | FAIL |" in text
    assert f"Score: **{card.score}/100**" in text


def test_scripts_and_articles_are_shown_by_their_titles_and_kept_by_their_ids():
    titles = {"greeting-evening": "Greeting — evening", "outage-city": "City-wide outage"}
    card = score(run(), run(articles=()), titles)
    assert [(line.label, line.item) for line in card.lines if line.item] == [
        ("Phrasing: Greeting — evening", "greeting-evening"),
        ("Phrasing: promo-offer", "promo-offer"),  # no title known: the id
        ("Article: City-wide outage", "outage-city"),
    ]
    assert "| Article: City-wide outage | used | not used | FAIL |" in card.to_markdown()
    assert all(line.item is None for line in card.lines if line.kind not in ("phrasing", "article"))


def test_titles_come_from_the_content_in_the_content_language(demo_store):
    from agent_console.sessions.practice import item_titles

    events = [
        *run(scripts=("greeting-evening.en",), articles=("outage-city.ru",)),
        ev(EventType.SCRIPT_SAID, 5, script_id="no-such-script.en"),
    ]
    english = item_titles(demo_store, events, "en")
    assert english["greeting-evening"] == demo_store.content.script("greeting-evening.en").title
    assert english["outage-city"] == demo_store.content.article("outage-city.en").title
    assert "no-such-script" not in english
    russian = item_titles(demo_store, events, "ru")
    assert russian["greeting-evening"] == demo_store.content.script("greeting-evening.ru").title


def test_a_sample_session_scored_against_a_lazy_trainee(demo_store):
    session = demo_store.sessions.get("sample-wants-to-cancel")
    reference = demo_store.sessions.events(session)
    assert score(reference, reference).score == 100
    lazy = [e for e in reference if e.type not in (EventType.ARTICLE_OPENED, EventType.TRANSFERRED)]
    lazy[-1] = replace(
        lazy[-1], payload={**lazy[-1].payload, "transfer_target": None, "outcome": "info_given"}
    )
    card = score(reference, lazy)
    assert failed(card) == ["Article: cancellation-rules", "Outcome", "Transfer"]
