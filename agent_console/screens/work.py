"""The work screen: the queue and the active contact beside the scripts and the knowledge pane.

The screen owns the IO behind its widgets: every store call runs in a thread worker and comes
back as a message; the operator's actions go through the `Desk`, which checks them against the
state derived from the event log.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header
from textual.worker import Worker, get_current_worker

from agent_console.commands import PaletteCommand
from agent_console.context import ConsoleContext
from agent_console.desk import Desk
from agent_console.domain import Article, Contact, EventType, Notice, Script, topic_label
from agent_console.domain.codes import VOICE_CHANNELS
from agent_console.domain.lifecycle import (
    BREAK_REASONS,
    IN_CONTACT,
    ON_HOLD,
    WRAPUP,
    OperatorState,
)
from agent_console.domain.placeholders import customer_values
from agent_console.domain.suggestions import ContactContext, suggested_scripts
from agent_console.domain.wrapup_rules import WrapUpEntry
from agent_console.store import Store
from agent_console.store.queue import QueueDelta
from agent_console.store.wrapups import OperatorFigures

if TYPE_CHECKING:
    from agent_console.screens.wrapup import WrapUpSubmission
    from agent_console.search import SearchResult
from agent_console.text import counted
from agent_console.widgets.customer_card import CardData, CustomerCard
from agent_console.widgets.knowledge import KnowledgePane
from agent_console.widgets.notice_bar import NoticeBar
from agent_console.widgets.queue_table import QueueTable
from agent_console.widgets.script_list import ScriptList
from agent_console.widgets.status_bar import OperatorStatus
from agent_console.workers import io_work, log

HELP = """\
## Work

**The queue** (left, top) lists waiting contacts, most urgent first and then longest waiting.
*Waiting* ticks every second; *SLA left* turns amber when a third of the channel's answer time
is left and red once it is breached. New contacts appear by themselves.

**Take a contact** with `a` (the next one) or `Enter` on a row. The customer's card and their
earlier contacts appear below the queue; `Enter` on a history row opens it.

**During a contact**: `h` holds and resumes (hold time is counted apart from talk time);
`p` and `r` give the approved profanity and repeated-question warnings; `e` ends the contact,
and after a warning `x` ends it early with that outcome. The wrap-up opens when it ends.

**Breaks**: `b` from the ready state (10-minute break, training, technical problem); `b` again
to come back. A break over its length turns red.

