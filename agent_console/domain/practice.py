"""Scoring a practice run against the reference session it was taken from, as one pure function.

A trainee takes a sample session as a live contact; afterwards `score(reference, trainee)`
compares the two event lists on what an operator's pay is measured on (DOMAIN.md): the approved
phrasings used, the promotion offered, the right article opened, the outcome and the transfer,
and the time taken. Each check is a `ScoreLine` with what was expected, what was done, and
whether it passes; the card's score is the mean over the kinds of check, so a session with ten
approved phrasings does not drown the outcome.

Scripts and articles are compared by slug, without the language suffix (`promo-offer.en` and
`promo-offer.ru` are one phrasing): a trainee working in Russian on an English sample uses the
same approved wording. A line names them by title when the caller gives the titles (the slug
otherwise) and keeps the slug as its `item`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from agent_console.domain.codes import EventType, outcome_label, transfer_label
from agent_console.domain.lifecycle import WRAPUP, OperatorState, apply, script_slug
from agent_console.domain.models import Event
from agent_console.i18n import N_, _

# The trainee may take this much longer than the reference and still pass on time.
TIME_TOLERANCE = 1.5
PROMOTION_HEARD = ("accepted", "declined")
PHRASING, PROMOTION, ARTICLE, OUTCOME, TRANSFER, TIME = (
    "phrasing",
    "promotion",
    "article",
    "outcome",
    "transfer",
    "time",
)
KIND_LABELS = {
    PHRASING: N_("Approved phrasings"),
    PROMOTION: N_("Promotion offered"),
    ARTICLE: N_("Articles opened"),
    OUTCOME: N_("Outcome"),
    TRANSFER: N_("Transfer"),
    TIME: N_("Talk time"),
}


@dataclass(frozen=True, slots=True)
class ScoreLine:
    kind: str
    label: str
    expected: str
    actual: str
    passed: bool
    item: str | None = None  # the slug of the phrasing or article checked; None for the rest


@dataclass(frozen=True, slots=True)
class ScoreCard:
    lines: tuple[ScoreLine, ...]
    score: int  # 0-100
    reference_talk_s: int
    trainee_talk_s: int

    @property
    def passed(self) -> int:
        return sum(line.passed for line in self.lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "passed": self.passed,
            "checks": len(self.lines),
            "reference_talk_s": self.reference_talk_s,
            "trainee_talk_s": self.trainee_talk_s,
            "lines": [asdict(line) for line in self.lines],
        }

    def to_markdown(self, title: str | None = None) -> str:
        rows = [
            f"# {title or _('Practice score card')}",
            "",
            _("Score: **{score}/100** ({passed} of {checks} checks passed)").format(
                score=self.score, passed=self.passed, checks=len(self.lines)
            ),
            "",
            _("| check | expected | actual | |"),
            "|---|---|---|---|",
        ]
        rows += [
            f"| {_cell(line.label)} | {_cell(line.expected)} | {_cell(line.actual)}"
            f" | {_('pass') if line.passed else _('FAIL')} |"
            for line in self.lines
        ]
        return "\n".join(rows) + "\n"


@dataclass(frozen=True, slots=True)
class _Run:
    """What one event list shows the operator did."""

    phrasings: tuple[str, ...]
    articles: tuple[str, ...]
    promotion_offered: bool
    outcome: str | None
    transfer: str | None
    talk_s: int


def score(
    reference_events: Iterable[Event],
    trainee_events: Iterable[Event],
    titles: Mapping[str, str] | None = None,
) -> ScoreCard:
    """`titles`: the scripts' and articles' titles by slug, to name them by (their slugs when
    absent)."""
    reference, trainee = _run(reference_events), _run(trainee_events)
    titles = titles or {}
    lines = [
        *_used_lines(PHRASING, reference.phrasings, trainee.phrasings, titles),
        _promotion_line(reference, trainee),
        *_used_lines(ARTICLE, reference.articles, trainee.articles, titles),
        ScoreLine(
            OUTCOME,
            _(KIND_LABELS[OUTCOME]),
            _outcome(reference.outcome),
            _outcome(trainee.outcome),
            trainee.outcome == reference.outcome,
        ),
        ScoreLine(
            TRANSFER,
            _(KIND_LABELS[TRANSFER]),
            _target(reference.transfer),
            _target(trainee.transfer),
            trainee.transfer == reference.transfer,
        ),
        _time_line(reference, trainee),
    ]
    return ScoreCard(tuple(lines), _overall(lines), reference.talk_s, trainee.talk_s)


def _run(events: Iterable[Event]) -> _Run:
    """Fold the events as the console does; what was used on the contact is read from the state
    at its end (the wrap-up resets the state), the outcome and transfer from the events."""
    outcome = transfer = answer = None
    state = at_end = OperatorState()
    for event in events:
        if event.type == EventType.TRANSFERRED:
            transfer = event.payload.get("target")
        elif event.type == EventType.WRAPUP_SAVED:
            outcome = event.payload.get("outcome")
            transfer = transfer or event.payload.get("transfer_target")
            answer = event.payload.get("promotion")
        state = apply(state, event)
        if state.state == WRAPUP and state.ended_at is not None:
            at_end = state
    talk_s = at_end.talk_s(at_end.ended_at) if at_end.ended_at else 0.0
    return _Run(
        phrasings=at_end.scripts_used,
        articles=tuple(dict.fromkeys(script_slug(a) for a in at_end.articles_opened)),
        # The wrap-up says whether the customer heard the offer, even without the event.
        promotion_offered=at_end.promotion is not None or answer in PROMOTION_HEARD,
        outcome=outcome,
        transfer=transfer,
        talk_s=round(talk_s),
    )


def _used_lines(
    kind: str, expected: tuple[str, ...], actual: tuple[str, ...], titles: Mapping[str, str]
) -> list[ScoreLine]:
    """One line per item the reference used; what the trainee used besides is no fault."""
    done = set(actual)
    label = _("Phrasing: {title}") if kind == PHRASING else _("Article: {title}")
    return [
        ScoreLine(
            kind,
            label.format(title=titles.get(item) or item),
            _("used"),
            _("used") if item in done else _("not used"),
            item in done,
            item,
        )
        for item in expected
    ]


def _promotion_line(reference: _Run, trainee: _Run) -> ScoreLine:
    # Every customer is to be offered the promotion: offering it where the reference did not
    # (a call cut short) is no fault, leaving it out where the reference offered it is.
    return ScoreLine(
        PROMOTION,
        _(KIND_LABELS[PROMOTION]),
        _("offered") if reference.promotion_offered else _("not required"),
        _("offered") if trainee.promotion_offered else _("not offered"),
        trainee.promotion_offered or not reference.promotion_offered,
    )


def _time_line(reference: _Run, trainee: _Run) -> ScoreLine:
    limit = round(reference.talk_s * TIME_TOLERANCE)
    return ScoreLine(
        TIME,
        _(KIND_LABELS[TIME]),
        _("at most {limit} (reference {reference})").format(
            limit=_duration(limit), reference=_duration(reference.talk_s)
        ),
        _duration(trainee.talk_s),
        trainee.outcome is not None and trainee.talk_s <= limit,
    )


def _overall(lines: list[ScoreLine]) -> int:
    """The mean, over the kinds of check, of the share passed within each kind."""
    shares = []
    for kind in KIND_LABELS:
        of_kind = [line for line in lines if line.kind == kind]
        if of_kind:
            shares.append(sum(line.passed for line in of_kind) / len(of_kind))
    return round(100 * sum(shares) / len(shares)) if shares else 0


def _outcome(code: str | None) -> str:
    return outcome_label(code) if code else _("not wrapped up")


def _target(code: str | None) -> str:
    return transfer_label(code) if code else _("none")


def _duration(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def _cell(text: str) -> str:
    """Table cells hold one line, and a bar would end the cell."""
    return " ".join(text.split()).replace("|", "\\|")
