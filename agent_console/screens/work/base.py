"""The work screen's footing: its dependencies, the live queue, the operator's state as the event
log gives it, and the one way a desk action runs.

The work screen is built in layers, each in its own module and each using the ones below it:
this one, then the scripts (`scripts.py`), the knowledge pane (`knowledge.py`), the wrap-up
(`wrapup.py`) and the screen itself with its keys (`screen.py`). Every store call runs in a
thread worker and comes back as a message; the operator's actions go through the `Desk`, which
checks them against the state derived from the event log.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from textual import on
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, get_current_worker

from agent_console.context import ConsoleContext
from agent_console.desk import Desk, DeskError
from agent_console.domain import Customer, Notice, OperatorFigures
from agent_console.domain.codes import VOICE_CHANNELS
from agent_console.domain.lifecycle import IN_CONTACT, ON_HOLD, OperatorState
from agent_console.i18n import ngettext
from agent_console.screens.server_link import ServerLinkScreen
from agent_console.screens.translated import TranslatedBindings
from agent_console.store import Store
from agent_console.store.queue import QueueDelta
from agent_console.widgets.customer_card import CardData
from agent_console.widgets.notice_bar import NoticeBar
from agent_console.widgets.queue_table import QueueTable
from agent_console.widgets.status_bar import OperatorStatus
from agent_console.workers import io_work, log

# How often a console says it is alive (sessions.seen), and looks for written contacts whose
# holder's consoles have all gone quiet ([contacts] release_written_after_min).
HEARTBEAT_EVERY_S = 30.0

# An action that has not come back after this long is waiting for the database: the status
# line says so until it does.
BUSY_AFTER_S = 1.0

# How often the work screen asks whether anyone committed since it last read the queue: a new
# contact is on screen a tenth of a second after it arrives, not up to the next second's tick
# (measured by scripts/bench_queue.py: median 0.4-0.6 s with the tick alone, 65-84 ms with
# this). The question costs nothing: SQLite's data_version, or on PostgreSQL the count of the
# server's notifications (store/listener.py); the queue is read only when the answer changed.
LOOK_EVERY_S = 0.1

# The shift's figures count the wrap-ups of this long before now (a shift lasts 4-6 hours).
SHIFT_WINDOW = timedelta(hours=8)

T = TypeVar("T")


class WorkScreenBase(TranslatedBindings, ServerLinkScreen, Screen):
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
    class StateLoaded(Message):
        state: OperatorState
        card: CardData | None
        figures: OperatorFigures

    class ActionFailed(Message):
        """A desk action failed (refused, or the database failed it): the app says why."""

    def __init__(self, context: ConsoleContext) -> None:
        """`context`: the console's own database and operator, or, for practice, a throwaway
        copy under the trainee's login."""
        super().__init__()
        self.context = context
        self.store: Store = context.store
        self.desk = Desk(self.store, context.operator.login)
        self._poll: Worker[None] | None = None
        self._looked_at: int | None = None  # the store's data_version at the last look
        # The last event the queue on screen reflects; reads of the delta take turns.
        self._queue_watermark: int | None = None
        self._queue_lock = threading.Lock()
        # Reads of the state take turns too: a state read earlier never lands after a later one.
        self._state_lock = threading.Lock()
        self._session_started = False
        self._busy_timer: Timer | None = None

    # --- the clock and the live queue -------------------------------------------------------

    def tick(self) -> None:
        """Show the time as the clock has it now, and look for changes to the queue."""
        now = self.context.clock.now()
        self.query_one(QueueTable).now = now
        self.query_one(OperatorStatus).now = now
        # One poll at a time, and never cancelled: a poll that has seen the change must report it.
        # None before the first read is shown: `load_queue` reads it all.
        if self._queue_watermark is not None and (self._poll is None or self._poll.is_finished):
            self._poll = self.poll_queue(force=self._notice_ended(now))

    def look(self) -> None:
        """Between ticks: when the database changed since the last look, read the queue now."""
        if self._queue_watermark is None or not (self._poll is None or self._poll.is_finished):
            return
        try:
            mark = self.store.data_version()
        except sqlite3.Error:
            return  # the tick's poll reports it, as any worker's failure
        if mark != self._looked_at:
            self._looked_at = mark
            self._poll = self.poll_queue()

    def _notice_ended(self, now: datetime) -> bool:
        """A notice on screen (in the bar, or on the card) has come to its end: the notices are
        read again though nothing in the database changed."""
        shown = [
            *self.query_one(NoticeBar).notices,
            *(self.in_hand.notices if self.in_hand else ()),
        ]
        ends = [n.ends for n in shown if n.ends is not None]
        return bool(ends) and min(ends) <= now

    @io_work(group="queue-poll", background=True)
    def poll_queue(self, force: bool = False) -> None:
        """Reload the queue only when someone committed to the database since the last look
        (or, `force`, when a notice on screen ended)."""
        if self.store.has_changed() or force:
            self._post_queue(cancellable=False)

    def show_first_queue(self) -> None:
        """The whole queue, read before the first frame is painted: the operator's first look
        is at who waits, and a first frame without them would be painted again at once. A read
        of a few milliseconds (WAL: a writer never blocks it); should the database fail it,
        the worker reads the queue and the failure is reported as any worker's is."""
        try:
            with self._queue_lock:
                delta = self.store.queue.changes_since(None)
                notices = self.store.notices.active()
                self._queue_watermark = delta.watermark
        except sqlite3.Error:
            log.warning("the first read of the queue failed; trying in a worker", exc_info=True)
            self.load_queue()
            return
        self._show_queue(self.QueueLoaded(delta, notices))

    @io_work(exclusive=True, group="queue", background=True)
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
            self.queue_shown()
        elif delta.added or delta.removed:
            table.apply(delta.removed, delta.added)
        bar = self.query_one(NoticeBar)
        notices = tuple(message.notices)
        if notices != bar.notices:
            bar.notices = notices
            if self.in_hand is not None:
                # The card lists the notices of the customer's area: a new one, or one ended,
                # shows there too.
                self.reload_state()
        status = self.query_one(OperatorStatus)
        status.waiting = table.row_count
        # The longest wait is the oldest contact's (the list is in priority order, not age order).
        oldest = min((c.created for c in table.contacts), default=None)
        status.longest_wait_s = (
            (self.context.clock.now() - oldest).total_seconds() if oldest is not None else 0.0
        )
        self.query_one("#queue").border_subtitle = ngettext(
            "{count} waiting", "{count} waiting", table.row_count
        ).format(count=table.row_count)

    def queue_shown(self) -> None:
        """The whole queue is on screen (the first read, or a re-read after many changes)."""
        if not self._session_started:
            self._session_started = True
            # The queue first: an operator's first look is at who waits; the session, the
            # state and the shift's figures follow once it is painted.
            self.call_after_refresh(self.start_session)

    def action_focus_queue(self) -> None:
        self.query_one(QueueTable).focus()

    # --- the operator's state and the contact in hand -------------------------------------------

    @io_work(group="heartbeat", background=True)
    def heartbeat(self) -> None:
        if self.desk.session_id is None:
            return
        self.store.events.heartbeat(self.desk.session_id)
        # An approval given for a later time (`kb approve --from`) comes in force at a beat.
        self.context.curation.bring_in_force()
        minutes = self.context.config.contacts.release_written_after_min
        if minutes:
            self.store.queue.release_stale(timedelta(minutes=minutes))

    @io_work(exclusive=True, group="session", background=True)
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

    @io_work(group="state", background=True)
    def reload_state(self) -> None:
        """Read the state and the card again (the notices changed)."""
        self._post_state()

    def _post_state(self) -> None:
        with self._state_lock:
            self._read_state()

    def _read_state(self) -> None:
        """Read the state back from the log, with the card of the contact in hand.

        A contact in hand that came with an address and no contract has its caller recognised
        here: the one customer who has that address is attached to it (the customers may have
        been imported after it came); several are left for the operator to pick among."""
        store = self.store
        state = self.desk.state()
        contact = store.queue.get(state.contact_id) if state.contact_id is not None else None
        card = None
        candidates: list[Customer] = []
        if (
            contact is not None
            and not contact.customer_contract
            and contact.from_address
            and state.state in (IN_CONTACT, ON_HOLD)
        ):
            candidates = store.people.recognise(contact.channel, contact.from_address)
            if len(candidates) == 1:
                try:
                    contact = self.desk.identify_customer(candidates[0].contract, "recognised")
                except DeskError:  # the contact left the operator's hands meanwhile
                    pass
                candidates = []
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
                candidates=tuple(candidates),
            )
        since = self.context.clock.now() - SHIFT_WINDOW
        figures = store.wrapups.operator_figures(self.desk.operator, since)
        self.post_message(self.StateLoaded(state, card, figures))

    @on(StateLoaded)
    def _show_state(self, message: StateLoaded) -> None:
        self._database_answered()  # every action ends with the state read back
        self.operator_state = message.state
        status = self.query_one(OperatorStatus)
        status.operator_state = message.state
        status.figures = message.figures
        self.in_hand = message.card
        self.state_changed(message.state)
        self.state_shown(message.state)

    def state_changed(self, state: OperatorState) -> None:
        """A new state is in `operator_state` and its contact in `in_hand`: each layer of the
        screen extends this (calling super) to follow it."""

    def state_shown(self, state: OperatorState) -> None:
        """Called after each new state is on screen (practice follows the contact with it)."""

    @property
    def _written_contact(self) -> bool:
        """A chat, an e-mail or a social message is in hand: no hold, and handle time."""
        if not self.is_mounted:
            return False
        card = self.in_hand
        return card is not None and card.contact.channel not in VOICE_CHANNELS

    def act(
        self,
        action: Callable[[], T],
        done: Callable[[T], Message] | None = None,
        failed: Callable[[Exception], Message] | None = None,
    ) -> None:
        """Run one desk action (`perform`), and say so on the status line should it wait
        for the database longer than a moment (another program holding it: up to LOCK_WAIT_S,
        then a notice). `failed` makes a message for the screen should the action fail.

        An action is never tried again by itself: one whose answer was lost with the server
        may have been applied. The operator presses the key again once the banner says the
        server is back, and the desk checks it against the log (a contact already held is not
        held twice)."""
        if self._busy_timer is None:
            self._busy_timer = self.set_timer(BUSY_AFTER_S, self._database_busy)
        self.perform(action, done, failed)

    def _database_busy(self) -> None:
        self.query_one(OperatorStatus).database_busy = True

    def _database_answered(self) -> None:
        if self._busy_timer is not None:
            self._busy_timer.stop()
            self._busy_timer = None
        self.query_one(OperatorStatus).database_busy = False

    @io_work(group="actions")
    def perform(
        self,
        action: Callable[[], T],
        done: Callable[[T], Message] | None = None,
        failed: Callable[[Exception], Message] | None = None,
    ) -> None:
        """Run one desk action off the UI thread, then show the state the log now gives; `done`
        makes the message that carries the action's result back (results come back as messages
        only).

        A refusal or a failure reaches the operator through the app's one policy for workers;
        the state shown afterwards is the log's either way."""
        try:
            result = action()
        except Exception as error:
            # The state read below may fail too (a lost server): the busy line goes anyway.
            self.post_message(self.ActionFailed())
            try:
                self._read_back()
            finally:
                # After the state read's message: the screen knows what the log has (if the
                # server gave it) when it hears of the failure.
                if failed is not None:
                    self.post_message(failed(error))
            raise
        if done is not None:
            self.post_message(done(result))
        self._read_back()

    def _read_back(self) -> None:
        """The state the log now gives, and the queue (an action moves both)."""
        self._post_state()
        self._post_queue()

    @on(ActionFailed)
    def _action_failed(self) -> None:
        self._database_answered()

    def server_back(self) -> None:
        """The server answers again: the queue from the last event this screen has seen, the
        state and the card as the log now has them (an action whose answer was lost shows
        here if it was done), and a heartbeat, so no other console takes this operator for
        gone."""
        super().server_back()
        if self._queue_watermark is None:
            self.load_queue()
        elif self._poll is None or self._poll.is_finished:
            self._poll = self.poll_queue(force=True)
        if self._session_started and self.desk.session_id is None:
            self.start_session()  # the first one never reached the server
        else:
            self.reload_state()
        self.heartbeat()

    @io_work(group="log", background=True)
    def record(self, action: Callable[[], object]) -> None:
        """Write an event off the UI thread."""
        action()
