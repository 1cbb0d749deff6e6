"""Which approved phrasings fit the contact in hand now: the script panel lists them first.

A contact moves through stages that the event log already tells apart: nothing said yet
(greet and identify), the customer's question (the topic's scripts, and the promotion every
customer must be offered, DOMAIN.md), and the end (anything else? then the closing line).
Pure: the caller passes the state, the contact and the hour of the day.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass
from datetime import datetime

from agent_console.domain.lifecycle import IN_CONTACT, ON_HOLD, OperatorState, script_slug
from agent_console.domain.models import Contact, Script

MAX_SUGGESTED = 5
TOPIC_SCRIPTS = 3

GREETINGS = (
    "greeting-morning",
    "greeting-afternoon",
    "greeting-evening",
    "greeting-after-queue",
    "greeting-chat",
    "greeting-returning",
    "email-reply-opening",
)
PROMOTION_OFFER = "promo-offer"
ANYTHING_ELSE = "closing-anything-else"
CLOSING_BY_CHANNEL = {
    "phone": "closing-standard",
    "chat": "chat-closing",
    "social": "chat-closing",
    "email": "closing-email-signoff",
}


@dataclass(frozen=True, slots=True)
class ContactContext:
    """What the suggestions need to know about the contact beyond the event log."""

    contact: Contact
    local_time: datetime  # the operator's wall clock, for good morning / good evening
    returning: bool = False  # the customer was in touch recently
    outage: bool = False  # the customer's address is in a notice's affected area


def greeting_for(context: ContactContext) -> str:
    contact = context.contact
    if contact.channel == "email":
        return "email-reply-opening"
    if contact.channel in ("chat", "social"):
        return "greeting-chat"
    if contact.claimed_at is not None and contact.claimed_at > contact.sla_due:
        return "greeting-after-queue"  # they waited past the answer time: thank them first
    if context.returning:
        return "greeting-returning"
    hour = context.local_time.hour
    return (
        "greeting-morning"
        if hour < 12
        else "greeting-afternoon"
        if hour < 18
        else "greeting-evening"
    )


def identification_for(contact: Contact) -> str:
    if contact.customer_contract:
        return "ident-confirm-name"
    return "chat-ask-contract" if contact.channel in ("chat", "social") else "ident-ask-contract"


# Scripts of these stages do not answer the customer's question: using them does not bring
# the closing line forward.
PRELIMINARY_STAGES = ("opening", "identification", "hold", "warning")


def suggested_slugs(
    state: OperatorState,
    context: ContactContext,
    topic_slugs: Iterable[str],
    preliminary: Set[str] = frozenset(),
) -> list[str]:
    """The slugs to suggest now, most pressing first (not filtered by what exists).
    `preliminary` are the slugs of greeting, identification, hold and warning scripts."""
    if state.contact_id is None or state.state not in (IN_CONTACT, ON_HOLD):
        return []
    used = set(state.scripts_used)
    if not used & set(GREETINGS):
        return [greeting_for(context), identification_for(context.contact)]
    wanted: list[str] = []
    if context.outage:
        wanted.append("outage-city")
    wanted.extend([slug for slug in topic_slugs if slug not in used][:TOPIC_SCRIPTS])
    if state.promotion is None and PROMOTION_OFFER not in used:
        wanted.append(PROMOTION_OFFER)
    answered = (
        bool(used - set(GREETINGS) - preliminary)
        or bool(state.articles_opened)
        or (state.promotion is not None)
    )
    if answered:
        if ANYTHING_ELSE not in used:
            wanted.append(ANYTHING_ELSE)
        else:
            wanted.insert(0, CLOSING_BY_CHANNEL.get(context.contact.channel, "closing-standard"))
    return [slug for slug in dict.fromkeys(wanted) if slug not in used]


def suggested_scripts(
    scripts: Iterable[Script], state: OperatorState, context: ContactContext
) -> list[Script]:
    """The approved scripts to offer first for the contact in hand, at most MAX_SUGGESTED."""
    by_slug = {script_slug(script.id): script for script in scripts}
    topic = context.contact.topic
    topic_slugs = [
        slug
        for slug, script in by_slug.items()
        if topic and script.topic == topic and script.stage != "promotion"
    ]
    preliminary = {slug for slug, script in by_slug.items() if script.stage in PRELIMINARY_STAGES}
    found = [
        by_slug[slug]
        for slug in suggested_slugs(state, context, topic_slugs, preliminary)
        if slug in by_slug
    ]
    return found[:MAX_SUGGESTED]
