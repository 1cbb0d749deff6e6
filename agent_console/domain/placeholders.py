"""Filling an approved script's placeholders: `{customer.name}`,
`{operator.first_name|colleague}`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from agent_console.i18n import N_, _

if TYPE_CHECKING:
    from agent_console.domain.models import Customer

PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)+)(?:\|([^{}]*))?\}")


# What the operator is asked for when a placeholder has no value.
LABELS = {
    "customer.name": N_("Customer's name"),
    "customer.first_name": N_("Customer's first name"),
    "customer.contract": N_("Contract number"),
    "customer.city": N_("Customer's city"),
    "customer.phone": N_("Customer's phone"),
    "customer.tariff": N_("Customer's tariff"),
    "operator.name": N_("Your name"),
    "operator.first_name": N_("Your first name"),
    "company.name": N_("Company name"),
    "promo.name": N_("Promotion name"),
}


def customer_values(customer: Customer) -> dict[str, str | None]:
    """The `customer.*` placeholder values of a customer card (a `Customer`)."""
    return {
        "customer.name": customer.name,
        "customer.first_name": customer.first_name,
        "customer.contract": customer.contract,
        "customer.city": customer.city,
        "customer.phone": customer.phone,
        "customer.tariff": customer.tariff,
    }


def label(name: str) -> str:
    """`customer.contract` → "Contract number"; an unknown placeholder is shown as it is named."""
    known = LABELS.get(name)
    return _(known) if known else name.replace("_", " ").replace(".", " · ").capitalize()


@dataclass(frozen=True, slots=True)
class Filled:
    text: str
    # Placeholders that had neither a value nor a fallback; shown as ‹name› in `text`.
    missing: tuple[str, ...] = ()


def fill(template: str, values: dict[str, str | None]) -> Filled:
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name, fallback = match.group(1), match.group(2)
        value = values.get(name)
        if value:
            return value
        if fallback is not None:
            return fallback
        missing.append(name)
        return f"‹{name}›"

    return Filled(PLACEHOLDER.sub(replace, template), tuple(dict.fromkeys(missing)))
