"""Practice (trainees): a recorded session's customer as a live contact, then a score card.

The trainee works in the ordinary work screen over a throwaway copy of the database: takes
the contact, answers with scripts and lookups, offers the promotion, ends and wraps up. The
customer's lines arrive one at a time — the next one after each phrasing the trainee uses,
or at once with `n`. After the wrap-up the run is compared with the recorded session.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from agent_console.clock import Clock
from agent_console.context import ConsoleContext
from agent_console.domain import Operator
from agent_console.domain.lifecycle import READY, OperatorState
from agent_console.domain.practice import ScoreCard, score
from agent_console.i18n import N_, _, ngettext
from agent_console.screens.translated import TranslatedBindings
from agent_console.screens.work import WorkScreen
from agent_console.sessions.practice import PracticeRun, item_titles, save_score_card
from agent_console.text import printable
from agent_console.widgets.queue_table import QueueTable
from agent_console.widgets.script_list import ScriptList
from agent_console.workers import io_work

PRACTICE_HELP = N_("""\
## Practice

You are the operator; the customer is from a recorded session. Take the contact with `a`.
The customer's lines appear in the transcript one at a time: the next one comes after each
script you use (`1`…`9`, `s`, `c`), or at once with `n`. Look answers up with `/`, offer the
promotion (`o`), end with `e` and fill in the wrap-up. Then the console compares your contact
with the recorded one and shows a score card (`Ctrl+S` saves it for the trainer).
`Esc` leaves the practice; nothing you do here reaches the live queue.
""")


class PracticeScreen(WorkScreen):
    HELP_PARTS = (PRACTICE_HELP, WorkScreen.HELP)
    # Under the work screen's own (a subclass's rules win a tie): a one-contact queue, the
    # customer's transcript under it.
    DEFAULT_CSS = """
    #queue {
        height: 5;
    }
    #practice-transcript {
        height: 2fr;
        border: round $warning;
        border-title-style: bold;
        padding: 0 1;
    }
    """
    BINDINGS = [
        Binding(
            "n",
            "next_line",
            N_("Next line"),
            id="practice.next_line",
            tooltip=N_("The customer's next line"),
        ),
        Binding(
            "escape", "leave", N_("Leave"), id="practice.leave", tooltip=N_("Leave the practice")
        ),
    ]

    def __init__(
        self, context: ConsoleContext, run: PracticeRun, title: str, *, score_cards: Path
    ) -> None:
        """`context`: the practice copy's (see `ConsoleContext.for_practice`); `score_cards`:
        the folder a saved score card goes to."""
        super().__init__(context)
        self.run = run
        self.score_cards = score_cards
        self.title_text = title
        self.lines_shown = 0
        self.transcript: list[tuple[str, str]] = []  # (speaker, text)
        self._used_seen: tuple[str, ...] = ()
        self._in_contact = False
        self.card: ScoreCard | None = None

    @on(events.Mount)
    async def _add_transcript(self) -> None:
        # Not an on_mount calling super(): Textual calls WorkScreen.on_mount by itself (it
        # calls each class's handler), so calling it here too started everything twice.
        self.sub_title = _("practice: {session}").format(
            session=printable(self.title_text, single_line=True)
        )
        transcript = VerticalScroll(Static(id="practice-transcript-text"), id="practice-transcript")
        transcript.border_title = _("Transcript — the customer")
        await self.query_one("#left").mount(transcript, after=self.query_one(QueueTable))
        self._show_transcript()

    # --- the customer's side ----------------------------------------------------------------

    def state_shown(self, state: OperatorState) -> None:
        if state.contact_id == self.run.contact_id:
            self._in_contact = True
            if self.lines_shown == 0:
                self._next_customer_line()
            new = state.scripts_used[len(self._used_seen) :]
            if new and state.scripts_used[: len(self._used_seen)] == self._used_seen:
                self._used_seen = state.scripts_used
                titles = {
                    s.id.rpartition(".")[0]: s.title
                    for s in self.query_one("#scripts", ScriptList).scripts
                }
                for slug in new:
                    self.transcript.append(("you", titles.get(slug, slug)))
                self._next_customer_line()
        elif self._in_contact and state.state == READY and self.card is None:
            self._in_contact = False
            self.score_run()

    def _next_customer_line(self) -> None:
        if self.lines_shown < len(self.run.customer_lines):
            self.transcript.append(("customer", self.run.customer_lines[self.lines_shown]))
            self.lines_shown += 1
        self._show_transcript()

    def action_next_line(self) -> None:
        if self._in_contact:
            self._next_customer_line()

    def _show_transcript(self) -> None:
        text = Text()
        for speaker, line in self.transcript:
            if speaker == "customer":
                text.append(_("Customer: "), style="bold dark_orange")
                text.append(printable(line) + "\n")
            else:
                text.append(_("You used: "), style="bold cyan")
                text.append(printable(line, single_line=True) + "\n", style="italic")
        left = len(self.run.customer_lines) - self.lines_shown
        if not self._in_contact and not self.transcript:
            text = Text(_("Take the contact with a: the customer speaks first."), style="dim")
        elif left:
            text.append(
                ngettext(
                    "({count} more line from the customer; n for the next)",
                    "({count} more lines from the customer; n for the next)",
                    left,
                ).format(count=left),
                style="dim",
            )
        else:
            text.append(_("(the customer has said everything)"), style="dim")
        self.query_one("#practice-transcript-text", Static).update(text)
        self.query_one("#practice-transcript", VerticalScroll).scroll_end(animate=False)

    # --- the end ------------------------------------------------------------------------------

    @io_work(exclusive=True, group="practice-score")
    def score_run(self) -> None:
        trainee = self.run.trainee_events()
        titles = item_titles(
            self.context.store, (*self.run.reference, *trainee), self.context.language
        )
        card = score(self.run.reference, trainee, titles)
        self.post_message(self.Scored(card))

    @dataclass
    class Scored(Message):
        """The trainee's contact is compared with the recorded one."""

        card: ScoreCard

    @on(Scored)
    def _show_card(self, message: Scored) -> None:
        card = self.card = message.card
        self.app.push_screen(
            ScoreCardScreen(
                card,
                self.title_text,
                folder=self.score_cards,
                clock=self.context.clock,
                trainee=self.context.operator,
            ),
            callback=lambda _: self.leave(),
        )

    def action_leave(self) -> None:
        self.leave()

    def leave(self) -> None:
        self.dismiss()

    def on_unmount(self) -> None:
        # The copy goes, its session with it: there is nothing to end (and WorkScreen.on_unmount,
        # which Textual calls after this one, must not write to the closed copy).
        self.desk.session_id = None
        self.run.close()


