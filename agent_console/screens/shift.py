"""The Shift mode (supervisors; trainers may watch): the floor live, the queues by channel, the
alerts, and the shift's figures per operator and in total, all from the one event log.

A worker reads the log from the last event it saw, once a second, and folds it into the floor,
the figures and the alerts (screens/shift_data.py): the same folds the report uses, so the view
and `agent-console report shift` never disagree. A new alert is also a notification, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Footer, Header
from textual.worker import Worker

from agent_console.context import ConsoleContext
from agent_console.domain import Notice
from agent_console.domain.alerts import ALERT_NAMES, Alert
from agent_console.domain.codes import CHANNELS
from agent_console.domain.drill_down import behind, contacts_behind
from agent_console.domain.figures import ContactFigures
from agent_console.domain.roles import can
from agent_console.i18n import N_, _, ngettext
from agent_console.screens.server_link import ServerLinkScreen
from agent_console.screens.shift_data import ShiftRead, ShiftWatch
from agent_console.screens.translated import TranslatedBindings
from agent_console.timefmt import duration
from agent_console.widgets.interval_charts import IntervalCharts, shown_intervals
from agent_console.widgets.notice_bar import NoticeBar
from agent_console.widgets.server_banner import ServerBanner
from agent_console.widgets.tables import refill
from agent_console.workers import io_work

HELP = N_("""\
## Shift

