"""All SQL of agent-console lives below this package (the search index aside). No UI imports."""

from agent_console.store.connection import transaction
from agent_console.store.migrations import SCHEMA_VERSION, SchemaTooNewError, schema_version
from agent_console.store.store import Store

__all__ = ["SCHEMA_VERSION", "SchemaTooNewError", "Store", "schema_version", "transaction"]
