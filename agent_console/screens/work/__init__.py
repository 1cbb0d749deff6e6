"""The work screen (see `base.py` for how it is put together)."""

from agent_console.screens.work.knowledge import SEARCH_LIMIT
from agent_console.screens.work.screen import WorkScreen

__all__ = ["SEARCH_LIMIT", "WorkScreen"]
