from agent_console.domain.placeholders import fill
from agent_console.search import Hit
from agent_console.text import printable
from agent_console.timefmt import duration, signed_duration
from agent_console.widgets.search_results import snippet_parts


def test_control_characters_become_visible_and_markup_stays_text():
    assert printable("Oleg \x1b[31m Sidorov") == "Oleg ␛[31m Sidorov"
    assert printable("[bold]x[/bold]") == "[bold]x[/bold]"
    assert printable("a\x7fb\x9bc") == "a␡b\\x9bc"
    assert printable("line one\n  line\ttwo", single_line=True) == "line one line two"


def test_durations_read_short():
    assert duration(42) == "0:42"
    assert duration(3 * 3600 + 5 * 60) == "3h 05m"
    assert duration(2 * 86400 + 3 * 3600) == "2d 03h"
    assert signed_duration(-45) == "-0:45"


def test_placeholders_fill_with_values_then_fallbacks_and_report_the_missing():
    filled = fill(
        "Hello {customer.first_name|valued customer}, I am {operator.name}, contract "
        "{customer.contract}.",
        {"operator.name": "Anna Smirnova"},
    )
    assert filled.text == "Hello valued customer, I am Anna Smirnova, contract ‹customer.contract›."
    assert filled.missing == ("customer.contract",)


def test_script_snippets_never_show_raw_placeholders():
    hit = Hit(
        "script",
        "x",
        "t",
        1.0,
        "en",
        "…{company.name} router, so I can help you {operator.first",
        ((16, 22),),
    )
    plain = "".join(text for text, _style in snippet_parts(hit, {"company.name": "Volna Telecom"}))
    assert plain == "…Volna Telecom router, so I can help you …"
    assert "{" not in plain


def test_counted_nouns_agree_with_their_number():
    from agent_console.text import counted, noun

    assert counted(1, "contacts") == "1 contact"
    assert counted(2, "contacts") == "2 contacts"
    assert counted(0, "earlier contacts") == "0 earlier contacts"
    assert counted(1, "card numbers") == "1 card number"
    assert counted(1, "earlier contacts") == "1 earlier contact"
    assert noun(1, "sample sessions") == "sample session"
    assert noun(1, "minutes") == "minutes"  # not known: the same for one


async def test_the_shift_figures_count_contacts_in_words():
    from textual.app import App

    from agent_console.store.wrapups import OperatorFigures
    from agent_console.widgets.status_bar import OperatorStatus

    class StatusApp(App):
        def compose(self):
            yield OperatorStatus("Anna Smirnova")

    app = StatusApp()
    async with app.run_test():
        status = app.query_one(OperatorStatus)
        status.figures = OperatorFigures(1, 120.0, 150.0)
        assert "shift: 1 contact, avg talk 2:00" in status.render().plain
        status.figures = OperatorFigures(2, 120.0, 150.0)
        assert "shift: 2 contacts, avg talk 2:00" in status.render().plain
