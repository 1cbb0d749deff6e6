"""What the replay shows, as text: the timeline's lines, the card's hints, and what was on the
operator's screen at a point of the session. Pure: built from the session's data and a position
(domain/player.py); the replay screen puts it on screen. Customer text is always literal."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text

from agent_console.domain import Event, EventType, topic_label
from agent_console.domain.codes import outcome_label, promotion_label, transfer_label
from agent_console.domain.placeholders import customer_values, fill
from agent_console.domain.player import Position, describe
from agent_console.i18n import _, format_moment
from agent_console.text import printable
from agent_console.timefmt import duration

if TYPE_CHECKING:
    from agent_console.screens.replay import SessionData
    from agent_console.sessions import ContactSnapshot


def timeline_label(event: Event, start: datetime, titles: dict[str, str], language: str) -> Text:
    # `language`: the content's, for the scripts' titles; the rest is in the interface's.
    """One line of the timeline: when, from the session's start, and what happened."""
    label = Text(f"{duration((event.at - start).total_seconds()):>6} ", style="dim")
    line = printable(describe(event, language, titles), single_line=True)
    style = "italic" if event.type == EventType.DIALOGUE else ""
    label.append(line, style=style)
    return label


def idle_hint(data: SessionData, position: Position) -> str:
    """What the card says when it has no customer to show at `position`."""
    if position.contact_id is not None:
        return _(
            "This contact's customer card was not recorded in the session: the "
            "timeline and the transcript show what happened."
        )
    events = data.events
    start = events[0].at
    first = next((e for e in events if e.contact_id is not None), None)
    starts = _("the session starts {moment} UTC").format(moment=format_moment(start))
    if first is None:
        return _("No contact in this session: {starts}.").format(starts=starts)
    return _(
        "No contact yet: {starts}, and the operator takes the first contact at {offset} on"
        " the timeline. → steps to it, Space plays."
    ).format(starts=starts, offset=duration((first.at - start).total_seconds()))


def card_subtitle(data: SessionData, position: Position) -> str:
    """Under a contact already wrapped up (the card keeps showing it until the next one):
    that it is done, and when the next contact comes."""
    if position.state.contact_id is not None:
        return ""  # in hand, on hold or in wrap-up: the status line says which
    later = data.events[position.index + 1 :]
    following = next(
        (e for e in later if e.contact_id is not None and e.contact_id != position.contact_id),
        None,
    )
    if following is None:
        return _("wrapped up · the session's last contact")
    offset = duration((following.at - data.events[0].at).total_seconds())
    return _("wrapped up · between contacts, the next at {offset}").format(offset=offset)


def screen_text(
    data: SessionData,
    event: Event | None,
    snapshot: ContactSnapshot | None,
    language: str,
    values: dict[str, str | None],
) -> Text:
    """What the operator had in front of them after `event`, as plain, literal text; an
    article's body is not in it (the article view renders its Markdown, `_show_screen`)."""
    if event is None:
        return Text(_("Nothing looked up yet."), style="dim")
    p = event.payload
    heading = Text()
    heading.append(
        printable(describe(event, language, data.titles), single_line=True) + "\n\n",
        style="bold",
    )
    if event.type in (EventType.SCRIPT_SHOWN, EventType.SCRIPT_COPIED, EventType.SCRIPT_SAID):
        values = dict(values)
        if snapshot is not None and snapshot.customer is not None:
            values |= customer_values(snapshot.customer)
        body = data.scripts.get(p.get("script_id", "")) or _("(this script is not in the database)")
        return heading + Text(printable(fill(body, values).text))
    if event.type == EventType.SEARCH_MADE:
        lines = [
            f"{n}. {data.titles.get(hit.partition(':')[2], hit)}"
            for n, hit in enumerate(p.get("results") or [], start=1)
        ]
        searched = (
            _("(searched for: {query})").format(query=p["searched_for"]) + "\n"
            if p.get("searched_for")
            else ""
        )
        return heading + Text(printable(searched + "\n".join(lines) or _("Nothing found")))
    if event.type == EventType.ARTICLE_OPENED:
        if p.get("article_id", "") in data.articles:
            heading.rstrip()
            return heading
        return heading + Text(_("(this article is not in the database)"), style="dim")
    if event.type == EventType.WRAPUP_SAVED:
        rows = [
            (_("Outcome"), outcome_label(p.get("outcome"))),
            (_("Topic"), topic_label(p.get("topic")) or "—"),
            (_("Transfer"), transfer_label(p.get("transfer_target"))),
            (_("Promotion"), promotion_label(p.get("promotion"))),
            (
                _("Talk / hold / after-call"),
                " / ".join(duration(p.get(k) or 0) for k in ("talk_s", "hold_s", "acw_s")),
            ),
            (_("Notes"), p.get("notes") or "—"),
        ]
        summary = Text()
        for label, value in rows:
            summary.append(f"{label}: ", style="bold")
            summary.append(printable(str(value)) + "\n")
        return heading + summary
    return heading
