"""Practice: a trainee takes a recorded session's customer as a live contact.

The run happens on a throwaway copy of the database (content, customers and search index
included), so nothing a trainee does reaches the live queue, the event log or the shift's
figures, and the trainee uses the very console operators use. Its queue holds one contact:
the session's, as it came in; its notices are those recorded with that contact, in force now as
they were then (none when the file recorded none), not today's.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from agent_console.domain import Event, EventType, Notice, Operator, Refusal
from agent_console.domain.lifecycle import script_slug
from agent_console.domain.practice import ScoreCard
from agent_console.sessions.snapshots import ContactSnapshot
from agent_console.store import Store

# The trainee acts under their own login in the copy, so the copy's record of the operator's
# real shift (possibly mid-contact) never gets in the way.
TRAINEE_PREFIX = "trainee:"


@dataclass
class PracticeRun:
    store: Store  # the copy
    contact_id: int  # the trainee's contact in the copy
    reference: tuple[Event, ...]  # the session's events for the same contact
    customer_lines: tuple[str, ...]  # what the customer says, in order
    trainee: Operator  # the trainee, acting under a login of their own in the copy
    folder: Path

    def trainee_events(self) -> list[Event]:
        return self.store.events.for_contact(self.contact_id)

    def wrapped_up(self) -> bool:
        return any(e.type == EventType.WRAPUP_SAVED for e in self.trainee_events())

    def close(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def reference_contact(
    events: list[Event] | tuple[Event, ...], contacts: dict[int, ContactSnapshot]
) -> int | None:
    """The contact to practise: the session's first one that has a snapshot and a wrap-up."""
    wrapped = {e.contact_id for e in events if e.type == EventType.WRAPUP_SAVED}
    return next((cid for cid in contacts if cid in wrapped), next(iter(contacts), None))


def prepare_practice(
    store: Store,
    events: tuple[Event, ...],
    contacts: dict[int, ContactSnapshot],
    operator: Operator,
) -> PracticeRun:
    """Copy the database, empty its queue and put the session's contact in it."""
    contact_id = reference_contact(events, contacts)
    if contact_id is None:
        raise Refusal("This session has no contact to practise on.")
    snapshot = contacts[contact_id]
    folder = Path(tempfile.mkdtemp(prefix="agent-console-practice-"))
    copy = store.copy_to(folder / "practice.db")
    trainee = replace(operator, login=TRAINEE_PREFIX + operator.login)
    try:
        copy.people.upsert_operators([trainee])
        copy.queue.close_waiting()
        copy.notices.replace_all(
            recorded_notices(snapshot.notices or (), snapshot.contact.claimed_at, copy.clock.now())
        )
        if snapshot.customer is not None:
            copy.people.upsert_customers([snapshot.customer])
        contact = snapshot.contact
        new_id = copy.queue.add(
            channel=contact.channel,
            customer_contract=contact.customer_contract,
            topic=contact.topic,
            subject=contact.subject,
            priority=contact.priority,
            customer_name=contact.customer_name,
        )
    except Exception:
        copy.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    reference = tuple(e for e in events if e.contact_id == contact_id)
    lines = tuple(
        str(e.payload.get("text", ""))
        for e in reference
        if e.type == EventType.DIALOGUE and e.payload.get("speaker") == "customer"
    )
    return PracticeRun(copy, new_id, reference, lines, trainee, folder)


def recorded_notices(
    notices: tuple[Notice, ...] | list[Notice], then: datetime | None, now: datetime
) -> list[Notice]:
    """The notices recorded with a contact taken `then`, moved in time so that they are in
    force `now` as they were then (the same time since they started, the same time left)."""
    if then is None:
        return list(notices)
    shift = now - then
    return [
        replace(n, starts=n.starts + shift, ends=n.ends + shift if n.ends else None)
        for n in notices
    ]


SCRIPT_EVENTS = (EventType.SCRIPT_SHOWN, EventType.SCRIPT_COPIED, EventType.SCRIPT_SAID)


def item_titles(store: Store, events: Iterable[Event], language: str) -> dict[str, str]:
    """The titles of the scripts and articles the events name, by slug (what a score card
    compares them by): the title in `language` when there is one, else that of the id the
    event recorded. Items not in the store are left out."""
    recorded: dict[str, dict[str, str]] = {"script": {}, "article": {}}  # slug → an id recorded
    for event in events:
        if event.type in SCRIPT_EVENTS and event.payload.get("script_id"):
            kind, item_id = "script", event.payload["script_id"]
        elif event.type == EventType.ARTICLE_OPENED and event.payload.get("article_id"):
            kind, item_id = "article", event.payload["article_id"]
        else:
            continue
        recorded[kind].setdefault(script_slug(item_id), item_id)
    titles: dict[str, str] = {}
    for kind, found in recorded.items():
        wanted = {slug: (f"{slug}.{language}", item_id) for slug, item_id in found.items()}
        ids = {i for pair in wanted.values() for i in pair}
        if kind == "article":
            known = {i: a.title for i, a in store.content.articles(ids).items()}
        else:
            known = {i: s.title for i in ids if (s := store.content.script(i)) is not None}
        for slug, (in_language, as_recorded) in wanted.items():
            title = known.get(in_language) or known.get(as_recorded)
            if title:
                titles[slug] = title
    return titles


def save_score_card(
    card: ScoreCard, title: str, folder: Path, at: datetime, trainee: Operator
) -> Path:
    """Write the score card as Markdown (to read) and JSON (to collect) side by side, saying
    who practised and when; returns the Markdown file's path. The files name a member of
    staff: readable by their owner only."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    login = trainee.login.removeprefix(TRAINEE_PREFIX)  # their own login, not the copy's
    stem = folder / f"practice-{at.astimezone(UTC):%Y%m%d-%H%M%S}-{login}"
    who = {
        "trainee": login,
        "trainee_name": trainee.name,
        "practised_at": at.astimezone(UTC).isoformat(timespec="seconds"),
    }
    document = json.dumps({"title": title, **who, **card.to_dict()}, ensure_ascii=False, indent=2)
    byline = f"Trainee: {trainee.name} ({login}) · {at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    markdown = card.to_markdown(title).replace("\n\n", f"\n\n{byline}\n\n", 1)
    for path, text in (
        (stem.with_suffix(".json"), document + "\n"),
        (stem.with_suffix(".md"), markdown),
    ):
        path.touch(mode=0o600)
        path.write_text(text, encoding="utf-8")
    return stem.with_suffix(".md")
