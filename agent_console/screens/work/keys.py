"""The work screen's keys and its help page (F1): what the operator reads about the screen."""

from __future__ import annotations

from typing import Final

from textual.binding import Binding, BindingType

WORK_HELP: Final = """\
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
"""

WORK_BINDINGS: Final[list[BindingType]] = [
    Binding(
        "a",
        "accept_next",
        "Take next",
        id="work.accept_next",
        tooltip="Take the most urgent, longest-waiting contact",
    ),
    Binding("h", "hold", "Hold", id="work.hold", tooltip="Put the customer on hold"),
    Binding("h", "resume", "Resume", id="work.resume", tooltip="Back to the customer"),
    Binding(
        "p",
        "warn('profanity')",
        "Profanity",
        id="work.warn_profanity",
        tooltip="Give the approved profanity warning",
    ),
    Binding(
        "r",
        "warn('repeated')",
        "Repeated",
        id="work.warn_repeated",
        tooltip="Give the approved repeated-question warning",
    ),
    Binding("e", "end", "End", id="work.end", tooltip="End the contact and wrap up"),
    Binding(
        "x",
        "end_early",
        "End early",
        id="work.end_early",
        tooltip="End the contact early, as the warning allows",
    ),
    Binding(
        "f9",
        "ready",
        "Ready",
        id="work.ready",
        tooltip="Wrap-up done: ready for the next contact",
    ),
    Binding("b", "take_break", "Break", id="work.break", tooltip="Step away from the queue"),
    Binding("b", "back_from_break", "Back", id="work.back", tooltip="Ready for contacts again"),
    Binding(
        "1",
        "use_script(1)",
        "Use",
        id="work.use_script_1",
        key_display="1…9",
        tooltip="Use script 1-9 of the list: copy it (chat, e-mail) or mark it said (phone)",
    ),
    *(
        Binding(
            str(n), f"use_script({n})", f"Use script {n}", id=f"work.use_script_{n}", show=False
        )
        for n in range(2, 10)
    ),
    Binding(
        "u",
        "undo_use",
        "Undo use",
        id="work.undo_use",
        show=False,  # F1 lists it
        tooltip="Take back the last script used on this contact (a wrong key)",
    ),
    Binding(
        "c",
        "copy_script",
        "Copy",
        id="work.copy_script",
        tooltip="Copy the highlighted script (or the stacked reply), filled in",
    ),
    Binding(
        "s",
        "say_script",
        "Said",
        id="work.say_script",
        tooltip="Mark the highlighted script as said to the customer",
    ),
    Binding(
        "plus",
        "stack_script",
        "To reply",
        id="work.stack_script",
        key_display="+",
        tooltip="Add the highlighted script to the reply being put together",
    ),
    Binding(
        "backspace",
        "drop_reply_part",
        "Drop",
        id="work.drop_reply_part",
        tooltip="Take the last script out of the reply",
    ),
    Binding(
        "o",
        "offer_promotion",
        "Promo answer",
        id="work.offer_promotion",
        tooltip="The promotion was offered: record the customer's answer",
    ),
    Binding(
        "f",
        "find_customer",
        "Find customer",
        id="work.find_customer",
        tooltip="Find an unknown caller's customer: by name, contract, phone, e-mail or address",
    ),
    Binding("slash", "search", "Search", id="work.search", tooltip="Search articles and scripts"),
    Binding("f2", "focus_queue", "Queue", id="work.queue", tooltip="Move to the queue"),
    Binding("f3", "focus_scripts", "Scripts", id="work.scripts", tooltip="Move to the scripts"),
    Binding(
        "f4", "focus_card", "Customer", id="work.card", tooltip="Move to the customer's history"
    ),
]

# The number keys act on what the operator reads in the list; from the palette they would
# act blind, so the palette leaves them out (the list itself is one key away).
WORK_PALETTE_HIDDEN: Final = frozenset(f"work.use_script_{n}" for n in range(1, 10))
