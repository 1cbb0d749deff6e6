"""An operator's flag on what they were shown: the knowledge pane (an open article) and the
script panel (the highlighted script) post `FlagRequested`; the work screen asks what is wrong
and stores it for the trainers (the Content mode lists flagged items)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class FlagRequested(Message):
    """The operator wants to flag this item, in this version, as wrong or outdated."""

    kind: str  # "article" | "script"
    item_id: str
    version: int | None
    title: str
