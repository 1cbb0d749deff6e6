"""The work screen's wrap-up: the form opens when a contact ends (and again after a restart in
the wrap-up state), and what it hands back is saved through the desk; until the store has it,
it is kept, so a failed save opens the form again with everything typed."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.message import Message

from agent_console.context import ConsoleContext
from agent_console.domain.lifecycle import IN_CONTACT, ON_HOLD, WRAPUP, OperatorState
from agent_console.domain.wrapup_rules import WrapUpEntry
from agent_console.i18n import _, ngettext
from agent_console.screens.work.knowledge import KnowledgePart

if TYPE_CHECKING:
    from agent_console.screens.wrapup import WrapUpSubmission


class WrapUpPart(KnowledgePart):
    @dataclass
    class WrapUpSaved(Message):
        """The store has the wrap-up; `masked_cards` card numbers in it were masked."""

        masked_cards: int

    @dataclass
    class WrapUpNotSaved(Message):
        """The save of the wrap-up failed with `error`."""

        error: Exception

    def __init__(self, context: ConsoleContext) -> None:
        super().__init__(context)
        # A wrap-up handed to the store and not yet confirmed saved, by its contact (see
        # `_open_wrapup`).
        self._unsaved_wrapup: tuple[int, WrapUpEntry] | None = None

    def state_changed(self, state: OperatorState) -> None:
        super().state_changed(state)
        if state.state == WRAPUP and state.contact_id is not None:
            self._open_wrapup(state.contact_id, state)
        else:
            self._close_wrapup_done()

    def _close_wrapup_done(self) -> None:
        """The log no longer has the form's contact in wrap-up: its save reached the server
        though the answer was lost with the connection. The form, open again with what was
        typed, goes (saving it twice would be refused), and the operator is told."""
        from agent_console.screens.wrapup import WrapUpScreen

        form = self.app.screen
        unsaved = self._unsaved_wrapup
        if (
            not isinstance(form, WrapUpScreen)
            or form.context is not self.context
            or unsaved is None  # only a form open again after a failed save
            or unsaved[0] != form.contact_id
        ):
            return
        self.app.pop_screen()
        self._wrapup_found_saved(form.contact_id)

    def _wrapup_found_saved(self, contact_id: int) -> None:
        self._unsaved_wrapup = None
        self.notify(
            _("The server has the wrap-up of contact #{number}: it was saved.").format(
                number=contact_id
            ),
            title=_("Wrap-up"),
        )

    def _open_wrapup(self, contact_id: int, state: OperatorState) -> None:
        from agent_console.screens.wrapup import WrapUpScreen

        if any(isinstance(screen, WrapUpScreen) for screen in self.app.screen_stack):
            return

        def saved(submitted: WrapUpSubmission | None) -> None:
            if submitted is None:
                return  # (the form always hands back a submission)
            # Kept until the store has it: should the save fail, the form opens again with it.
            self._unsaved_wrapup = (contact_id, submitted.entry)
            self.act(
                lambda: self.desk.save_wrapup(
                    submitted.entry,
                    talk_s=submitted.talk_s,
                    correction_reason=submitted.correction_reason,
                    stay_in_wrapup=self.context.config.wrapup.after == "wrapup",
                ),
                self.WrapUpSaved,
                self.WrapUpNotSaved,
            )

        card = self.in_hand
        topic = card.contact.topic if card is not None else None
        unsaved = self._unsaved_wrapup
        self.app.push_screen(
            WrapUpScreen(
                self.context,
                contact_id,
                state,
                topic,
                unsaved=unsaved[1] if unsaved and unsaved[0] == contact_id else None,
            ),
            callback=saved,
        )

    @on(WrapUpNotSaved)
    def _wrapup_not_saved(self, message: WrapUpNotSaved) -> None:
        """A save the database failed opens the form again at once, with what was typed: the
        state read that would open it may have failed too (a lost server). Should that read
        have come back without the contact in wrap-up, the save reached the server though its
        answer was lost: the operator is told it is saved. (A refusal: the state read opens
        the form again, or says where the operator is.)"""
        if not isinstance(message.error, sqlite3.Error) or self._unsaved_wrapup is None:
            return
        state = self.operator_state
        contact_id = self._unsaved_wrapup[0]
        if state.state == WRAPUP and state.contact_id == contact_id:
            self._open_wrapup(contact_id, state)
        else:
            self._wrapup_found_saved(contact_id)

    @on(WrapUpSaved)
    def _wrapup_saved(self, message: WrapUpSaved) -> None:
        self._unsaved_wrapup = None
        masked = message.masked_cards
        if masked:
            self.notify(
                ngettext(
                    "{count} card number in the wrap-up was masked before saving.",
                    "{count} card numbers in the wrap-up were masked before saving.",
                    masked,
                ).format(count=masked),
                title=_("Personal data"),
            )

    @property
    def quit_warning(self) -> str | None:
        """Why quitting now needs a second thought (None: nothing is in hand)."""
        state = self.operator_state.state
        if state == ON_HOLD:
            return _(
                "A customer is on hold. If you quit, the contact stays yours and comes back "
                "when you start the console again — but the customer keeps waiting."
            )
        if state == IN_CONTACT:
            return _(
                "You are in a contact. If you quit, it stays yours and comes back when you "
                "start the console again."
            )
        if state == WRAPUP:
            return _(
                "The wrap-up of the last contact is not saved. Its draft comes back when you "
                "start the console again; anything typed in the last few seconds may not."
            )
        return None
