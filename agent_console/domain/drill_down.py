"""The contacts behind a figure: what a supervisor sees on Enter in the Shift view's figures.

Pure, over the contacts the figures counted (`ShiftFigures(keep_contacts=True).contacts`), so
the list is exactly what the figure was made of. A count lists the contacts it counts (the
transfers to retention, the early endings); a share lists what keeps it from 100 % (the
contacts past their service-level target, those without the approved greeting and closing);
an average lists every contact, the longest first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from agent_console.domain.codes import CHANNELS
from agent_console.domain.figures import ContactFigures
from agent_console.i18n import N_

Test = Callable[[ContactFigures], bool]


@dataclass(frozen=True, slots=True)
class Behind:
    """What a figure lists: `label` says it (translated where shown), `test` picks the contacts,
    `longest` orders them by that time, the longest first (else as they were wrapped up)."""

    label: str
    test: Test
    longest: str | None = None


def _all(contact: ContactFigures) -> bool:
    return True


_BEHIND: dict[str, Behind] = {
    "contacts": Behind(N_("contacts"), _all),
    "talk_s_avg": Behind(N_("contacts, the longest talk first"), _all, "talk_s"),
    "hold_s_avg": Behind(N_("contacts, the longest hold first"), _all, "hold_s"),
    "acw_s_avg": Behind(N_("contacts, the longest after-call work first"), _all, "acw_s"),
    "handle_s_avg": Behind(N_("contacts, the longest handle time first"), _all, "handle_s"),
    "transfers_tech_support": Behind(
        N_("transfers to technical support"), lambda c: c.transfer == "tech_support"
    ),
    "transfers_retention": Behind(
        N_("transfers to retention"), lambda c: c.transfer == "retention"
    ),
    "promotion_offered": Behind(
        N_("contacts offered the promotion"), lambda c: c.promotion in ("accepted", "declined")
    ),
    "promotion_accepted": Behind(
        N_("contacts that accepted the promotion"), lambda c: c.promotion == "accepted"
    ),
    "ended_early": Behind(N_("contacts ended early after a warning"), lambda c: c.ended_early),
    "wording_share": Behind(
        N_("contacts without the approved greeting and closing"),
        lambda c: not (c.greeting and c.closing),
    ),
    "service_level": Behind(
        N_("contacts taken past their service-level target"), lambda c: c.within_target is False
    ),
}


def _of_channel(channel: str) -> Test:
    return lambda contact: contact.channel == channel


def _late_of_channel(channel: str) -> Test:
    return lambda contact: contact.channel == channel and contact.within_target is False


for _channel in CHANNELS:
    _BEHIND[f"contacts_{_channel}"] = Behind(N_("contacts"), _of_channel(_channel))
    _BEHIND[f"service_level_{_channel}"] = Behind(
        N_("contacts taken past their service-level target"), _late_of_channel(_channel)
    )
for _share_of in ("transfers_tech_support", "transfers_retention"):
    _BEHIND[f"{_share_of}_share"] = _BEHIND[_share_of]
for _share_of in ("promotion_offered", "promotion_accepted"):
    _BEHIND[f"{_share_of}_share"] = _BEHIND[_share_of]
ABANDONED = Behind(N_("abandoned contacts"), lambda c: c.abandoned)
# Any other figure (occupancy, breaks, the operator's name) lists their contacts.
EVERY = _BEHIND["contacts"]


def behind(figure: str) -> Behind:
    """What the figure `figure` (a figures row's key) lists."""
    if figure == "abandoned":
        return ABANDONED
    return _BEHIND.get(figure, EVERY)


def contacts_behind(
    contacts: Iterable[ContactFigures], figure: str, operator: str | None = None
) -> list[ContactFigures]:
    """The contacts behind `figure` in `operator`'s row (None: the total's)."""
    what = behind(figure)
    found = [
        c
        for c in contacts
        if (operator is None or c.operator == operator)
        and c.abandoned == (what is ABANDONED)
        and what.test(c)
    ]
    longest = what.longest
    if longest is not None:
        found.sort(key=lambda c: float(getattr(c, longest)), reverse=True)
    return found
