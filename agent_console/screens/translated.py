"""Keys in the interface's language.

A binding's description and tooltip are class-level strings, written before any language is
chosen (marked with `N_`). Every place that shows them — the footer, F1, the command palette —
reads the screen's `active_bindings`, so that is where they are translated: the language in
force when they are shown is the one they are shown in, and a switch needs no more than the
footer made again (`refresh_bindings`).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from textual.binding import ActiveBinding, Binding

from agent_console.i18n import _, ui_language


@lru_cache(maxsize=1024)
def translated_binding(binding: Binding, language: str) -> Binding:
    """`binding` with its description and tooltip in `language` (the one in force: the cache
    is keyed on it, so a switch never serves the old language's words)."""
    return replace(
        binding,
        description=_(binding.description) if binding.description else binding.description,
        tooltip=_(binding.tooltip) if binding.tooltip else binding.tooltip,
    )


class TranslatedBindings:
    """Mixed into a Screen (before it): its active bindings as the interface's language says
    them."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        active: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        language = ui_language()
        shown = {}
        for key, (node, binding, enabled, tooltip) in active.items():
            said = translated_binding(binding, language)
            shown[key] = ActiveBinding(node, said, enabled, _(tooltip) if tooltip else tooltip)
        return shown
