"""Sessions as files: export a stretch of work, redact it for teaching, import it elsewhere.

A session file is JSON Lines of events as in the event log (PRODUCT.md):
`{"id", "session_id", "contact_id", "operator", "at", "type", "payload"}`, in the order they
happened. An export makes each session self-contained, so it replays in another database:

- Its first line is a `session_started` event (id null, contact_id null) whose payload is
  `{"title", "source", "operator", "started", "ended"}` (times as the store writes them,
  ISO-8601 UTC with a Z; `ended` may be null).
- The first event of each contact (its `contact_accepted`) carries two snapshots beside what
  the live log wrote: `"contact": {"channel", "topic", "subject", "priority", "created",
  "customer_contract", "customer_name"}` and `"customer"`: the customer card `{"contract",
  "name", "city", "address", "phone", "email", "services": [...], "tariff", "since",
  "language", "district"}` (no "district" in files written before customers had one), or null
  for an unknown caller. Beside them, `"notices"`: the outage and planned-works notices in
  force when the contact was taken, each `{"city", "districts": [...], "streets": [{"street",
  "houses": [...]}], "text", "text_ru", "starts", "ends"}` (files written before have no
  "notices" and still import; practice then runs with none). A replay groups events by
  `contact_id` and draws the card from these, never from the database it runs in:
  `contacts_in(events)` gives them as the `Contact`, `Customer` and `Notice` records the live
  card shows (snapshots.py).
- `wrapup_saved` carries the saved form beside the live payload's times: `{"outcome", "talk_s",
  "hold_s", "acw_s", "topic", "transfer_target", "transfer_reason", "promotion",
  "promotion_reason", "notes", "callback_at"}`.

An event's `id` is its id where it was recorded (null on the header); an import does not keep
it, the order of the lines is the order of the events. An imported session is stored with the
source 'imported' ('sample' for the demo's), whatever its header says it was where it came from.

Contact ids in a file are the ids the contacts had where the session was recorded. An import
keeps them as they are, as names within the session: its events go to `session_events`, a
table without a foreign key to `contacts` (store/sessions.py), so they never collide with, or
claim to be, this database's contacts, and the live log never sees them.
"""

from agent_console.sessions.export import UnknownSession, export_lines, session_events
from agent_console.sessions.importer import import_sessions, read_sessions
from agent_console.sessions.redact import Redactor
from agent_console.sessions.snapshots import ContactSnapshot, contacts_in

__all__ = [
    "ContactSnapshot",
    "Redactor",
    "UnknownSession",
    "contacts_in",
    "export_lines",
    "import_sessions",
    "read_sessions",
    "session_events",
]
