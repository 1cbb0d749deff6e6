"""The live queue: waiting contacts with their waiting time and SLA ticking.

A queue can hold thousands of contacts, and the time columns change every second for all of
them. So this is a virtual list on Textual's Line API rather than a DataTable: the contacts stay
a sorted Python list, only the visible rows are rendered, and the time columns are computed at
render time from `now` — a tick costs one repaint of the screenful, whatever the queue's size.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from agent_console.domain import SLA_SECONDS, Contact, topic_label
from agent_console.domain.codes import channel_label, priority_label
from agent_console.i18n import N_, _, ui_language
from agent_console.text import printable
from agent_console.timefmt import duration, signed_duration

CHANNEL_ICONS = {"phone": "☎", "chat": "✉", "email": "@", "social": "#"}
PRIORITY_STYLES = {1: "bold red", 2: "bold dark_orange", 3: "", 4: "dim"}


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    style: str = ""


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int
    justify: str = "left"


# The subject goes last: it is the one column that may be cut at the pane's edge.
COLUMNS = (
    Column("channel", N_("Channel"), 8),
    Column("customer", N_("Customer"), 20),
    Column("topic", N_("Topic"), 18),
    Column("waiting", N_("Waiting"), 7, "right"),
    Column("priority", N_("Priority"), 8),
    Column("sla", N_("SLA left"), 8, "right"),
    Column("subject", N_("Subject"), 60),
)
GAP = 2


@lru_cache(maxsize=4)
def columns(language: str) -> tuple[Column, ...]:
    """The columns as wide as the interface's `language` needs: a header or a channel's name
    longer than the column in that language widens it (the subject, cut at the pane's edge
    anyway, gives the room). English keeps the widths above."""
    laid_out = []
    for column in COLUMNS:
        widest = cell_len(_(column.label))
        if column.key == "channel":
            widest = max([widest, *(cell_len(channel_cell(code)) for code in CHANNEL_ICONS)])
        laid_out.append(replace(column, width=max(column.width, widest)))
    return tuple(laid_out)


def channel_cell(channel: str) -> str:
    """ "☎ Phone": the channel's sign, then its name."""
    icon = CHANNEL_ICONS.get(channel)
    return f"{icon} {channel_label(channel)}" if icon else channel_label(channel)


def queue_order(contact: Contact) -> tuple[int, datetime, int]:
    """The queue's order: most urgent first, then longest waiting (as the claim takes them)."""
    return (contact.priority, contact.created, contact.id)


def sla_style(left_s: float, channel: str) -> str:
    if left_s < 0:
        return "bold red"
    if left_s < SLA_SECONDS[channel] / 3:
        return "dark_orange"
    return "green"