**The floor** (top left): every operator logged in, their state and for how long, the contact in
hand and the contacts they have wrapped up today. A row turns red when a call, a hold or a wrap-up
runs long, or a break runs past its length (the thresholds are the config's `[alerts]`).
**The queues** (top right): waiting contacts by channel, the longest wait, and how many are past
their answer time. **Alerts** (below the queues): what needs attention now, the newest first;
each new one is also a notification, once. **The figures** (below): today's contacts per
operator and in total, the average talk, hold, after-call and handle time, transfers, the
promotion, early endings and the service level. Everything follows the event log: a change on
any console shows here within a second. `agent-console report shift` prints the same figures.

`i` shows today by half-hour instead of the figures: small charts of the arrivals, the contacts
handled, the service level and the AHT, and the same half-hours as `agent-console report shift
--by interval` prints them; `i` again goes back.

`Enter` on a figure lists the contacts behind it (the transfers to retention, the contacts
past their service-level target, …); on an operator of the floor, their contacts today. `Enter`
on a contact there replays it; `Esc` comes back.

Supervisors put up an outage notice on every console with `n` (as `agent-console notices add`
does) and end one with `x`; the notices in force show at the top.
""")

# The figures' total row (an operator's row is keyed by their login).
TOTAL = "\x00total"

# A burst of alerts (the view just opened on a busy floor) is one notification, not a stack.
NOTIFY_ONE_BY_ONE = 3

FIGURE_COLUMNS = (
    (N_("Operator"), "operator"),
    (N_("Contacts"), "contacts"),
    (N_("AHT"), "handle_s_avg"),
    (N_("Talk"), "talk_s_avg"),
    (N_("Hold"), "hold_s_avg"),
    (N_("ACW"), "acw_s_avg"),
    (N_("→ Tech"), "transfers_tech_support"),
    (N_("→ Retention"), "transfers_retention"),
    (N_("Promo offered"), "promotion_offered"),
    (N_("accepted"), "promotion_accepted"),
    (N_("Early ends"), "ended_early"),
    (N_("Wording"), "wording_share"),
    (N_("Service level"), "service_level"),
)


def figure_cell(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key.endswith("_s_avg"):
        return duration(value)
    if key.endswith("share") or key == "service_level":
        return f"{value:.0%}"
    return str(value)


def alert_subject(alert: Alert) -> str:
    """Whom or what an alert is about: "anna.smirnova · contact 12", "contact 12"."""
    contact = _("contact {id}").format(id=alert.contact_id) if alert.contact_id else ""
    return " · ".join(part for part in (alert.operator or "", contact) if part)


def alert_text(alert: Alert, now: datetime) -> str:
    return _("{alert}: {subject}, {lasted}").format(
        alert=_(ALERT_NAMES[alert.kind]),
        subject=alert_subject(alert),
        lasted=duration(alert.lasted_s(now)),
    )


class ShiftScreen(TranslatedBindings, ServerLinkScreen, Screen):
    HELP = HELP
    DEFAULT_CSS = """
    ShiftScreen #shift-notices { height: auto; background: $error 25%; color: $text; padding: 0 1; }
    ShiftScreen #shift-top { height: 1fr; }
    ShiftScreen #shift-top DataTable { height: 100%; }
    ShiftScreen #shift-floor { width: 1fr; }
    ShiftScreen #shift-side { width: 1fr; }
    ShiftScreen #shift-side #shift-queues { height: auto; }
    ShiftScreen #shift-side #shift-alerts { height: 1fr; }
    ShiftScreen #shift-bottom { height: 1fr; }
    ShiftScreen DataTable {
        border: round $primary;
        border-title-style: bold;
        &:focus { border: round $accent; }
    }
    """

    BINDINGS = [
        Binding(
            "n",
            "new_notice",
            N_("Notice"),
            id="shift.new_notice",
            tooltip=N_("Write an outage notice for every console"),
        ),
        Binding(
            "i",
            "toggle_intervals",
            N_("Half-hours"),
            id="shift.intervals",
            tooltip=N_("Today by half-hour with charts, or the figures per operator"),
        ),
        Binding(
            "x",
            "end_notice",
            N_("End notice"),
            id="shift.end_notice",
            tooltip=N_("End an outage notice in force"),
        ),
    ]

    @dataclass
    class FloorRead(Message):
        read: ShiftRead

    def __init__(self, context: ConsoleContext) -> None:
        super().__init__()
        self.context = context
        config = context.config
        self.folds = ShiftWatch(
            context.store, context.timezone, config.service_level.targets(), config.alerts
        )
        self._read: Worker[None] | None = None
        self._contacts: list[ContactFigures] = []  # the day's, behind the figures shown
        self._notices: list[Notice] = []  # in force, as last read
        self._alerts: dict[str, Alert] = {}  # shown in the Alerts pane, by their row keys

    def compose(self) -> ComposeResult:
        yield Header(icon="☎")
        yield ServerBanner().data_bind(link=ShiftScreen.server_link)
        yield NoticeBar(self.context.language, id="shift-notices")
        with Horizontal(id="shift-top"):
            yield DataTable(id="shift-floor", cursor_type="row", zebra_stripes=True)
            with Vertical(id="shift-side"):
                yield DataTable(id="shift-queues", cursor_type="row")
                yield DataTable(id="shift-alerts", cursor_type="row")
        with ContentSwitcher(id="shift-bottom", initial="shift-figures"):
            yield DataTable(id="shift-figures", cursor_type="cell", zebra_stripes=True)
            yield IntervalCharts(self.context.timezone, id="shift-intervals")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = _("shift")
        floor = self.query_one("#shift-floor", DataTable)
        floor.border_title = _("Floor")
        floor.add_columns(_("Operator"), _("State"), _("For"), _("Contact"), _("Handled today"))
        queues = self.query_one("#shift-queues", DataTable)
        queues.border_title = _("Queues")
        queues.add_columns(_("Channel"), _("Waiting"), _("Longest"), _("Past SLA"))
        alerts = self.query_one("#shift-alerts", DataTable)
        alerts.border_title = _("Alerts")
        alerts.add_columns(_("At"), _("Alert"), _("Who"), _("For"))
        figures = self.query_one("#shift-figures", DataTable)
        figures.border_title = _("Today's figures")
        figures.border_subtitle = _("Enter lists the contacts behind a figure")
        figures.add_columns(*(_(title) for title, _key in FIGURE_COLUMNS))
        self.tick()
        self.set_interval(1.0, self.tick)
        floor.focus()

    def tick(self) -> None:
        # One read at a time: each folds on from where the last one stopped.
        if self._read is None or self._read.is_finished:
            self._read = self.read_floor()

    # Every second: a lost server is said by the banner, not by a notice at each read.
    @io_work(group="shift", background=True)
    def read_floor(self) -> None:
        self.post_message(self.FloorRead(self.folds.read(self.context.clock.now())))

    @on(FloorRead)
    def _show(self, message: FloorRead) -> None:
        read = message.read
        self._contacts = read.contacts
        self._notices = read.notices
        self.query_one(NoticeBar).notices = tuple(read.notices)
        self._show_floor(read)
        self._show_queues(read)
        self._show_alerts(read)
        self._show_figures(read)
        self.query_one(IntervalCharts).intervals = tuple(shown_intervals(read.intervals, read.now))
        self._notify(read.raised, read.now)

    def _show_floor(self, read: ShiftRead) -> None:
        floor = self.query_one("#shift-floor", DataTable)
        rows = []
        for row in read.floor:
            style = "bold red" if row.attention else ""
            cells = (
                Text(row.login),
                Text(_(row.state), style=style),
                Text(duration(row.in_state_s), style=style),
                str(row.contact_id) if row.contact_id is not None else "—",
                str(row.handled),
            )
            rows.append((cells, row.login))
        refill(floor, rows)
        count = len(read.floor)
        floor.border_subtitle = ngettext("{n} logged in", "{n} logged in", count).format(n=count)

    def _show_queues(self, read: ShiftRead) -> None:
        rows = []
        for queue in read.queues:
            late = Text(str(queue.past_sla), style="bold red" if queue.past_sla else "")
            cells = (
                _(CHANNELS.get(queue.channel, queue.channel)),
                str(queue.waiting),
                duration(queue.longest_wait_s),
                late,
            )
            rows.append((cells, queue.channel))
        refill(self.query_one("#shift-queues", DataTable), rows)

    def _show_alerts(self, read: ShiftRead) -> None:
        table = self.query_one("#shift-alerts", DataTable)
        rows = []
        self._alerts = {repr(alert.key): alert for alert in read.alerts}
        for alert in read.alerts:
            cells = (
                alert.due.astimezone(self.context.timezone).strftime("%H:%M:%S"),
                Text(_(ALERT_NAMES[alert.kind]), style="bold red"),
                Text(alert_subject(alert)),
                duration(alert.lasted_s(read.now)),
            )
            rows.append((cells, repr(alert.key)))
        refill(table, rows)
        count = len(read.alerts)
        table.border_subtitle = ngettext("{n} alert", "{n} alerts", count).format(n=count)

    def _show_figures(self, read: ShiftRead) -> None:
        rows = []
        for figure, key in [
            *((row, row["operator"]) for row in read.figures),
            ({**read.total, "operator": _("Total")}, TOTAL),
        ]:
            cells = tuple(Text(figure_cell(k, figure.get(k))) for _t, k in FIGURE_COLUMNS)
            rows.append((cells, key))
        refill(self.query_one("#shift-figures", DataTable), rows)

    def _notify(self, raised: list[Alert], now: datetime) -> None:
        if len(raised) > NOTIFY_ONE_BY_ONE:
            self.notify(
                ngettext(
                    "{n} new alert: see Alerts.", "{n} new alerts: see Alerts.", len(raised)
                ).format(n=len(raised)),
                title=_("Alerts"),
                severity="warning",
                markup=False,
            )
            return
        for alert in raised:
            self.notify(alert_text(alert, now), title=_("Alert"), severity="warning", markup=False)

    def action_toggle_intervals(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        showing = "shift-figures" if switcher.current == "shift-intervals" else "shift-intervals"
        switcher.current = showing
        self.query_one(
            "#shift-figures" if showing == "shift-figures" else "#interval-table"
        ).focus()

    # --- notices (supervisors) ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new_notice", "end_notice"):
            return can(self.context.operator.role, "shift")  # trainers watch only
        return True

    def action_new_notice(self) -> None:
        from agent_console.screens.shift_notices import NoticeDialog

        self.app.push_screen(NoticeDialog(self.context), self._notice_put_up)

    def _notice_put_up(self, notice_id: int | None) -> None:
        if notice_id is not None:
            self.notify(_("Notice {id} is up on every console.").format(id=notice_id))
            self.tick()

    def action_end_notice(self) -> None:
        from agent_console.screens.shift_notices import EndNoticeDialog

        if not self._notices:
            self.notify(_("No notice is in force."), severity="warning")
            return
        self.app.push_screen(EndNoticeDialog(self.context, self._notices), self._notice_ended)

    def _notice_ended(self, notice_id: int | None) -> None:
        if notice_id is not None:
            self.notify(_("Notice {id} ended on every console.").format(id=notice_id))
            self.tick()

    # --- drill-down ------------------------------------------------------------------------

    @on(DataTable.CellSelected, "#shift-figures")
    def _figure_chosen(self, event: DataTable.CellSelected) -> None:
        operator = event.cell_key.row_key.value
        figure = FIGURE_COLUMNS[event.coordinate.column][1]
        self._drill_down(figure, None if operator == TOTAL else operator)

    @on(DataTable.RowSelected, "#shift-floor")
    def _operator_chosen(self, event: DataTable.RowSelected) -> None:
        self._drill_down("contacts", event.row_key.value)

    @on(DataTable.RowSelected, "#shift-alerts")
    def _alert_chosen(self, event: DataTable.RowSelected) -> None:
        # An operator's alert opens their contacts today (what they handled before the one
        # that runs long); a contact waiting past its target has nothing to replay yet.
        alert = self._alerts.get(str(event.row_key.value))
        if alert is None:
            return
        if alert.operator is not None:
            self._drill_down("contacts", alert.operator)
        else:
            self.notify(
                _("Contact {id} is still waiting: nobody has taken it yet.").format(
                    id=alert.contact_id
                ),
                title=_(ALERT_NAMES[alert.kind]),
                markup=False,
            )

    def _drill_down(self, figure: str, operator: str | None) -> None:
        from agent_console.screens.shift_contacts import ShiftContactsScreen

        contacts = contacts_behind(self._contacts, figure, operator)
        title = _("{who}: {what} today ({n})").format(
            who=operator or _("All operators"), what=_(behind(figure).label), n=len(contacts)
        )
        self.app.push_screen(ShiftContactsScreen(self.context, title, contacts))
