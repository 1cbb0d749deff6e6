"""The work screen's scripts: which approved phrasings the list shows and fills in for the contact
in hand, the ones suggested for its stage, and every use of one as an event of the contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from textual import on
from textual.message import Message

from agent_console.context import ConsoleContext
from agent_console.domain import EventType, Script
from agent_console.domain.lifecycle import IN_CONTACT, ON_HOLD, OperatorState
from agent_console.domain.placeholders import customer_values
from agent_console.domain.suggestions import ContactContext, suggested_scripts
from agent_console.i18n import _
from agent_console.screens.work.base import WorkScreenBase
from agent_console.widgets.customer_card import CardData
from agent_console.widgets.knowledge import KnowledgePane
from agent_console.widgets.script_list import ScriptList
from agent_console.workers import io_work

# A customer in touch this recently is greeted as a returning one.
RETURNING_WITHIN = timedelta(days=7)

WARNING_SCRIPTS = {"profanity": "warning-profanity-first", "repeated": "warning-repeated-first"}


class ScriptsPart(WorkScreenBase):
    @dataclass
    class ScriptsLoaded(Message):
        scripts: list[Script]

    @dataclass
    class UseUndone(Message):
        """The last use of `script_id` on this contact was taken back."""

        script_id: str

    def __init__(self, context: ConsoleContext) -> None:
        super().__init__(context)
        # Values the operator typed in for the contact in hand (a caller without a contract).
        self._typed_values: dict[str, str] = {}
        # Approved scripts in every language; the list shows those of `_script_language`.
        self._all_scripts: tuple[Script, ...] = ()
        self._script_language = context.language

    def queue_shown(self) -> None:
        super().queue_shown()
        if not self._all_scripts:
            # The queue first: an operator's first look is at who waits; the 150-odd scripts
            # fill their list once it is painted.
            self.call_after_refresh(self.load_scripts)

    @io_work(exclusive=True, group="scripts")
    def load_scripts(self) -> None:
        scripts = self.store.content.scripts()  # every language: see `_fill_scripts`
        self.post_message(self.ScriptsLoaded(scripts))

    @on(ScriptsLoaded)
    def _show_scripts(self, message: ScriptsLoaded) -> None:
        self._all_scripts = tuple(message.scripts)
        self._fill_scripts(self.in_hand)
        self._show_suggestions()

    def contact_taken(self) -> None:
        """A new contact is in hand: nothing typed or stacked for the last one carries over."""
        self._typed_values = {}
        self.query_one(ScriptList).reply = ()

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
        scripts.contact_id = card.contact.id if card else None
        shown = tuple(s for s in self._all_scripts if s.language == self._script_language)
        if shown != scripts.scripts:
            scripts.scripts = shown
        scripts.values = values
        self.query_one(KnowledgePane).values = values

    def state_changed(self, state: OperatorState) -> None:
        super().state_changed(state)
        self._show_suggestions()

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

    def show_warning_script(self, kind: str) -> None:
        """The approved wording of the warning just given, in front of the operator."""
        self.query_one(ScriptList).show_script(f"{WARNING_SCRIPTS[kind]}.{self._script_language}")

    # --- use: say, copy, stack into a reply ---------------------------------------------------

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
        self.act(lambda: self.desk.log_script(event, message.script.id, message.script.version))

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
        self.notify(
            _("Taken back: {script}. It no longer counts as used.").format(script=title),
            markup=False,
        )

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

    def action_focus_scripts(self) -> None:
        self.query_one(ScriptList).focus_list()
