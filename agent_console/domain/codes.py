"""Codes shared by the store, the demo data, the importers and the screens."""

from __future__ import annotations

from enum import StrEnum

from agent_console.i18n import N_, _, ui_language

# Display names (marked for the catalogs; `channel_label` and the like say them in the
# interface's language). The slugs are what the database, --json and CSV carry.
CHANNELS: dict[str, str] = {
    "phone": N_("Phone"),
    "chat": N_("Chat"),
    "email": N_("E-mail"),
    "social": N_("Social"),
}

# Time to first answer promised per channel. Phone and chat are answered live; the articles'
# 24-72 h for e-mail is the outer bound, the service target is the working day.
SLA_SECONDS: dict[str, int] = {
    "phone": 3 * 60,
    "chat": 5 * 60,
    "social": 60 * 60,
    "email": 24 * 60 * 60,
}

# Lower number = more urgent; the queue sorts on it first.
PRIORITIES: dict[int, str] = {1: N_("Urgent"), 2: N_("High"), 3: N_("Normal"), 4: N_("Low")}

# Topics and script categories are named in both content languages here rather than through the
# catalogs: the knowledge pane searches a topic's name in the content language, whatever the
# interface speaks.
TOPICS: dict[str, tuple[str, str]] = {
    "no_internet": ("No internet", "Нет интернета"),
    "slow_internet": ("Slow internet or Wi-Fi", "Низкая скорость, Wi-Fi"),
    "router": ("Router setup", "Настройка роутера"),
    "tv_no_signal": ("No TV signal", "Нет сигнала ТВ"),
    "set_top_box": ("Set-top box", "Приставка"),
    "channel_removed": ("Channel removed", "Убрали канал"),
    "fee_increase": ("Fee increase", "Повышение абонентской платы"),
    "billing": ("Billing and payments", "Оплата и баланс"),
    "tariff": ("Tariffs", "Тарифы"),
    "promotion": ("Digital TV 2.0 promotion", "Акция «Цифровое ТВ 2.0»"),
    "moving": ("Moving house", "Переезд"),
    "cancellation": ("Cancellation", "Расторжение договора"),
    "outage": ("Outage or planned works", "Авария, плановые работы"),
    "telephony": ("Home phone", "Домашний телефон"),
    "compensation": ("Compensation", "Компенсация"),
    "wish": ("Customer wish", "Пожелание"),
    "complaint": ("Complaint", "Жалоба"),
}

OUTCOMES: dict[str, str] = {
    "resolved": N_("Resolved"),
    "info_given": N_("Information given"),
    "transferred": N_("Transferred"),
    "callback": N_("Callback arranged"),
    "ended_profanity": N_("Ended after a profanity warning"),
    "ended_repeated": N_("Ended after a repeated-question warning"),
    "dropped": N_("Dropped"),
    # Recorded by the after-call-work mode, never chosen in the form:
    "timed_out": N_("Wrap-up timed out"),
    "skipped": N_("Wrap-up skipped"),
}
# Outcomes the operator chooses from; the last two are the after-call-work mode's.
CHOSEN_OUTCOMES = tuple(code for code in OUTCOMES if code not in ("timed_out", "skipped"))

# The customer's answer to the promotion, as a wrap-up records it.
PROMOTION_ANSWER_NAMES: dict[str, str] = {
    "accepted": N_("accepted"),
    "declined": N_("declined"),
    "not_offered": N_("not offered"),
}

# After-call work, as the big contact-center suites offer it: the form must be saved
# (mandatory), may be skipped with Esc (optional), or closes itself after a time (timeboxed).
ACW_MODES = ("mandatory", "optional", "timeboxed")

# Channels where the customer waits on the line: only these can be put on hold, and their
# time with the operator is talk time (a chat or an e-mail is handled, not talked).
VOICE_CHANNELS = ("phone",)

# The front line may hand a contact to these two lines only (DOMAIN.md: no "senior").
TRANSFER_TARGETS: dict[str, str] = {
    "tech_support": N_("Technical support"),
    "retention": N_("Retention team"),
}

# The script panel lists categories in the order a contact goes through them, under these
# names (English, Russian).
SCRIPT_CATEGORIES: dict[str, tuple[str, str]] = {
    "greeting": ("Greeting", "Приветствие"),
    "identification": ("Identification", "Идентификация"),
    "hold": ("Hold", "Удержание на линии"),
    "sensitive": ("Sensitive questions", "Деликатные вопросы"),
    "promotion": ("Promotion", "Акция"),
    "billing": ("Billing", "Оплата"),
    "router": ("Router", "Роутер"),
    "tv": ("TV", "Телевидение"),
    "outage": ("Outages", "Аварии"),
    "de-escalation": ("Calming down", "Снятие напряжения"),
    "warning": ("Warnings", "Предупреждения"),
    "transfer": ("Transfers", "Перевод"),
    "channel-chat-email": ("Chat and e-mail", "Чат и почта"),
    "closing": ("Closing", "Завершение"),
}
SCRIPT_CATEGORY_ORDER = tuple(SCRIPT_CATEGORIES)

