"""What makes a wrap-up complete enough to save, as one pure function.

The wrap-up form calls `validate` on ctrl+s and shows each message next to its field; nothing is
saved and nothing typed is lost while any message remains. Kept apart from the store and the UI
so the rules are tested without a database or a terminal, and so the time-boxed after-call-work
mode can decide for itself to save an incomplete wrap-up (it keeps what was typed as it is).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from agent_console.domain.codes import OUTCOMES, TOPICS, TRANSFER_TARGETS
from agent_console.i18n import _, format_number

NOTES_MAX_CHARS = 20_000
PROMOTION_ANSWERS = ("accepted", "declined", "not_offered")
TRANSFER_OUTCOME = "transferred"
CALLBACK_OUTCOME = "callback"


@dataclass(frozen=True, slots=True)
class WrapUpEntry:
    """What the operator typed into the wrap-up form: also the shape of a saved draft."""

    outcome: str | None = None
    topic: str | None = None
    transfer_target: str | None = None
    transfer_reason: str | None = None
    promotion: str | None = None
    promotion_reason: str | None = None
    notes: str = ""
    callback_at: str | datetime | None = None


def validate(entry: WrapUpEntry, now: datetime) -> dict[str, str]:
    """Field name -> what is wrong with it; empty when the wrap-up may be saved."""
    errors: dict[str, str] = {}
    if not entry.outcome:
        errors["outcome"] = _("Choose an outcome")
    elif entry.outcome not in OUTCOMES:
        errors["outcome"] = _("Choose an outcome from the list")
    if entry.topic and entry.topic not in TOPICS:
        errors["topic"] = _("Choose a topic from the list")
    if entry.outcome == TRANSFER_OUTCOME:
        if not entry.transfer_target:
            errors["transfer_target"] = _("Choose a transfer target")
        elif entry.transfer_target not in TRANSFER_TARGETS:
            errors["transfer_target"] = _("Transfer only to technical support or retention")
        if not _filled(entry.transfer_reason):
            errors["transfer_reason"] = _("Give the reason for the transfer")
    if entry.outcome == CALLBACK_OUTCOME:
        message = _callback_problem(entry.callback_at, now)
        if message:
            errors["callback_at"] = message
    if entry.notes and len(entry.notes) > NOTES_MAX_CHARS:
        errors["notes"] = _("Notes are too long: {length} characters, at most {limit}").format(
            length=format_number(len(entry.notes)), limit=format_number(NOTES_MAX_CHARS)
        )
    if entry.promotion is not None and entry.promotion not in PROMOTION_ANSWERS:
        errors["promotion"] = _("Choose accepted, declined or not offered")
    if entry.promotion == "not_offered" and not _filled(entry.promotion_reason):
        errors["promotion_reason"] = _("Say why the promotion was not offered")
    return errors


def parse_callback_at(value: str | datetime | None) -> datetime | None:
    """The callback time as an aware UTC datetime; None when empty. Raises ValueError when the
    text is not an ISO date and time. A time without a zone is taken as UTC: converting the
    operator's local time is the form's job."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _aware(value)
    text = value.strip()
    if not text:
        return None
    return _aware(datetime.fromisoformat(text))


def _callback_problem(value: str | datetime | None, now: datetime) -> str | None:
    try:
        when = parse_callback_at(value)
    except ValueError:
        return _("Give the callback time as YYYY-MM-DD HH:MM")
    if when is None:
        return _("Set the callback time")
    if when <= _aware(now):
        return _("The callback time is in the past")
    return None


def _filled(text: str | None) -> bool:
    return bool(text and text.strip())


def _aware(at: datetime) -> datetime:
    # The domain imports nothing from the rest of the package; this is clock.ensure_utc's rule.
    if at.tzinfo is None:
        return at.replace(tzinfo=UTC)
    return at.astimezone(UTC)
