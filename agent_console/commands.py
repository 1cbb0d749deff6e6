"""Command palette: every binding of the screen in front is also a command."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ScreenBindingCommands(Provider):
    """Offers the front screen's bindings, only those its check_action allows now."""

    def _commands(self):
        screen = self.screen
        seen = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or not active.enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            yield binding, partial(active.node.run_action, binding.action)

    async def discover(self) -> Hits:
        for binding, run in self._commands():
            yield DiscoveryHit(binding.description, run, help=binding.tooltip)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for binding, run in self._commands():
            score = matcher.match(binding.description)
            if score > 0:
                yield Hit(score, matcher.highlight(binding.description), run, help=binding.tooltip)
