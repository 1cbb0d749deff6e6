"""The domain: plain dataclasses and the vocabulary of a support shift. No IO, no UI."""

from agent_console.domain.codes import (
    CHANNELS,
    EVENT_TYPES,
    OUTCOMES,
    PRIORITIES,
    ROLES,
    SLA_SECONDS,
    TOPICS,
    TRANSFER_TARGETS,
    EventType,
    topic_label,
)
from agent_console.domain.models import (
    Article,
    Contact,
    Customer,
    Event,
    HistoryEntry,
    Notice,
    Operator,
    Refusal,
    Script,
    StreetScope,
)

__all__ = [
    "CHANNELS",
    "EVENT_TYPES",
    "OUTCOMES",
    "PRIORITIES",
    "ROLES",
    "SLA_SECONDS",
    "TOPICS",
    "TRANSFER_TARGETS",
    "Article",
    "Contact",
    "Customer",
    "Event",
    "EventType",
    "HistoryEntry",
    "Notice",
    "Operator",
    "Refusal",
    "Script",
    "StreetScope",
    "topic_label",
]
