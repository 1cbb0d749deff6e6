"""What a screen needs to do its work, handed to it when it is made.

Screens never read data from the app: the console builds one `ConsoleContext` around the live
database, and practice builds another around its throwaway copy under the trainee's login. A
screen made with the practice context cannot write to the live record, because it has no way
to reach it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import tzinfo
from functools import cached_property
from typing import TYPE_CHECKING

from agent_console.clock import Clock
from agent_console.config import Config
from agent_console.domain import Operator
from agent_console.domain.language import script_language
from agent_console.i18n import UI_LANGUAGES
from agent_console.store import Store
from agent_console.timezones import zone_for

if TYPE_CHECKING:
    from agent_console.curation import Curation
    from agent_console.search import SearchIndex


def interface_language(config: Config, operator: Operator | None) -> str:
    """`ui_language` from the config (file, environment, --ui-language), else the language on
    the operator's record when the interface speaks it, else English."""
    if config.ui_language is not None:
        return config.ui_language
    if operator is not None and operator.language in UI_LANGUAGES:
        return operator.language
    return "en"


COMPANY_NAME = {"en": "Volna Telecom", "ru": "Волна Телеком"}
PROMOTION_NAME = {"en": "Digital TV 2.0", "ru": "Цифровое ТВ 2.0"}


@dataclass(frozen=True)
class ConsoleContext:
    """The store, the clock, the config and the operator a screen works with."""

    store: Store
    config: Config
    operator: Operator
    clock: Clock

    @classmethod
    def live(cls, store: Store, config: Config, clock: Clock | None = None) -> ConsoleContext:
        """The console's own database under the configured operator."""
        operator = store.people.operator(config.operator) or Operator(
            config.operator, config.operator
        )
        return cls(store=store, config=config, operator=operator, clock=clock or store.clock)

    def for_practice(self, store: Store, trainee: Operator) -> ConsoleContext:
        """The same console over a practice copy, acting under the trainee's login."""
        return replace(self, store=store, operator=trainee)

    @property
    def language(self) -> str:
        """The content language of scripts and articles."""
        return self.config.language

    @property
    def ui_language(self) -> str:
        """The interface's language: the configured one, else the operator's own (their
        record), else English."""
        return interface_language(self.config, self.operator)

    def script_language(self, customer_language: str | None) -> str:
        """The language of the scripts for a customer who speaks `customer_language` (None: no
        customer on record): theirs when this operator works in it, else the content language
        (domain/language.py)."""
        return script_language(customer_language, self.operator.language, self.language)

    @cached_property
    def timezone(self) -> tzinfo:
        """The operator's time zone: wall-clock times (a callback) are typed and shown in it;
        the store keeps UTC. The configured one, or the system's."""
        return zone_for(self.config.timezone)

    @cached_property
    def search_index(self) -> SearchIndex:
        """The search index over this context's store, opened on first use (importing the
        search costs start-up time the first screen does not need to pay). With the semantic
        extra it can fuse in the articles' vectors (`search(..., dense=True)`); the model is
        loaded by the first question that needs it."""
        from agent_console.search import SearchIndex
        from agent_console.search.semantic import console_vectors

        return SearchIndex(self.store, vectors=console_vectors(self.store))

    @cached_property
    def curation(self) -> Curation:
        """Scripts and articles as versions: the Content mode's actions, and the approvals
        given for a later time brought in force."""
        from agent_console.curation import Curation

        return Curation(self.store, self.search_index)

    def placeholder_values(self, language: str | None = None) -> dict[str, str | None]:
        """Values for script placeholders that do not depend on a contact."""
        language = language or self.language
        return {
            "operator.name": self.operator.name_in(language),
            "operator.first_name": self.operator.first_name_in(language),
            "company.name": COMPANY_NAME.get(language, COMPANY_NAME["en"]),
            "promo.name": PROMOTION_NAME.get(language, PROMOTION_NAME["en"]),
        }

    @property
    def promotion_name(self) -> str:
        return PROMOTION_NAME.get(self.language, PROMOTION_NAME["en"])
