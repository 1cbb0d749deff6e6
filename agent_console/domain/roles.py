"""Who may do what in the console: three roles, each one everything the one below may do and more.

An operator works contacts; a trainer also replays sessions, runs practice and curates content;
a supervisor may do everything, the shift view included. Pure: the console asks `can` before it
opens a mode or runs a key, and says `role_needed` when it refuses.
"""

from __future__ import annotations

from typing import Final

from agent_console.domain.codes import ROLES
from agent_console.i18n import N_, _, pgettext

# What the console lets a person do, by the mode or the key it opens.
# "floor": watching the Shift mode (trainers may); "shift": acting in it (supervisors).
CAPABILITIES: Final = ("work", "replay", "practice", "content", "floor", "shift")

_ALLOWED: Final[dict[str, frozenset[str]]] = {
    "operator": frozenset({"work"}),
    "trainer": frozenset({"work", "replay", "practice", "content", "floor"}),
    "supervisor": frozenset(CAPABILITIES),
}


def can(role: str, capability: str) -> bool:
    """True when someone of this role may use this capability; an unknown role may do nothing,
    an unknown capability is a programming error (ValueError)."""
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability!r}")
    return capability in _ALLOWED.get(role, frozenset())


def role_needed(capability: str) -> str:
    """The lowest role that may use this capability ("trainer" for "replay")."""
    for role in ROLES:  # lowest first
        if can(role, capability):
            return role
    raise AssertionError(f"no role may use {capability!r}")  # pragma: no cover - supervisor can


# What each capability is called when the console refuses it.
CAPABILITY_NAMES: Final[dict[str, str]] = {
    "work": N_("The work screen"),
    "replay": N_("Replaying sessions"),
    "practice": N_("Practice"),
    "content": N_("Curating content"),
    "floor": N_("The shift view"),
    "shift": N_("Acting in the shift view"),
}

# Who may use a capability, by the lowest role that may: "for trainers and supervisors".
_WHO: Final[dict[str, str]] = {
    "operator": N_("everyone"),
    "trainer": N_("trainers and supervisors"),
    "supervisor": N_("supervisors"),
}


def role_name(role: str) -> str:
    """`role` as a person reads it, in the interface's language (the slug stays in the database
    and in the command line's arguments); one the console does not know, as it is. In a context
    of its own: "operator" is also a counted noun."""
    names = {
        "operator": pgettext("role", "operator"),
        "trainer": pgettext("role", "trainer"),
        "supervisor": pgettext("role", "supervisor"),
    }
    return names.get(role, role)


def who_may(capability: str) -> str:
    """Who may use `capability`, as a person reads it: "trainers and supervisors"."""
    return _(_WHO[role_needed(capability)])


def refusal(role: str, capability: str) -> str:
    """Why someone of `role` may not use `capability`, naming the role it needs."""
    needed = role_needed(capability)
    return _(
        "{what} is for {who}: you are signed in as {article} {role}. A supervisor can give you"
        " the {needed} role (agent-console operators role LOGIN {slug})."
    ).format(
        what=_(CAPABILITY_NAMES[capability]),
        who=who_may(capability),
        # English's article before the role; a language without articles leaves {article} out.
        article="an" if role[:1] in "aeiou" else "a",
        role=role_name(role),
        needed=role_name(needed),
        slug=needed,
    )
