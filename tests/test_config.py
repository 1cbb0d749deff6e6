"""The binding ids the config's [keymap] accepts are the ones the screens define."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import agent_console
from agent_console.binding_ids import BINDING_IDS


# --- the binding ids ------------------------------------------------------------------------------


def binding_ids_in_the_code() -> dict[str, str]:
    """Every binding id in the BINDINGS of a class of the package: id -> the class."""
    from textual.binding import Binding
    from textual.dom import DOMNode

    found: dict[str, str] = {}
    for module in pkgutil.walk_packages(agent_console.__path__, "agent_console."):
        if module.name == "agent_console.__main__":
            continue
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if cls.__module__ == module.name and issubclass(cls, DOMNode):
                for binding in cls.__dict__.get("BINDINGS", []):
                    if isinstance(binding, Binding) and binding.id:
                        found.setdefault(binding.id, cls.__qualname__)
    return found


def test_the_binding_ids_of_the_config_are_those_of_the_screens():
    in_code = binding_ids_in_the_code()
    assert {"work.accept_next", "replay.toggle", "score.save", "app.help"} <= set(in_code)
    assert set(in_code) - BINDING_IDS == set(), "add these to agent_console/binding_ids.py"
    assert BINDING_IDS - set(in_code) == set(), "no binding has these ids any more"