class ScoreCardScreen(TranslatedBindings, ModalScreen[None]):
    """How the trainee's contact compares with the recorded one."""

    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            N_("Save for the trainer"),
            id="score.save",
            tooltip=N_("Write the score card as Markdown and JSON"),
        ),
        Binding(
            "escape,enter",
            "dismiss(None)",
            N_("Done"),
            id="score.done",
            tooltip=N_("Back to the sessions"),
        ),
    ]
    DEFAULT_CSS = """
    ScoreCardScreen { align: center middle; }
    ScoreCardScreen > Vertical {
        width: 110; height: auto; max-height: 90%; border: thick $accent; background: $surface;
        padding: 0 1;
    }
    """

    @dataclass
    class Saved(Message):
        path: Path

    def __init__(
        self, card: ScoreCard, title: str, *, folder: Path, clock: Clock, trainee: Operator
    ) -> None:
        super().__init__()
        self.card = card
        self.title_text = title
        self.folder = folder
        self.clock = clock
        self.trainee = trainee

    def compose(self) -> ComposeResult:
        card = self.card
        table = Table(expand=True, box=None, header_style="bold")
        table.add_column(_("Check"))
        table.add_column(_("Recorded session"))
        table.add_column(_("You"))
        table.add_column("", width=4)
        for line in card.lines:
            table.add_row(
                Text(printable(line.label)),
                Text(printable(line.expected)),
                Text(printable(line.actual)),
                Text("✓", style="bold green") if line.passed else Text("✗", style="bold red"),
            )
        with Vertical():
            yield Static(
                Text.assemble(
                    (f"{card.score}/100", "bold"),
                    _("  ·  {passed} of {checks} checks passed  ·  {session}").format(
                        passed=card.passed,
                        checks=len(card.lines),
                        session=printable(self.title_text, single_line=True),
                    ),
                ),
                id="score-summary",
            )
            yield Static(table, id="score-table")
            yield Static(
                Text(_("Ctrl+S saves it for the trainer · Enter or Esc: done"), style="dim"),
                id="score-saved",
            )

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = _("Practice score card")

    def action_save(self) -> None:
        self.save_card()

    @io_work(exclusive=True, group="score-card")
    def save_card(self) -> None:
        path = save_score_card(
            self.card, self.title_text, self.folder, self.clock.now(), self.trainee
        )
        self.post_message(self.Saved(path))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.query_one("#score-saved", Static).update(
            Text(_("Saved: {path} (and .json beside it)").format(path=message.path), style="bold")
        )
