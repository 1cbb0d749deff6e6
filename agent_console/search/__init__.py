"""Search over articles and scripts (SQLite FTS5 with Snowball stems). No UI imports.

Modules, from text to answer: `text` (normalising, stemming), `stopwords`, `synonyms`, `layout`
(wrong keyboard layout), `typos`, `vocabulary` (the index's words), `query` (the query plan),
`ranking`, `snippets`, `schema` and `writer` (the tables), `index` (`SearchIndex`).
"""

from agent_console.search.index import SearchIndex
from agent_console.search.results import Hit, SearchResult

__all__ = ["Hit", "SearchIndex", "SearchResult"]
