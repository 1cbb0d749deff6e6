"""Search over articles and scripts (SQLite FTS5). No UI imports."""

from agent_console.search.index import Hit, SearchIndex, SearchResult

__all__ = ["Hit", "SearchIndex", "SearchResult"]
