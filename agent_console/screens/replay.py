"""Replay (trainers): a session played back as the operator saw it, on a virtual clock.

The timeline lists every event; the customer card, the operator's state and timers, the
transcript and what was on the operator's screen (the script said, the search typed, the
article opened, the wrap-up) follow the position. Space plays and pauses, ←/→ step, 1/2/4/8
set the speed, Enter on the timeline jumps there.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Final

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from agent_console.context import ConsoleContext
from agent_console.domain import Article, Event, EventType
from agent_console.domain.player import SPEEDS, Player, Position
from agent_console.i18n import N_, _, format_moment
from agent_console.screens.replay_text import card_subtitle, idle_hint, screen_text, timeline_label
from agent_console.screens.translated import TranslatedBindings
from agent_console.sessions import ContactSnapshot, contacts_in, session_events
from agent_console.store import Store
from agent_console.store.sessions import SessionInfo
from agent_console.text import counted, printable
from agent_console.timefmt import duration
from agent_console.widgets.customer_card import CardData, CustomerCard
from agent_console.widgets.knowledge import article_markdown
from agent_console.widgets.status_bar import OperatorStatus
from agent_console.workers import io_work

HELP = N_("""\
## Replay

A recorded, imported or sample session played back as the operator saw it.

`Space` plays and pauses; `→`/`←` step to the next or previous event; `Home`/`End` go to the
start or the end; `1`, `2`, `4`, `8` set the speed (`f` cycles). `Enter` on a line of the
timeline jumps there. `t` practises the session: you take its customer as a live contact.
`Esc` goes back to the list.
""")

# Where a session came from, as the list says it (the slug is the database's).
SOURCE_NAMES = {"sample": N_("sample"), "imported": N_("imported"), "live": N_("live")}


def source_label(source: str) -> str:
    name = SOURCE_NAMES.get(source)
    return _(name) if name else source


FRAME_S = 0.1  # how often the player's clock moves while playing


@dataclass(frozen=True, slots=True)
class SessionData:
    """A session and what its replay needs from the store, read once in a worker."""

    session: SessionInfo
    events: tuple[Event, ...]
    contacts: dict[int, ContactSnapshot]
    titles: dict[str, str]  # script and article ids → titles
    scripts: dict[str, str]  # script ids → bodies
    articles: dict[str, Article]


def load_session(store: Store, session_id: str) -> SessionData | None:
    session = store.sessions.get(session_id)
    if session is None:
        return None
    events = tuple(e for e in session_events(store, session) if e.type != EventType.SESSION_STARTED)
    scripts = store.content.scripts(status=None)
    articles = store.content.articles(
        e.payload.get("article_id", "") for e in events if e.type == EventType.ARTICLE_OPENED
    )
    titles = {s.id: s.title for s in scripts} | {a.id: a.title for a in articles.values()}
    return SessionData(
        session, events, contacts_in(events), titles, {s.id: s.body for s in scripts}, articles
    )


class PractiseRequested(Message):
    """A trainer asked to practise this session: the app starts a practice run on a copy."""

    def __init__(self, data: SessionData) -> None:
        super().__init__()
        self.data = data


# The player's keys (ids for the keymap; descriptions translated where they are shown).
REPLAY_BINDINGS: Final[list[BindingType]] = [
    Binding(
        "space", "play_pause", N_("Play/pause"), id="replay.toggle", tooltip=N_("Play or pause")
    ),
    Binding(
        "right,n",
        "step(1)",
        N_("Next"),
        id="replay.next",
        key_display="→",
        tooltip=N_("Step to the next event"),
    ),
    Binding(
        "left,p",
        "step(-1)",
        N_("Previous"),
        id="replay.previous",
        key_display="←",
        tooltip=N_("Step back to the previous event"),
    ),
    # Priority: the timeline list would otherwise only move its highlight.
    Binding("home", "jump_to(-1)", N_("Start"), id="replay.start", show=False, priority=True),
    Binding("end", "jump_to_end", N_("End"), id="replay.end", show=False, priority=True),
    *(
        Binding(str(speed), f"speed({speed})", f"{speed}×", id=f"replay.speed_{speed}", show=False)
        for speed in SPEEDS
    ),
    Binding("f", "faster", N_("Speed"), id="replay.faster", tooltip=N_("1× → 2× → 4× → 8×")),
    Binding(
        "t",
        "practise",
        N_("Practise"),
        id="replay.practise",
        tooltip=N_("Take this session's customer as a trainee"),
    ),
    Binding("escape", "back", N_("Sessions"), id="replay.back", tooltip=N_("Back to the sessions")),
]


class ReplayScreen(TranslatedBindings, Screen):
    HELP = HELP
    DEFAULT_CSS = """
    #replay-main {
        height: 1fr;
    }
    #replay-timeline, #replay-card, #replay-transcript, #replay-screen {
        border: round $primary;
        border-title-style: bold;
    }
    #replay-timeline:focus {
        border: round $accent;
    }
    #replay-timeline {
        width: 52;
        height: 1fr;
    }
    #replay-middle {
        width: 1fr;
    }
    #replay-card {
        height: auto;
        max-height: 50%;  /* room for a notice's text: the transcript keeps the other half */
    }
    #replay-transcript {
        height: 1fr;
        padding: 0 1;
    }
    #replay-screen {
        width: 58;
        padding: 0 1;
    }
    #replay-player {
        height: 1;
        background: $boost;
    }
    """
    BINDINGS = REPLAY_BINDINGS

    class Loaded(Message):
        def __init__(self, data: SessionData | None) -> None:
            super().__init__()
            self.data = data

    def __init__(
        self, context: ConsoleContext, session_id: str, *, contact_id: int | None = None
    ) -> None:
        """`contact_id`: start at that contact's first event (the Shift view's drill-down)."""
        super().__init__()
        self.context = context
        self.session_id = session_id
        self.contact_id = contact_id
        self.data: SessionData | None = None
        self.player: Player | None = None
        self._last_frame = time.monotonic()
        self._article_shown: str | None = None  # the Markdown in the article view

    def compose(self) -> ComposeResult:
        yield Header(icon="▶")
        with Horizontal(id="replay-main"):
            yield OptionList(id="replay-timeline")
            with Vertical(id="replay-middle"):
                yield CustomerCard(
                    self.context.language,
                    idle_hint=_("Loading the session…"),
                    zone=self.context.timezone,
                    id="replay-card",
                )
                yield VerticalScroll(Static(id="replay-transcript-text"), id="replay-transcript")
            # An article the operator opened is rendered as the knowledge pane renders it.
            article = Markdown(id="replay-article")
            article.display = False
            yield VerticalScroll(Static(id="replay-screen-text"), article, id="replay-screen")
        yield Static(id="replay-player")
        yield OperatorStatus("", id="replay-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        for pane, title in (
            ("#replay-timeline", _("Timeline")),
            ("#replay-card", _("Customer")),
            ("#replay-transcript", _("Transcript")),
            ("#replay-screen", _("On the operator's screen")),
        ):
            self.query_one(pane).border_title = title
        self.load()
        self.set_interval(FRAME_S, self._frame)

    @io_work(exclusive=True, group="replay-load")
    def load(self) -> None:
        self.post_message(self.Loaded(load_session(self.context.store, self.session_id)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        data = message.data
        if data is None or not data.events:
            self.notify(
                _("Session {session} has no events to replay.").format(session=self.session_id),
                severity="error",
                markup=False,
            )
            return
        self.data = data
        self.player = Player(data.events)
        title = printable(data.session.title or data.session.id, single_line=True)
        self.sub_title = _("replay: {session}").format(session=title)
        status = self.query_one(OperatorStatus)
        status.operator_name = data.session.operator or ""
        status.waiting = None
        start = data.events[0].at
        self.query_one("#replay-timeline", OptionList).add_options(
            Option(timeline_label(event, start, data.titles, self.context.language), id=str(index))
            for index, event in enumerate(data.events)
        )
        first = next(
            (n for n, event in enumerate(data.events) if event.contact_id == self.contact_id), None
        )
        if self.contact_id is not None and first is not None:
            self.player.jump(first)
        self._show()

    # --- the player -------------------------------------------------------------------------

    def _frame(self) -> None:
        # The virtual clock moves by the real time that passed, however late the timer fired.
        now = time.monotonic()
        elapsed, self._last_frame = now - self._last_frame, now
        if self.player is not None and self.player.advance(elapsed):
            self._show()
        elif self.player is not None and self.player.playing:
            self._show_player_line()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return len(self.app.screen_stack) > 1
        return True

    def action_play_pause(self) -> None:
        if self.player is not None:
            self.player.toggle()
            self._show()

    def action_step(self, delta: int) -> None:
        if self.player is not None:
            self.player.playing = False
            self.player.step(delta)
            self._show()

    def action_jump_to(self, index: int) -> None:
        if self.player is not None:
            self.player.playing = False
            self.player.jump(index)
            self._show()

    def action_jump_to_end(self) -> None:
        if self.player is not None:
            self.action_jump_to(len(self.player.events) - 1)

    def action_speed(self, speed: int) -> None:
        if self.player is not None:
            self.player.set_speed(speed)
            self._show_player_line()

    def action_faster(self) -> None:
        if self.player is not None:
            self.player.faster()
            self._show_player_line()

    def action_back(self) -> None:
        self.dismiss()

    def action_practise(self) -> None:
        if self.data is not None:
            self.post_message(PractiseRequested(self.data))

    @on(OptionList.OptionSelected, "#replay-timeline")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        self.action_jump_to(event.option_index)  # the timeline lists every event in order

    # --- what is shown at the position ----------------------------------------------------------

    @property
    def position(self) -> Position | None:
        return self.player.position() if self.player is not None else None

    def _show(self) -> None:
        data, position = self.data, self.position
        if data is None or position is None:
            return
        timeline = self.query_one("#replay-timeline", OptionList)
        if position.index >= 0:
            timeline.highlighted = position.index
        status = self.query_one(OperatorStatus)
        status.operator_state = position.state
        status.now = position.now
        snapshot = data.contacts.get(position.contact_id) if position.contact_id else None
        card = self.query_one(CustomerCard)
        # The notices in force when the contact was taken, as the live card had them: "in the
        # affected area" then, whatever is in force in this database now.
        wanted = (
            CardData(snapshot.contact, snapshot.customer, (), snapshot.notices or ())
            if snapshot is not None
            else None
        )
        card.idle_hint = idle_hint(data, position)
        card.history_shown = False  # a replay carries no history
        if card.data != wanted:
            card.data = wanted
        card.border_subtitle = card_subtitle(data, position) if wanted is not None else ""
        self._show_transcript(position)
        self._show_screen(data, position, snapshot)
        self._show_player_line()

    def _show_player_line(self) -> None:
        player = self.player
        if player is None:
            return
        mark = _("▶ playing") if player.playing else _("❚❚ paused")
        line = Text(f" {mark} {player.speed}× ", style="bold")
        line.append(
            _("  event {number} of {count}  ·  {elapsed} of {length}  ·  {moment}").format(
                number=player.index + 1,
                count=len(player.events),
                elapsed=duration((player.now - player.start).total_seconds()),
                length=duration((player.end - player.start).total_seconds()),
                moment=format_moment(
                    player.now, self.context.timezone, seconds=True, with_zone=True
                ),
            ),
            style="dim",
        )
        self.query_one("#replay-player", Static).update(line)

    def _show_transcript(self, position: Position) -> None:
        text = Text()
        for turn in position.transcript:
            customer = turn.payload.get("speaker") == "customer"
            text.append(
                _("Customer: ") if customer else _("Operator: "),
                style="bold dark_orange" if customer else "bold cyan",
            )
            text.append(printable(str(turn.payload.get("text", ""))) + "\n")
        if position.contact_id is None:
            text = Text(_("No contact yet."), style="dim")
        elif not position.transcript:
            text = Text(_("No dialogue recorded for this contact (yet)."), style="dim")
        self.query_one("#replay-transcript-text", Static).update(text)
        self.query_one("#replay-transcript", VerticalScroll).scroll_end(animate=False)

    def _show_screen(
        self, data: SessionData, position: Position, snapshot: ContactSnapshot | None
    ) -> None:
        event = position.on_screen
        self.query_one("#replay-screen-text", Static).update(
            screen_text(
                data, event, snapshot, self.context.language, self.context.placeholder_values()
            )
        )
        article = (
            data.articles.get(event.payload.get("article_id", ""))
            if event is not None and event.type == EventType.ARTICLE_OPENED
            else None
        )
        view = self.query_one("#replay-article", Markdown)
        view.display = article is not None
        markdown = article_markdown(article) if article is not None else None
        if markdown is not None and markdown != self._article_shown:
            view.update(markdown)
            self.query_one("#replay-screen", VerticalScroll).scroll_home(animate=False)
        self._article_shown = markdown


class SessionPicker(TranslatedBindings, Screen):
    """The sessions a trainer can replay: samples, imports and recorded shifts."""

    HELP = N_("## Sessions\n\n`Enter` replays the highlighted session; `t` practises it.")
    DEFAULT_CSS = """
    #sessions-list {
        height: 1fr;
        border: round $primary;
        border-title-style: bold;
    }
    #sessions-list:focus {
        border: round $accent;
    }
    """
    BINDINGS = [
        Binding(
            "t",
            "practise",
            N_("Practise"),
            id="sessions.practise",
            tooltip=N_("Take the session's customer as a trainee"),
        ),
    ]

    class Listed(Message):
        def __init__(self, sessions: list[SessionInfo]) -> None:
            super().__init__()
            self.sessions = sessions

    def compose(self) -> ComposeResult:
        yield Header(icon="▶")
        yield OptionList(id="sessions-list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#sessions-list").border_title = _("Sessions — Enter replays")
        self.sub_title = _("replay")
        self.list_sessions()

    def __init__(self, context: ConsoleContext) -> None:
        super().__init__()
        self.context = context

    @io_work(exclusive=True, group="sessions-list")
    def list_sessions(self) -> None:
        # Sessions with nothing in them (a console opened and closed) are not worth replaying.
        found = [s for s in self.context.store.sessions.newest_first() if s.contacts]
        self.post_message(self.Listed(found))

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        options = self.query_one("#sessions-list", OptionList)
        options.clear_options()
        for session in message.sessions:
            label = Text(printable(session.title or session.id, single_line=True), style="bold")
            label.append(
                "\n"
                + " · ".join(
                    (
                        source_label(session.source),
                        session.operator or "—",
                        format_moment(session.started, self.context.timezone),
                        counted(session.contacts, "contacts"),
                        session.id,
                    )
                ),
                style="dim",
            )
            options.add_option(Option(label, id=session.id))
        if message.sessions:
            options.highlighted = 0
        else:
            options.add_option(
                Option(
                    Text(
                        _("No sessions yet. `agent-console sessions import FILE` adds some."),
                        style="dim",
                    ),
                    disabled=True,
                )
            )
        options.focus()

    @on(OptionList.OptionSelected, "#sessions-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:  # a session (the "no sessions" line is disabled)
            self.app.push_screen(ReplayScreen(self.context, event.option.id))

    def action_practise(self) -> None:
        option = self.query_one("#sessions-list", OptionList).highlighted_option
        if option is not None and option.id is not None:
            self.practise_session(option.id)

    @io_work(exclusive=True, group="practice-load")
    def practise_session(self, session_id: str) -> None:
        data = load_session(self.context.store, session_id)
        if data is not None:
            self.post_message(PractiseRequested(data))