**Scripts** (right, top) are the approved phrasings in the customer's language when you work in
it, else in your content language, filled in with your name and the customer's details.
During a contact the ones that fit its stage come first
(*Suggested now*: the greeting, the topic's answers, the promotion until it is offered, the
closing line). `1`…`9` use the suggested script with that number: on a call the key marks it
said, in a chat or e-mail it copies it; a number stays with its script while it is suggested.
`u` takes back the last use (a wrong key). `s` marks the highlighted script said, `c` copies
it, `+` adds it to a reply that `c` then copies whole (`Backspace` drops the last part). A value
the console does not have (a caller without a contract) is asked for once and kept for the
contact. The promotion reminder stays until `o` records the customer's answer. **Knowledge**
(`/`) searches articles and scripts as you type; `Enter` opens an article, `Esc` goes back to
the results.
"""

# The knowledge pane lists at most this many results (all kinds together).
SEARCH_LIMIT = 30

# The shift's figures count the wrap-ups of this long before now (a shift lasts 4-6 hours).
SHIFT_WINDOW = timedelta(hours=8)

# A customer in touch this recently is greeted as a returning one.
RETURNING_WITHIN = timedelta(days=7)

WARNING_SCRIPTS = {"profanity": "warning-profanity-first", "repeated": "warning-repeated-first"}

T = TypeVar("T")


class WorkScreen(Screen):
    HELP = HELP
    BINDINGS = [
        Binding(
            "a",
            "accept_next",
            "Take next",
            id="work.accept_next",
            tooltip="Take the most urgent, longest-waiting contact",
        ),
        Binding("h", "hold", "Hold", id="work.hold", tooltip="Put the customer on hold"),
        Binding("h", "resume", "Resume", id="work.resume", tooltip="Back to the customer"),
        Binding(
            "p",
            "warn('profanity')",
            "Profanity",
            id="work.warn_profanity",
            tooltip="Give the approved profanity warning",
        ),
        Binding(
            "r",
            "warn('repeated')",
            "Repeated",
            id="work.warn_repeated",
            tooltip="Give the approved repeated-question warning",
        ),
        Binding("e", "end", "End", id="work.end", tooltip="End the contact and wrap up"),
        Binding(
            "x",
            "end_early",
            "End early",
            id="work.end_early",
            tooltip="End the contact early, as the warning allows",
        ),
        Binding(
            "f9",
            "ready",
            "Ready",
            id="work.ready",
            tooltip="Wrap-up done: ready for the next contact",
        ),
        Binding("b", "take_break", "Break", id="work.break", tooltip="Step away from the queue"),
        Binding("b", "back_from_break", "Back", id="work.back", tooltip="Ready for contacts again"),
        Binding(
            "1",
            "use_script(1)",
            "Use",
            id="work.use_script_1",
            key_display="1…9",
            tooltip="Use script 1-9 of the list: copy it (chat, e-mail) or mark it said (phone)",
        ),
        *(
            Binding(
                str(n), f"use_script({n})", f"Use script {n}", id=f"work.use_script_{n}", show=False
            )
            for n in range(2, 10)
        ),
        Binding(
            "u",
            "undo_use",
            "Undo use",
            id="work.undo_use",
            show=False,  # F1 lists it
            tooltip="Take back the last script used on this contact (a wrong key)",
        ),
        Binding(
            "c",
            "copy_script",
            "Copy",
            id="work.copy_script",
            tooltip="Copy the highlighted script (or the stacked reply), filled in",
        ),
        Binding(
            "s",
            "say_script",
            "Said",
            id="work.say_script",
            tooltip="Mark the highlighted script as said to the customer",
        ),
        Binding(
            "plus",
            "stack_script",
            "To reply",
            id="work.stack_script",
            key_display="+",
            tooltip="Add the highlighted script to the reply being put together",
        ),
        Binding(
            "backspace",
            "drop_reply_part",
            "Drop",
            id="work.drop_reply_part",
            tooltip="Take the last script out of the reply",
        ),
        Binding(
            "o",
            "offer_promotion",
            "Promo answer",
            id="work.offer_promotion",
            tooltip="The promotion was offered: record the customer's answer",
        ),
        Binding(
            "slash", "search", "Search", id="work.search", tooltip="Search articles and scripts"
        ),
        Binding("f2", "focus_queue", "Queue", id="work.queue", tooltip="Move to the queue"),
        Binding("f3", "focus_scripts", "Scripts", id="work.scripts", tooltip="Move to the scripts"),
        Binding(
            "f4", "focus_card", "Customer", id="work.card", tooltip="Move to the customer's history"
        ),
    ]

    # The number keys act on what the operator reads in the list; from the palette they would
    # act blind, so the palette leaves them out (the list itself is one key away).
    PALETTE_HIDDEN: ClassVar[frozenset[str]] = frozenset(
        f"work.use_script_{n}" for n in range(1, 10)
    )

    in_hand: reactive[CardData | None] = reactive(None)
    """The contact in hand with its customer, history and notices (None: no contact); bound
    down to the customer card, and the scripts and the knowledge pane follow it."""
    operator_state: reactive[OperatorState] = reactive(OperatorState, bindings=True)
    """The operator's state as the event log gives it; decides which keys do something."""

    @dataclass
    class QueueLoaded(Message):
        delta: QueueDelta
        notices: list[Notice]

    @dataclass
    class ScriptsLoaded(Message):
        scripts: list[Script]

    @dataclass
    class StateLoaded(Message):
        state: OperatorState
        card: CardData | None
        figures: OperatorFigures

    @dataclass
    class Accepted(Message):
        """The desk gave the operator `contact` (None: the queue was empty)."""

        contact: Contact | None

    @dataclass
    class UseUndone(Message):
        """The last use of `script_id` on this contact was taken back."""

        script_id: str

    @dataclass
    class WrapUpSaved(Message):
        """The store has the wrap-up; `masked_cards` card numbers in it were masked."""

        masked_cards: int

    @dataclass
    class ArticleLoaded(Message):
        article: Article

    def __init__(self, context: ConsoleContext) -> None:
        """`context`: the console's own database and operator, or, for practice, a throwaway
        copy under the trainee's login."""
        super().__init__()
        self.context = context
        self.store: Store = context.store
        self.desk = Desk(self.store, context.operator.login)
        self._poll: Worker[None] | None = None
        # The last event the queue on screen reflects; reads of the delta take turns.
        self._queue_watermark: int | None = None
        self._queue_lock = threading.Lock()
        # Values the operator typed in for the contact in hand (a caller without a contract).
        self._typed_values: dict[str, str] = {}
        # A wrap-up handed to the store and not yet confirmed saved (see `_open_wrapup`).
        self._unsaved_wrapup: WrapUpEntry | None = None
        # Approved scripts in every language; the list shows those of `_script_language`.
        self._all_scripts: tuple[Script, ...] = ()
        self._script_language = context.language

    def compose(self) -> ComposeResult:
        yield Header(icon="☎")
        yield NoticeBar(self.context.language, id="notices")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield QueueTable(id="queue")
                card = CustomerCard(self.context.language, id="card")
                yield card.data_bind(data=WorkScreen.in_hand)
            with Vertical(id="side"):
                yield ScriptList(id="scripts")
                yield KnowledgePane(search=self._search_knowledge, id="knowledge")
        yield OperatorStatus(self.context.operator.name, id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        for pane, title in (
            ("#queue", "Queue"),
            ("#card", "Customer"),
            ("#scripts", "Scripts"),
            ("#knowledge", "Knowledge"),
        ):
            self.query_one(pane).border_title = title
        self.query_one(QueueTable).language = self.context.language
        values = self.context.placeholder_values()
        self.query_one(ScriptList).values = values
        self.query_one(KnowledgePane).values = values
        self.tick()
        self.start_session()
        self.load_queue()
        self.set_interval(1.0, self.tick)
        self.query_one(QueueTable).focus()

    # --- the clock and the live queue -------------------------------------------------------

    def tick(self) -> None:
        """Show the time as the clock has it now, and look for changes to the queue."""
        now = self.context.clock.now()
        self.query_one(QueueTable).now = now
        self.query_one(OperatorStatus).now = now
        # One poll at a time, and never cancelled: a poll that has seen the change must report it.
        if self._poll is None or self._poll.is_finished:
            self._poll = self.poll_queue()

    @io_work(group="queue-poll")
    def poll_queue(self) -> None:
        """Reload the queue only when someone committed to the database since the last look."""
        if self.store.has_changed():
            self._post_queue(cancellable=False)

    @io_work(exclusive=True, group="queue")
    def load_queue(self) -> None:
        self._post_queue()

    def _post_queue(self, *, cancellable: bool = True) -> None:
        """Read what changed in the queue since the last read (the whole queue the first time)."""
        store = self.store
        # Deltas must reach the screen in the order they were read: read and post under one lock.
        with self._queue_lock:
            if cancellable and get_current_worker().is_cancelled:
                return
            delta = store.queue.changes_since(self._queue_watermark)
            self._queue_watermark = delta.watermark
            self.post_message(self.QueueLoaded(delta, store.notices.active()))

    @on(QueueLoaded)
    def _show_queue(self, message: QueueLoaded) -> None:
        table = self.query_one(QueueTable)
        delta = message.delta
        if delta.full is not None:
            table.show(delta.full)
            if not self._all_scripts:
                # The queue first: an operator's first look is at who waits; the 150-odd
                # scripts fill their list a moment later.
                self.load_scripts()
        elif delta.added or delta.removed:
            table.apply(delta.removed, delta.added)
        self.query_one(NoticeBar).notices = tuple(message.notices)
        status = self.query_one(OperatorStatus)
        status.waiting = table.row_count
        # The longest wait is the oldest contact's (the list is in priority order, not age order).
        oldest = min((c.created for c in table.contacts), default=None)
        status.longest_wait_s = (
            (self.context.clock.now() - oldest).total_seconds() if oldest is not None else 0.0
        )
        self.query_one("#queue").border_subtitle = f"{table.row_count} waiting"

    # --- the operator's state and the contact in hand -------------------------------------------

    @io_work(exclusive=True, group="session")
    def start_session(self) -> None:
        self.desk.session_id = self.store.events.start_session(self.desk.operator)
        self.desk.log_in()
        self._post_state()

    def on_unmount(self) -> None:
        """The screen goes (the console quits, or the content language changes and a new
        screen starts a new session): the session ends. A database that does not take the end
        time is no reason to keep the operator from quitting: logged, the session left open."""
        try:
            self.desk.log_out()
        except sqlite3.Error:
            log.warning("the session's end time was not saved", exc_info=True)

    def _post_state(self) -> None:
        """Read the state back from the log, with the card of the contact in hand."""
        store = self.store
        state = self.desk.state()
        contact = store.queue.get(state.contact_id) if state.contact_id is not None else None
        card = None
        if contact is not None:
            customer = (
                store.people.customer(contact.customer_contract)
                if contact.customer_contract
                else None
            )
            card = CardData(
                contact=contact,
                customer=customer,
                history=tuple(
                    store.people.history(contact.customer_contract, exclude_contact=contact.id)
                )
                if contact.customer_contract
                else (),
                notices=tuple(store.notices.active(customer.city)) if customer else (),
                transferred_from=store.wrapups.saved(contact.parent_id)
                if contact.parent_id
                else None,
            )
        since = self.context.clock.now() - SHIFT_WINDOW
        figures = store.wrapups.operator_figures(self.desk.operator, since)
        self.post_message(self.StateLoaded(state, card, figures))

    @on(StateLoaded)
    def _show_state(self, message: StateLoaded) -> None:
        self.operator_state = message.state
        status = self.query_one(OperatorStatus)
        status.operator_state = message.state
        status.figures = message.figures
        self.in_hand = message.card
        self._show_suggestions()
        if message.state.state == WRAPUP and message.state.contact_id is not None:
            self._open_wrapup(message.state.contact_id, message.state)
        self.state_shown(message.state)

    def watch_in_hand(self, old: CardData | None, card: CardData | None) -> None:
        new_contact = card is not None and (old is None or old.contact.id != card.contact.id)
        scripts = self.query_one(ScriptList)
        if new_contact:
            self._typed_values = {}
            scripts.reply = ()
        scripts.contact_id = card.contact.id if card else None
        self.query_one(OperatorStatus).written = self._written_contact
        self._fill_scripts(card)
        if new_contact and card is not None:
            self._search_topic(card.contact.topic)

    def state_shown(self, state: OperatorState) -> None:
        """Called after each new state is on screen (practice follows the contact with it)."""

    def _search_topic(self, topic: str | None) -> None:
        """A new contact: the knowledge pane shows its topic's articles, unless the operator is
        typing a question in the box at that moment."""
        pane = self.query_one(KnowledgePane)
        if topic and not (
            pane.typing and pane.query_text.strip() and pane.query_text != pane.asked
        ):
            pane.ask(topic_label(topic, self.context.language))

    def _fill_scripts(self, card: CardData | None) -> None:
        customer = card.customer if card is not None else None
        # The customer's language when the operator works in it, else the content language:
        # the scripts listed and their placeholders (the operator's name) are in it.
        self._script_language = self.context.script_language(
            customer.language if customer is not None else None
        )
        values = self.context.placeholder_values(self._script_language)
        if customer is not None:
            values |= customer_values(customer)
        values |= self._typed_values
        scripts = self.query_one(ScriptList)
        shown = tuple(s for s in self._all_scripts if s.language == self._script_language)
        if shown != scripts.scripts:
            scripts.scripts = shown
        scripts.values = values
        self.query_one(KnowledgePane).values = values

    def _show_suggestions(self) -> None:
        """The scripts for the contact's stage, the ✓ marks and the promotion reminder."""
        scripts = self.query_one(ScriptList)
        state = self.operator_state
        card = self.in_hand
        in_contact = state.state in (IN_CONTACT, ON_HOLD) and card is not None
        scripts.used = frozenset(state.scripts_used)
        scripts.promotion = (
            self.context.promotion_name if in_contact and state.promotion is None else None
        )
        if not in_contact or card is None:
            scripts.suggested = ()
            return
        now = self.context.clock.now()
        context = ContactContext(
            contact=card.contact,
            local_time=now.astimezone(self.context.timezone),
            returning=any(now - entry.at < RETURNING_WITHIN for entry in card.history),
            outage=card.outage,
        )
        scripts.suggested = tuple(suggested_scripts(scripts.scripts, state, context))

    @io_work(group="actions")
    def act(self, action: Callable[[], T], done: Callable[[T], Message] | None = None) -> None:
        """Run one desk action off the UI thread, then show the state the log now gives; `done`
        makes the message that carries the action's result back (results come back as messages
        only).

        A refusal or a failure reaches the operator through the app's one policy for workers;
        the state shown afterwards is the log's either way."""
        try:
            result = action()
            if done is not None:
                self.post_message(done(result))
        finally:
            self._post_state()
            self._post_queue()

    # --- actions ------------------------------------------------------------------------------

    @property
    def _written_contact(self) -> bool:
        """A chat, an e-mail or a social message is in hand: no hold, and handle time."""
        if not self.is_mounted:
            return False
        card = self.in_hand
        return card is not None and card.contact.channel not in VOICE_CHANNELS

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        state = self.operator_state
        allowed = {
            "accept_next": state.can_accept,
            "hold": state.can_hold and not self._written_contact,
            "resume": state.can_resume,
            "warn": state.can_warn,
            "end": state.can_end,
            "end_early": state.early_end_outcome is not None,
            "take_break": state.can_take_break,
            "ready": state.can_say_ready,
            "back_from_break": state.can_return,
            "say_script": state.state in (IN_CONTACT, ON_HOLD),
            "use_script": state.state in (IN_CONTACT, ON_HOLD),
            "undo_use": state.state in (IN_CONTACT, ON_HOLD) and state.last_script_used is not None,
            "offer_promotion": state.state in (IN_CONTACT, ON_HOLD) and state.promotion is None,
            "drop_reply_part": bool(self.query_one(ScriptList).reply) if self.is_mounted else False,
        }
        return allowed.get(action, True)

    def action_accept_next(self) -> None:
        self.act(self.desk.accept_next, self.Accepted)

    @on(QueueTable.Selected)
    def _row_selected(self, event: QueueTable.Selected) -> None:
        if not self.operator_state.can_accept:
            self.notify("Finish the current contact first.", severity="warning")
            return
        self.act(lambda: self.desk.accept(event.contact_id), self.Accepted)

    @on(Accepted)
    def _accepted(self, message: Accepted) -> None:
        if message.contact is None:
            self.notify("The queue is empty.")

    def action_hold(self) -> None:
        self.act(self.desk.hold)

    def action_resume(self) -> None:
        self.act(self.desk.resume)

    def action_warn(self, kind: str) -> None:
        self.act(lambda: self.desk.warn(kind))
        script_id = f"{WARNING_SCRIPTS[kind]}.{self._script_language}"
        self.query_one(ScriptList).show_script(script_id)

    def action_end(self) -> None:
        self.act(self.desk.end)

    def action_end_early(self) -> None:
        self.act(lambda: self.desk.end(early=True))

    def palette_commands(self) -> Iterator[PaletteCommand]:
        """A break with its reason in one command (the `b` key asks for the reason)."""
        if self.check_action("take_break", ()):
            for code, (label, _limit) in BREAK_REASONS.items():
                yield PaletteCommand(
                    f"Break: {label}",
                    "Step away from the queue for this reason",
                    partial(self.take_break_for, code),
                )

    def take_break_for(self, reason: str) -> None:
        self.act(lambda: self.desk.take_break(reason))

    @property
    def quit_warning(self) -> str | None:
        """Why quitting now needs a second thought (None: nothing is in hand)."""
        state = self.operator_state.state
        if state == ON_HOLD:
            return (
                "A customer is on hold. If you quit, the contact stays yours and comes back "
                "when you start the console again — but the customer keeps waiting."
            )
        if state == IN_CONTACT:
            return (
                "You are in a contact. If you quit, it stays yours and comes back when you "
                "start the console again."
            )
        if state == WRAPUP:
            return (
                "The wrap-up of the last contact is not saved. Its draft comes back when you "
                "start the console again; anything typed in the last few seconds may not."
            )
        return None

    def action_take_break(self) -> None:
        from agent_console.screens.dialogs import BreakDialog

        def chosen(reason: str | None) -> None:
            if reason:
                self.act(lambda: self.desk.take_break(reason))

        self.app.push_screen(BreakDialog(), callback=chosen)

    # --- scripts: copy, say, stack into a reply -----------------------------------------------

    @on(ScriptList.ValuesMissing)
    def _values_missing(self, message: ScriptList.ValuesMissing) -> None:
        """Ask once for what the console does not know; kept for the rest of the contact."""
        from agent_console.screens.dialogs import FillInDialog

        def typed(values: dict[str, str] | None) -> None:
            if values:
                self._typed_values |= values
                self._fill_scripts(self.in_hand)
                self.query_one(ScriptList).use(message.script, message.how)

        self.app.push_screen(FillInDialog(message.script.title, message.missing), callback=typed)

    @on(ScriptList.ScriptUsed)
    def _script_used(self, message: ScriptList.ScriptUsed) -> None:
        """Every use is an event of the contact: the wording figures and the ✓ come from it."""
        event = EventType.SCRIPT_SAID if message.how == "said" else EventType.SCRIPT_COPIED
        self.act(lambda: self.desk.log_script(event, message.script.id))

    def action_use_script(self, number: int) -> None:
        """One key per script: a text channel copies it, a call marks it said."""
        card = self.in_hand
        scripts = self.query_one(ScriptList)
        if card is None or self.operator_state.state not in (IN_CONTACT, ON_HOLD):
            scripts.show_numbered(number)  # no contact in hand: the key only shows the script
            return
        scripts.use_numbered(number, "said" if card.contact.channel == "phone" else "copied")

    def action_undo_use(self) -> None:
        self.act(self.desk.undo_last_use, self.UseUndone)

    @on(UseUndone)
    def _use_undone(self, message: UseUndone) -> None:
        title = next(
            (s.title for s in self.query_one(ScriptList).scripts if s.id == message.script_id),
            message.script_id,
        )
        self.notify(f"Taken back: {title}. It no longer counts as used.", markup=False)

    def action_copy_script(self) -> None:
        self.query_one(ScriptList).copy()

    def action_say_script(self) -> None:
        self.query_one(ScriptList).use_highlighted("said")

    def action_stack_script(self) -> None:
        self.query_one(ScriptList).use_highlighted("stacked")

    def action_drop_reply_part(self) -> None:
        self.query_one(ScriptList).drop_reply_part()

    def action_offer_promotion(self) -> None:
        from agent_console.screens.dialogs import PromotionDialog

        def answered(answer: str | None) -> None:
            if answer:
                self.act(lambda: self.desk.offer_promotion(answer))

        self.app.push_screen(PromotionDialog(self.context.promotion_name), callback=answered)

    def action_ready(self) -> None:
        self.act(self.desk.ready)

    def action_back_from_break(self) -> None:
        self.act(self.desk.back_from_break)

    def _open_wrapup(self, contact_id: int, state: OperatorState) -> None:
        from agent_console.screens.wrapup import WrapUpScreen

        if any(isinstance(screen, WrapUpScreen) for screen in self.app.screen_stack):
            return

        def saved(submitted: WrapUpSubmission | None) -> None:
            if submitted is None:
                return  # (the form always hands back a submission)
            # Kept until the store has it: should the save fail, the form opens again with it.
            self._unsaved_wrapup = submitted.entry
            self.act(
                lambda: self.desk.save_wrapup(
                    submitted.entry,
                    talk_s=submitted.talk_s,
                    correction_reason=submitted.correction_reason,
                    stay_in_wrapup=self.context.config.wrapup.after == "wrapup",
                ),
                self.WrapUpSaved,
            )

        card = self.in_hand
        topic = card.contact.topic if card is not None else None
        self.app.push_screen(
            WrapUpScreen(self.context, contact_id, state, topic, unsaved=self._unsaved_wrapup),
            callback=saved,
        )

    @on(WrapUpSaved)
    def _wrapup_saved(self, message: WrapUpSaved) -> None:
        self._unsaved_wrapup = None
        masked = message.masked_cards
        if masked:
            self.notify(
                f"{counted(masked, 'card numbers')} in the wrap-up "
                f"{'was' if masked == 1 else 'were'} masked before saving.",
                title="Personal data",
            )

    @on(CustomerCard.HistoryOpened)
    def _history_opened(self, message: CustomerCard.HistoryOpened) -> None:
        from agent_console.screens.dialogs import HistoryDialog

        self.app.push_screen(HistoryDialog(message.entry, self.context.language))

    # --- scripts and knowledge --------------------------------------------------------------

    @io_work(exclusive=True, group="scripts")
    def load_scripts(self) -> None:
        scripts = self.store.content.scripts()  # every language: see `_fill_scripts`
        self.post_message(self.ScriptsLoaded(scripts))

    @on(ScriptsLoaded)
    def _show_scripts(self, message: ScriptsLoaded) -> None:
        self._all_scripts = tuple(message.scripts)
        self._fill_scripts(self.in_hand)
        self._show_suggestions()

    def _search_knowledge(self, query: str) -> SearchResult:
        """The knowledge pane's search (run in its worker), over this screen's index."""
        return self.context.search_index.search(query, limit=SEARCH_LIMIT)

    @on(KnowledgePane.QuestionAsked)
    def _question_asked(self, message: KnowledgePane.QuestionAsked) -> None:
        """Every question the operator asked is an event of the contact (with its top five)."""
        result = message.result
        top = [f"{hit.kind}:{hit.id}" for hit in result.hits[:5]]
        self.record(lambda: self.desk.log_search(result.query, result.searched_for, top))

    @io_work(group="log")
    def record(self, action: Callable[[], object]) -> None:
        """Write an event off the UI thread."""
        action()

    @on(KnowledgePane.ArticleRequested)
    def _article_requested(self, message: KnowledgePane.ArticleRequested) -> None:
        self.open_article(message.article_id, self.query_one(KnowledgePane).query_text)

    @on(KnowledgePane.Left)
    def _knowledge_left(self) -> None:
        self.action_focus_queue()

    @on(KnowledgePane.ScriptRequested)
    def _script_requested(self, message: KnowledgePane.ScriptRequested) -> None:
        if not self.query_one(ScriptList).show_script(message.script_id):
            self.notify(
                "That script is not in the list for this contact (it is in another language).",
                markup=False,
            )

    @io_work(exclusive=True, group="article")
    def open_article(self, article_id: str, query: str = "") -> None:
        article = self.store.content.article(article_id)
        if article is not None:
            self.post_message(self.ArticleLoaded(article))
            self.desk.log_article_opened(article_id, query)

    @on(ArticleLoaded)
    def _article_loaded(self, message: ArticleLoaded) -> None:
        self.query_one(KnowledgePane).article = message.article

    def action_search(self) -> None:
        # What is there (the contact's topic, or the last question) is replaced by typing.
        self.query_one(KnowledgePane).focus_query()

    def action_focus_queue(self) -> None:
        self.query_one(QueueTable).focus()

    def action_focus_scripts(self) -> None:
        self.query_one(ScriptList).focus_list()

    def action_focus_card(self) -> None:
        self.query_one(CustomerCard).focus_history()
