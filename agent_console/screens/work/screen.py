"""The work screen: the queue and the contact in hand beside the scripts and the knowledge pane,
and the operator's keys for the contact's life (take, hold, warn, end, breaks)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, Header

from agent_console.commands import PaletteCommand
from agent_console.domain import Contact
from agent_console.domain.lifecycle import BREAK_REASONS, IN_CONTACT, ON_HOLD
from agent_console.i18n import N_, _
from agent_console.screens.work.base import HEARTBEAT_EVERY_S, LOOK_EVERY_S
from agent_console.screens.work.caller import CallerPart
from agent_console.screens.work.keys import WORK_BINDINGS, WORK_HELP, WORK_PALETTE_HIDDEN
from agent_console.widgets.customer_card import CardData, CustomerCard
from agent_console.widgets.knowledge import KnowledgePane
from agent_console.widgets.notice_bar import NoticeBar
from agent_console.widgets.queue_table import QueueTable
from agent_console.widgets.script_list import ScriptList
from agent_console.widgets.server_banner import ServerBanner
from agent_console.widgets.status_bar import OperatorStatus

PANE_TITLES = {
    "#queue": N_("Queue"),
    "#card": N_("Customer"),
    "#scripts": N_("Scripts"),
    "#knowledge": N_("Knowledge"),
}


class WorkScreen(CallerPart):
    HELP = WORK_HELP
    BINDINGS = WORK_BINDINGS
    PALETTE_HIDDEN: ClassVar[frozenset[str]] = WORK_PALETTE_HIDDEN
    DEFAULT_CSS = """
    #notices {
        height: auto;
        background: $error 25%;
        color: $text;
        padding: 0 1;
    }
    #main {
        height: 1fr;
    }
    #left {
        width: 1fr;
    }
    #queue {
        height: 2fr;
        overflow-x: hidden;
        border: round $primary;
        border-title-style: bold;
    }
    #queue:focus-within {
        border: round $accent;
    }
    #card {
        height: 3fr;
        border: round $primary;
        border-title-style: bold;
    }
    #card:focus-within {
        border: round $accent;
    }
    #side {
        width: 62;
    }
    #scripts, #knowledge {
        height: 1fr;
        border: round $primary;
        border-title-style: bold;
    }
    #scripts:focus-within, #knowledge:focus-within {
        border: round $accent;
    }
    #status {
        height: 1;
        background: $panel;
    }
    """

    @dataclass
    class Accepted(Message):
        """The desk gave the operator `contact` (None: the queue was empty)."""

        contact: Contact | None

    def compose(self) -> ComposeResult:
        yield Header(icon="☎")
        yield ServerBanner(id="server-link").data_bind(link=WorkScreen.server_link)
        yield NoticeBar(self.context.language, id="notices")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield QueueTable(id="queue")
                card = CustomerCard(
                    self.context.language, search=True, zone=self.context.timezone, id="card"
                )
                yield card.data_bind(data=WorkScreen.in_hand)
            with Vertical(id="side"):
                yield ScriptList(id="scripts")
                yield KnowledgePane(
                    search=self._search_knowledge,
                    search_paused=self._search_knowledge_paused,
                    id="knowledge",
                )
        yield OperatorStatus(self.context.operator.name_in(self.context.ui_language), id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        for pane, title in PANE_TITLES.items():
            self.query_one(pane).border_title = _(title)
        values = self.context.placeholder_values()
        self.query_one(ScriptList).values = values
        self.query_one(KnowledgePane).values = values
        self.show_first_queue()
        self.tick()
        self.set_interval(1.0, self.tick)
        self.set_interval(LOOK_EVERY_S, self.look)
        self.set_interval(HEARTBEAT_EVERY_S, self.heartbeat)
        self.query_one(QueueTable).focus()

    def watch_in_hand(self, old: CardData | None, card: CardData | None) -> None:
        new_contact = card is not None and (old is None or old.contact.id != card.contact.id)
        if new_contact:
            self.contact_taken()
        self.query_one(OperatorStatus).written = self._written_contact
        self._fill_scripts(card)
        if new_contact and card is not None:
            self.search_topic(card.contact.topic)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        state = self.operator_state
        in_contact = state.state in (IN_CONTACT, ON_HOLD)
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
            "say_script": in_contact,
            "use_script": in_contact,
            "undo_use": in_contact and state.last_script_used is not None,
            "offer_promotion": in_contact and state.promotion is None,
            "find_customer": state.contact_id is not None
            and self.in_hand is not None
            and self.in_hand.unknown_caller,
            "drop_reply_part": bool(self.query_one(ScriptList).reply) if self.is_mounted else False,
        }
        return allowed.get(action, True)

    # --- the contact's life -------------------------------------------------------------------

    def action_accept_next(self) -> None:
        self.act(self.desk.accept_next, self.Accepted)

    @on(QueueTable.Selected)
    def _row_selected(self, event: QueueTable.Selected) -> None:
        if not self.operator_state.can_accept:
            self.notify(_("Finish the current contact first."), severity="warning")
            return
        self.act(lambda: self.desk.accept(event.contact_id), self.Accepted)

    @on(Accepted)
    def _accepted(self, message: Accepted) -> None:
        if message.contact is None:
            self.notify(_("The queue is empty."))

    def action_hold(self) -> None:
        self.act(self.desk.hold)

    def action_resume(self) -> None:
        self.act(self.desk.resume)

    def action_warn(self, kind: str) -> None:
        self.act(lambda: self.desk.warn(kind))
        self.show_warning_script(kind)

    def action_end(self) -> None:
        self.act(self.desk.end)

    def action_end_early(self) -> None:
        self.act(lambda: self.desk.end(early=True))

    def action_ready(self) -> None:
        self.act(self.desk.ready)

    # --- breaks -------------------------------------------------------------------------------

    def palette_commands(self) -> Iterator[PaletteCommand]:
        """A break with its reason in one command (the `b` key asks for the reason)."""
        if self.check_action("take_break", ()):
            for code, (label, _limit) in BREAK_REASONS.items():
                yield PaletteCommand(
                    _("Break: {reason}").format(reason=_(label)),
                    _("Step away from the queue for this reason"),
                    partial(self.take_break_for, code),
                )

    def take_break_for(self, reason: str) -> None:
        self.act(lambda: self.desk.take_break(reason))

    def action_take_break(self) -> None:
        from agent_console.screens.dialogs import BreakDialog

        def chosen(reason: str | None) -> None:
            if reason:
                self.take_break_for(reason)

        self.app.push_screen(BreakDialog(), callback=chosen)

    def action_back_from_break(self) -> None:
        self.act(self.desk.back_from_break)

    # --- the customer's history -----------------------------------------------------------

    @on(CustomerCard.HistoryOpened)
    def _history_opened(self, message: CustomerCard.HistoryOpened) -> None:
        from agent_console.screens.dialogs import HistoryDialog

        self.app.push_screen(HistoryDialog(message.entry, self.context.timezone))

    def action_focus_card(self) -> None:
        self.query_one(CustomerCard).focus_history()
