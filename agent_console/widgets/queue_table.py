"""The live queue: waiting contacts with their waiting time and SLA ticking."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import DataTable

from agent_console.domain import CHANNELS, PRIORITIES, SLA_SECONDS, Contact, topic_label
from agent_console.text import printable
from agent_console.timefmt import duration, signed_duration

CHANNEL_ICONS = {"phone": "☎ Phone", "chat": "✉ Chat", "email": "@ E-mail", "social": "# Social"}
PRIORITY_STYLES = {1: "bold red", 2: "bold yellow", 3: "", 4: "dim"}


def sla_style(left_s: float, channel: str) -> str:
    if left_s < 0:
        return "bold red"
    if left_s < SLA_SECONDS[channel] / 3:
        return "dark_orange"
    return "green"


class QueueTable(DataTable):
    """Waiting contacts, most urgent first; the time columns follow `now`."""

    now: reactive[datetime | None] = reactive(None)
    """The clock's current time, set by the screen every second."""

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._contacts: dict[str, Contact] = {}
        self.language = "en"

    def on_mount(self) -> None:
        # The subject goes last: it is the one column that may be cut at the pane's edge.
        self.add_column("Channel", key="channel", width=8)
        self.add_column("Customer", key="customer", width=20)
        self.add_column("Topic", key="topic", width=18)
        self.add_column("Waiting", key="waiting", width=7)
        self.add_column("Priority", key="priority", width=8)
        self.add_column("SLA left", key="sla", width=8)
        self.add_column("Subject", key="subject", width=40)

    def show(self, contacts: list[Contact]) -> None:
        """Replace the rows, keeping the cursor on the same contact where it still waits."""
        selected = self.selected_contact_id
        self.clear()
        self._contacts = {str(c.id): c for c in contacts}
        for contact in contacts:
            self.add_row(*self._cells(contact), key=str(contact.id))
        if selected is not None and str(selected) in self._contacts:
            self.move_cursor(row=self.get_row_index(str(selected)))

    @property
    def selected_contact_id(self) -> int | None:
        if not self._contacts or self.cursor_row < 0 or self.cursor_row >= self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key((self.cursor_row, 0))
        return int(row_key.value)

    def watch_now(self, now: datetime | None) -> None:
        if now is None:
            return
        for key, contact in self._contacts.items():
            waiting, sla = self._time_cells(contact, now)
            self.update_cell(key, "waiting", waiting)
            self.update_cell(key, "sla", sla)

    def _cells(self, contact: Contact) -> list:
        channel = CHANNEL_ICONS.get(contact.channel, CHANNELS.get(contact.channel, contact.channel))
        priority = PRIORITIES.get(contact.priority, str(contact.priority))
        waiting, sla = self._time_cells(contact, self.now or contact.created)
        return [
            channel,
            Text(printable(contact.customer_name, single_line=True)),
            Text(printable(topic_label(contact.topic, self.language), single_line=True)),
            waiting,
            Text(priority, style=PRIORITY_STYLES.get(contact.priority, "")),
            sla,
            Text(printable(contact.subject, single_line=True), overflow="ellipsis", no_wrap=True),
        ]

    @staticmethod
    def _time_cells(contact: Contact, now: datetime) -> tuple[Text, Text]:
        waited = (now - contact.created).total_seconds()
        left = (contact.sla_due - now).total_seconds()
        return (
            Text(duration(waited), justify="right"),
            Text(signed_duration(left), style=sla_style(left, contact.channel), justify="right"),
        )
