"""The contacts behind a figure of the Shift view (domain/drill_down.py): one row per contact;
Enter opens the contact's replay where the operator took it, Esc goes back to the shift.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from agent_console.context import ConsoleContext
from agent_console.domain.codes import CHANNELS, OUTCOMES, TRANSFER_TARGETS
from agent_console.domain.figures import ContactFigures
from agent_console.domain.roles import can, refusal
from agent_console.i18n import N_, _
from agent_console.screens.translated import TranslatedBindings
from agent_console.timefmt import duration
from agent_console.workers import io_work

HELP = N_("""\
## Contacts behind a figure

The contacts a figure of the Shift view was made of, as the report counts them. `Enter` replays
the highlighted contact as its operator worked it (trainers and supervisors); `Esc` goes back
to the shift.
""")

COLUMNS = (
    N_("Contact"),
    N_("Channel"),
    N_("Operator"),
    N_("Taken"),
    N_("Waited"),
    N_("Talk"),
    N_("Hold"),
    N_("ACW"),
    N_("AHT"),
    N_("Outcome"),
    N_("Transfer"),
    N_("Promotion"),
)
PROMOTION_ANSWERS = {"accepted": N_("accepted"), "declined": N_("declined")}


def _name(names: dict[str, str], code: str | None) -> str:
    return _(names.get(code, code)) if code else "—"


class ShiftContactsScreen(TranslatedBindings, Screen):
    HELP = HELP
    DEFAULT_CSS = """
    ShiftContactsScreen #shift-contacts {
        height: 1fr;
        border: round $accent;
        border-title-style: bold;
    }
    """
    BINDINGS = [
        Binding(
            "escape",
            "back",
            N_("Back"),
            id="shift_contacts.back",
            tooltip=N_("Back to the shift"),
        ),
    ]

    class SessionFound(Message):
        """The session a contact was taken in (None: no recorded session holds it)."""

        def __init__(self, contact_id: int, session_id: str | None) -> None:
            super().__init__()
            self.contact_id = contact_id
            self.session_id = session_id

    def __init__(self, context: ConsoleContext, title: str, contacts: list[ContactFigures]) -> None:
        super().__init__()
        self.context = context
        self.title_text = title
        self.contacts = contacts

    def compose(self) -> ComposeResult:
        yield Header(icon="☎")
        yield DataTable(id="shift-contacts", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = _("shift · contacts")
        table = self.query_one(DataTable)
        table.border_title = Text(self.title_text)  # a login is shown as it is, never as markup
        table.border_subtitle = _("Enter replays · Esc goes back")
        table.add_columns(*(_(title) for title in COLUMNS))
        for contact in self.contacts:
            table.add_row(*self._cells(contact), key=str(contact.id))
        if not self.contacts:
            table.add_row(Text(_("No contacts behind this figure."), style="dim"))
        table.focus()

    def _cells(self, contact: ContactFigures) -> tuple[str | Text, ...]:
        waited = duration(contact.waited_s) if contact.waited_s is not None else "—"
        if contact.abandoned:
            return (str(contact.id), _name(CHANNELS, contact.channel), "—", "—", waited,
                    *("—",) * 4, _("abandoned"), "—", "—")  # fmt: skip
        return (
            str(contact.id),
            _name(CHANNELS, contact.channel),
            Text(contact.operator or "—"),
            self._time(contact.accepted),
            waited,
            duration(contact.talk_s),
            duration(contact.hold_s),
            duration(contact.acw_s),
            duration(contact.handle_s),
            _name(OUTCOMES, contact.outcome),
            _name(TRANSFER_TARGETS, contact.transfer),
            _name(PROMOTION_ANSWERS, contact.promotion),
        )

    def _time(self, at: datetime | None) -> str:
        return at.astimezone(self.context.timezone).strftime("%H:%M:%S") if at else "—"

    def action_back(self) -> None:
        self.dismiss()

    @on(DataTable.RowSelected)
    def _replay(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is None or not event.row_key.value.isdigit():
            return  # the "no contacts" line
        role = self.context.operator.role
        if not can(role, "replay"):
            self.notify(refusal(role, "replay"), title=_("Not for your role"), severity="warning")
            return
        self.find_session(int(event.row_key.value))

    @io_work(exclusive=True, group="shift-contact-session")
    def find_session(self, contact_id: int) -> None:
        session = self.context.store.events.session_of(contact_id)
        self.post_message(self.SessionFound(contact_id, session))

    @on(SessionFound)
    def _open_replay(self, message: SessionFound) -> None:
        from agent_console.screens.replay import ReplayScreen  # loaded only when replayed

        if message.session_id is None:
            self.notify(
                _("No recorded session holds contact {id}: there is nothing to replay.").format(
                    id=message.contact_id
                ),
                severity="warning",
                markup=False,
            )
            return
        self.app.push_screen(
            ReplayScreen(self.context, message.session_id, contact_id=message.contact_id)
        )
