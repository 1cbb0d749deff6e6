"""Command palette: the front screen's keys and its own product commands.

Every binding of the screen in front (that its `check_action` allows now) is a command, so the
palette and F1 never disagree. A screen adds commands that have no key of their own — a break
with its reason, say — by defining `palette_commands()`; a binding whose id is in the screen's
`PALETTE_HIDDEN` (the nine number keys, say) stays out of the palette.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class PaletteCommand:
    name: str
    help: str
    run: Callable[[], object]


class ScreenBindingCommands(Provider):
    """Offers the front screen's bindings and product commands, only those allowed now."""

    def _commands(self) -> Iterator[PaletteCommand]:
        screen = self.screen
        hidden: frozenset[str] = getattr(screen, "PALETTE_HIDDEN", frozenset())
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            # Only the product's own keys (they carry an id); a focused widget's scrolling keys
            # are not commands an operator looks for.
            if (
                not binding.description
                or not binding.id
                or binding.id in hidden
                or not active.enabled
                or binding.action in seen
            ):
                continue
            seen.add(binding.action)
            yield PaletteCommand(
                binding.description,
                binding.tooltip,
                partial(self.app.run_action, binding.action, active.node),
            )
        extra = getattr(screen, "palette_commands", None)
        if extra is not None:
            yield from extra()

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, help=command.help)