ROLES = ("operator", "trainer", "supervisor")  # lowest first: each may do what the one before may

# The queues a contact waits in: the front line's, and the two it may be transferred to.
QUEUES = ("front", "tech_support", "retention")

CONTENT_STATUSES = ("draft", "approved", "retired")
# A version's states (issue 14): draft -> review -> approved -> retired; `kb import` may give any.
VERSION_STATUSES = ("draft", "review", "approved", "retired")
LANGUAGES = ("en", "ru")


class EventType(StrEnum):
    """Every action of a session is one of these rows in the event log."""

    CONTACT_CREATED = "contact_created"
    CONTACT_ACCEPTED = "contact_accepted"
    # The customer left the queue before anyone took the contact (hung up, closed the chat).
    CONTACT_ABANDONED = "contact_abandoned"
    # A contact in the hands of a console that died, put back at the head of its queue
    # (`contacts release`); the operator who had it is ready again.
    CONTACT_RELEASED = "contact_released"
    CONTACT_HELD = "contact_held"
    CONTACT_RESUMED = "contact_resumed"
    SCRIPT_SHOWN = "script_shown"
    SCRIPT_COPIED = "script_copied"
    SCRIPT_SAID = "script_said"
    # The operator took back their last use of a script (a wrong key): it no longer counts.
    SCRIPT_USE_UNDONE = "script_use_undone"
    ARTICLE_OPENED = "article_opened"
    SEARCH_MADE = "search_made"
    WARNING_GIVEN = "warning_given"
    TRANSFERRED = "transferred"
    CONTACT_ENDED = "contact_ended"
    WRAPUP_SAVED = "wrapup_saved"
    STATE_CHANGED = "state_changed"
    PROMOTION_OFFERED = "promotion_offered"
    DIALOGUE = "dialogue"
    # A contact that came without a contract was given its customer: the caller recognised
    # by their address when taken, picked among several, or found by a search in the card.
    CUSTOMER_IDENTIFIED = "customer_identified"
    # The first line of an exported session: its title, source, operator and times, so that
    # the file replays in another database (agent_console/sessions/).
    SESSION_STARTED = "session_started"


EVENT_TYPES = tuple(t.value for t in EventType)

# How a contact's customer was identified (the CUSTOMER_IDENTIFIED event's `how`).
IDENTIFIED_HOW = ("recognised", "picked", "searched")

# An account's state in billing, as the card says it; "active" is not said at all.
ACCOUNT_STATUSES = {
    "active": N_("Active"),
    "blocked_nonpayment": N_("Blocked for non-payment"),
    "blocked": N_("Blocked"),
    "suspended": N_("Suspended"),
    "closed": N_("Contract closed"),
    "terminated": N_("Contract terminated"),
}


def account_status_label(code: str) -> str:
    """A billing status in words; one the console does not know, made readable
    ("on_hold_by_request" → "On hold by request")."""
    return _said(ACCOUNT_STATUSES, code)


def channel_label(code: str) -> str:
    return _said(CHANNELS, code)


def outcome_label(code: str | None) -> str:
    """An outcome's name ("—" for none)."""
    return _said(OUTCOMES, code) if code else "—"


def transfer_label(code: str | None) -> str:
    """A transfer target's name ("—" for none)."""
    return _said(TRANSFER_TARGETS, code) if code else "—"


def promotion_label(code: str | None) -> str:
    """The customer's answer to the promotion ("—" for none)."""
    return _said(PROMOTION_ANSWER_NAMES, code) if code else "—"


def priority_label(priority: int) -> str:
    label = PRIORITIES.get(priority)
    return _(label) if label is not None else str(priority)


def _said(names: dict[str, str], code: str) -> str:
    """The name of `code` in the interface's language; a code the console does not know, made
    readable (a slug never reaches the screen as it is)."""
    label = names.get(code)
    return _(label) if label is not None else _readable(code)


def _readable(code: str) -> str:
    readable = code.replace("-", " ").replace("_", " ").strip()
    return readable[:1].upper() + readable[1:]


def topic_label(code: str | None, language: str | None = None) -> str:
    """A topic's name in `language` (None: the interface's)."""
    return _label(TOPICS, code, language or ui_language())


def category_label(code: str | None, language: str = "en") -> str:
    """A script category's name; an imported category the console does not know is shown
    as its code made readable ("after-sales" → "After sales")."""
    return _label(SCRIPT_CATEGORIES, code, language)


def _label(names: dict[str, tuple[str, str]], code: str | None, language: str) -> str:
    if not code:
        return ""
    labels = names.get(code)
    if labels is None:
        return _readable(code)
    return labels[1] if language == "ru" else labels[0]