class QueueTable(ScrollView, can_focus=True):
    """Waiting contacts, most urgent first; Enter asks to take the one under the cursor."""

    BINDINGS = [
        Binding("up", "cursor(-1)", N_("Up"), show=False, id="queue.up"),
        Binding("down", "cursor(1)", N_("Down"), show=False, id="queue.down"),
        Binding("pageup", "page(-1)", N_("Page up"), show=False, id="queue.page_up"),
        Binding("pagedown", "page(1)", N_("Page down"), show=False, id="queue.page_down"),
        Binding("home", "jump(0)", N_("First"), show=False, id="queue.first"),
        Binding("end", "jump(-1)", N_("Last"), show=False, id="queue.last"),
        Binding(
            "enter",
            "select",
            N_("Take this one"),
            id="queue.select",
            show=False,
            tooltip=N_("Take the contact under the cursor"),
        ),
    ]
    COMPONENT_CLASSES = {
        "queue-table--header",
        "queue-table--cursor",
        "queue-table--even",
    }
    DEFAULT_CSS = """
    QueueTable {
        background: $surface;
        & > .queue-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .queue-table--even { background: $surface-lighten-1 50%; }
        & > .queue-table--cursor { background: $block-cursor-blurred-background; }
        &:focus > .queue-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    now: reactive[datetime | None] = reactive(None)
    """The clock's current time, set by the screen every second."""
    cursor_row: reactive[int] = reactive(0)
    """Index of the highlighted contact."""

    @dataclass
    class Selected(Message):
        """The operator pressed Enter (or clicked) on a contact."""

        contact_id: int

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.contacts: list[Contact] = []
        # Cells that do not change with the clock, per contact id: a tick recomputes only the
        # waiting and SLA cells of the visible rows.
        self._static_cells: dict[int, dict[str, Cell]] = {}

    # --- data -------------------------------------------------------------------------------

    def show(self, contacts: list[Contact]) -> None:
        """Replace the list (already in queue order), keeping the cursor on the same contact."""
        selected = self.selected_contact_id
        self.contacts = list(contacts)
        waiting_ids = {contact.id for contact in self.contacts}
        self._static_cells = {k: v for k, v in self._static_cells.items() if k in waiting_ids}
        index = next((i for i, c in enumerate(self.contacts) if c.id == selected), None)
        # A contact that left the queue leaves the cursor where it was: on the next one.
        self.cursor_row = min(
            index if index is not None else self.cursor_row, max(0, len(self.contacts) - 1)
        )
        width = sum(column.width + GAP for column in columns(ui_language()))
        self.virtual_size = Size(width, len(self.contacts) + 1)
        self.refresh()

    def apply(self, removed: set[int], added: list[Contact]) -> None:
        """Take a change of the queue: drop the contacts that left, place the new ones in order."""
        known = {contact.id for contact in self.contacts}
        contacts = [c for c in self.contacts if c.id not in removed]
        contacts += [c for c in added if c.id not in known]
        contacts.sort(key=queue_order)
        self.show(contacts)

    @property
    def row_count(self) -> int:
        return len(self.contacts)

    @property
    def selected_contact_id(self) -> int | None:
        if not self.contacts:
            return None
        return self.contacts[min(self.cursor_row, len(self.contacts) - 1)].id

    def cells(self, contact: Contact, now: datetime | None = None) -> dict[str, Cell]:
        """The row of one contact as it is shown: plain text and a style name per column."""
        now = now or self.now or contact.created
        waited = (now - contact.created).total_seconds()
        left = (contact.sla_due - now).total_seconds()
        static = self._static_cells.get(contact.id)
        if static is None:
            static = self._static_cells[contact.id] = self._fixed_cells(contact)
        return {
            **static,
            "waiting": Cell(duration(waited)),
            "sla": Cell(signed_duration(left), sla_style(left, contact.channel)),
        }

    def _fixed_cells(self, contact: Contact) -> dict[str, Cell]:
        return {
            "channel": Cell(channel_cell(contact.channel)),
            # An unknown caller (no customer yet): who it came from, as the channel gave it.
            "customer": Cell(printable(contact.customer_name, single_line=True))
            if contact.customer_name
            else Cell(printable(contact.from_address, single_line=True), "italic"),
            # In the interface's language, like every label of the console (the content's is
            # for scripts and articles).
            "topic": Cell(printable(topic_label(contact.topic), single_line=True)),
            "priority": Cell(
                priority_label(contact.priority), PRIORITY_STYLES.get(contact.priority, "")
            ),
            "subject": Cell(printable(contact.subject, single_line=True)),
        }

    # --- rendering ----------------------------------------------------------------------------

    def watch_now(self) -> None:
        self.refresh()

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        if y == 0:
            style = self.get_component_rich_style("queue-table--header")
            line = self._line({c.key: Cell(_(c.label)) for c in columns(ui_language())}, style)
        else:
            index = scroll_y + y - 1
            if index >= len(self.contacts):
                return Strip.blank(width, self.rich_style)
            style = self.rich_style
            if index == self.cursor_row:
                style += self.get_component_rich_style("queue-table--cursor")
            elif index % 2:
                style += self.get_component_rich_style("queue-table--even")
            line = self._line(self.cells(self.contacts[index]), style)
        return line.crop_extend(scroll_x, scroll_x + width, style)

    @staticmethod
    def _line(cells: dict[str, Cell], base: Style) -> Strip:
        # Segments are built directly: going through rich Text for every visible cell on every
        # tick cost most of the tick.
        segments = [Segment(" ", base)]
        laid_out = columns(ui_language())
        for column in laid_out:
            cell = cells[column.key]
            text = fit(cell.text, column.width, column.justify)
            segments.append(Segment(text, base + _style(cell.style) if cell.style else base))
            segments.append(Segment(" " * GAP, base))
        return Strip(segments, 1 + sum(column.width + GAP for column in laid_out))

    # --- the cursor -----------------------------------------------------------------------------

    def _scroll_to_cursor(self) -> None:
        visible = max(1, self.size.height - 1)
        top = int(self.scroll_offset.y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    def action_cursor(self, step: int) -> None:
        if self.contacts:
            self.cursor_row = max(0, min(len(self.contacts) - 1, self.cursor_row + step))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.size.height - 2))

    def action_jump(self, where: int) -> None:
        if self.contacts:
            self.cursor_row = where % len(self.contacts)

    def action_select(self) -> None:
        contact_id = self.selected_contact_id
        if contact_id is not None:
            self.post_message(self.Selected(contact_id))

    def on_click(self, event: Click) -> None:
        index = int(self.scroll_offset.y) + event.y - 1
        if event.y >= 1 and 0 <= index < len(self.contacts):
            self.cursor_row = index
            if event.chain == 2:
                self.action_select()


@lru_cache(maxsize=64)
def _style(name: str) -> Style:
    return Style.parse(name)


def fit(text: str, width: int, justify: str = "left") -> str:
    """The text in exactly `width` cells: cut with an ellipsis, or padded on the justified side."""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…"
    padding = " " * (width - length)
    return padding + text if justify == "right" else text + padding
