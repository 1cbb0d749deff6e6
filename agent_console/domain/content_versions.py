"""Scripts and articles as versions: their states, which one is in force, and what a reviewer
may do next. Pure: the store keeps the rows (store/versions.py), this decides.

States: draft -> review -> approved -> retired. A draft may be approved directly (an import
with `"status": "draft"` then `kb approve`), a version in review may be sent back to draft.
Operators see the approved version in force: the newest approved version whose `in_force_from`
has come. An older approved version is then superseded: shown as retired.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from agent_console.domain.models import Article, Refusal, Script

DRAFT, REVIEW, APPROVED, RETIRED = "draft", "review", "approved", "retired"
KINDS = ("article", "script")

# What each action takes a version from, and to.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((DRAFT,), REVIEW),
    "send_back": ((REVIEW,), DRAFT),
    "approve": ((DRAFT, REVIEW), APPROVED),
}


class ContentError(Refusal, ValueError):
    """A request the content's rules refuse; the message names the item and why."""


@dataclass(frozen=True, slots=True)
class ContentVersion:
    kind: str  # "article" | "script"
    item_id: str
    version: int
    status: str
    title: str
    body: str
    author: str
    at: datetime
    comment: str = ""
    tags: tuple[str, ...] = ()
    category: str = ""
    language: str = "en"
    topic: str | None = None
    stage: str | None = None
    in_force_from: datetime | None = None

    def as_item(self) -> Article | Script:
        """The version as operators get it: an Article or a Script, its status approved."""
        if self.kind == "article":
            return Article(
                self.item_id,
                self.title,
                self.body,
                self.tags,
                self.language,
                APPROVED,
                self.version,
                self.topic,
            )
        return Script(
            self.item_id,
            self.title,
            self.body,
            self.category,
            self.language,
            APPROVED,
            self.version,
            self.topic,
            self.stage,
        )

    def same_text(self, other: ContentVersion) -> bool:
        """True when the two say the same (the bookkeeping aside): importing the same again
        makes no new version."""
        return self.text_fields() == other.text_fields()

    def text_fields(self) -> tuple[object, ...]:
        return (
            self.kind, self.item_id, self.title, self.body, self.tags, self.category,
            self.language, self.topic, self.stage,
        )  # fmt: skip


def version_from_item(
    item: Article | Script, version: int, author: str, at: datetime, comment: str = ""
) -> ContentVersion:
    """An imported Article or Script as a new version (its status as the import gave it)."""
    if isinstance(item, Article):
        return ContentVersion(
            "article", item.id, version, item.status, item.title, item.body, author, at,
            comment, tags=item.tags, language=item.language, topic=item.topic,
        )  # fmt: skip
    return ContentVersion(
        "script", item.id, version, item.status, item.title, item.body, author, at, comment,
        category=item.category, language=item.language, topic=item.topic, stage=item.stage,
    )  # fmt: skip


def in_force(versions: Iterable[ContentVersion], now: datetime) -> ContentVersion | None:
    """The version operators see at `now`: the newest approved one whose time has come."""
    due = [
        v
        for v in versions
        if v.status == APPROVED and v.in_force_from is not None and v.in_force_from <= now
    ]
    return max(due, key=lambda v: v.version, default=None)


def shown_status(version: ContentVersion, current: ContentVersion | None) -> str:
    """A version's state as a reviewer reads it: an approved version older than the one in
    force is superseded, so retired; one approved for later stays approved (scheduled)."""
    if version.status == APPROVED and current is not None and version.version < current.version:
        return RETIRED
    return version.status


def next_status(action: str, version: ContentVersion) -> str:
    """The state `action` takes this version to; ContentError when the rules refuse."""
    sources, target = TRANSITIONS[action]
    if version.status not in sources:
        raise ContentError(
            f"{version.kind} {version.item_id!r} version {version.version} is {version.status};"
            f" only a version that is {' or '.join(sources)} can be"
            f" {'sent back' if action == 'send_back' else action + 'd'}"
        )
    return target
