"""The work screen's keys and its help page (F1): what the operator reads about the screen."""

from __future__ import annotations

from typing import Final

from textual.binding import Binding, BindingType

from agent_console.i18n import N_

WORK_HELP: Final = N_("""\
## Work

**The queue** (left, top) lists waiting contacts, most urgent first and then longest waiting.
*Waiting* ticks every second; *SLA left* turns amber when a third of the channel's answer time
is left and red once it is breached. New contacts appear by themselves.

**Take a contact** with `a` (the next one) or `Enter` on a row. The customer's card and their
earlier contacts appear below the queue; `Enter` on a history row opens it.

**During a contact**: `h` holds and resumes (hold time is counted apart from talk time);
`p` and `r` give the approved profanity and repeated-question warnings; `e` ends the contact,
and after a warning `x` ends it early with that outcome. The wrap-up opens when it ends.

**Breaks**: `b` from the ready state (10-minute break, training, technical problem); `b` again
to come back. A break over its length turns red.

**Scripts** (right, top) are the approved phrasings in the customer's language when you work in
it, else in your content language, filled in with your name and the customer's details.
During a contact the ones that fit its stage come first
(*Suggested now*: the greeting, the topic's answers, the promotion until it is offered, the
closing line). `1`…`9` use the suggested script with that number: on a call the key marks it
said, in a chat or e-mail it copies it; a number stays with its script while it is suggested.
`u` takes back the last use (a wrong key). `s` marks the highlighted script said, `c` copies
it, `+` adds it to a reply that `c` then copies whole (`Backspace` drops the last part). A value
the console does not have (a caller without a contract) is asked for once and kept for the
contact. The promotion reminder stays until `o` records the customer's answer. **Knowledge**
(`/`) searches articles and scripts as you type; `Enter` opens an article, `Esc` goes back to
the results.
""")

# Each number key's own description, whole, for the catalogs (F1 lists them one by one).
USE_SCRIPT_N: Final = (
    N_("Use script 2"),
    N_("Use script 3"),
    N_("Use script 4"),
    N_("Use script 5"),
    N_("Use script 6"),
    N_("Use script 7"),
    N_("Use script 8"),
    N_("Use script 9"),
)

WORK_BINDINGS: Final[list[BindingType]] = [
    Binding(
        "a",
        "accept_next",
        N_("Take next"),
        id="work.accept_next",
        tooltip=N_("Take the most urgent, longest-waiting contact"),
    ),
    Binding("h", "hold", N_("Hold"), id="work.hold", tooltip=N_("Put the customer on hold")),
    Binding("h", "resume", N_("Resume"), id="work.resume", tooltip=N_("Back to the customer")),
    Binding(
        "p",
        "warn('profanity')",
        N_("Profanity"),
        id="work.warn_profanity",
        tooltip=N_("Give the approved profanity warning"),
    ),
    Binding(
        "r",
        "warn('repeated')",
        N_("Repeated"),
        id="work.warn_repeated",
        tooltip=N_("Give the approved repeated-question warning"),
    ),
    Binding("e", "end", N_("End"), id="work.end", tooltip=N_("End the contact and wrap up")),
    Binding(
        "x",
        "end_early",
        N_("End early"),
        id="work.end_early",
        tooltip=N_("End the contact early, as the warning allows"),
    ),
    Binding(
        "f9",
        "ready",
        N_("Ready"),
        id="work.ready",
        tooltip=N_("Wrap-up done: ready for the next contact"),
    ),
    Binding(
        "b", "take_break", N_("Break"), id="work.break", tooltip=N_("Step away from the queue")
    ),
    Binding(
        "b", "back_from_break", N_("Back"), id="work.back", tooltip=N_("Ready for contacts again")
    ),
    Binding(
        "1",
        "use_script(1)",
        N_("Use"),
        id="work.use_script_1",
        key_display="1…9",
        tooltip=N_("Use script 1-9 of the list: copy it (chat, e-mail) or mark it said (phone)"),
    ),
    *(
        Binding(str(n), f"use_script({n})", said, id=f"work.use_script_{n}", show=False)
        for n, said in enumerate(USE_SCRIPT_N, start=2)
    ),
    Binding(
        "u",
        "undo_use",
        N_("Undo use"),
        id="work.undo_use",
        show=False,  # F1 lists it
        tooltip=N_("Take back the last script used on this contact (a wrong key)"),
    ),
    Binding(
        "c",
        "copy_script",
        N_("Copy"),
        id="work.copy_script",
        tooltip=N_("Copy the highlighted script (or the stacked reply), filled in"),
    ),
    Binding(
        "s",
        "say_script",
        N_("Said"),
        id="work.say_script",
        tooltip=N_("Mark the highlighted script as said to the customer"),
    ),
    Binding(
        "plus",
        "stack_script",
        N_("To reply"),
        id="work.stack_script",
        key_display="+",
        tooltip=N_("Add the highlighted script to the reply being put together"),
    ),
    Binding(
        "backspace",
        "drop_reply_part",
        N_("Drop"),
        id="work.drop_reply_part",
        tooltip=N_("Take the last script out of the reply"),
    ),
    Binding(
        "o",
        "offer_promotion",
        N_("Promo answer"),
        id="work.offer_promotion",
        tooltip=N_("The promotion was offered: record the customer's answer"),
    ),
    Binding(
        "f",
        "find_customer",
        N_("Find customer"),
        id="work.find_customer",
        tooltip=N_(
            "Find an unknown caller's customer: by name, contract, phone, e-mail or address"
        ),
    ),
    Binding(
        "slash", "search", N_("Search"), id="work.search", tooltip=N_("Search articles and scripts")
    ),
    Binding("f2", "focus_queue", N_("Queue"), id="work.queue", tooltip=N_("Move to the queue")),
    Binding(
        "f3", "focus_scripts", N_("Scripts"), id="work.scripts", tooltip=N_("Move to the scripts")
    ),
    Binding(
        "f4",
        "focus_card",
        N_("Customer"),
        id="work.card",
        tooltip=N_("Move to the customer's history"),
    ),
]

# The number keys act on what the operator reads in the list; from the palette they would
# act blind, so the palette leaves them out (the list itself is one key away).
WORK_PALETTE_HIDDEN: Final = frozenset(f"work.use_script_{n}" for n in range(1, 10))
