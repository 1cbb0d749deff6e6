"""Extract the interface's strings, bring every language's catalog up to date, and compile it.

    .venv/bin/python scripts/update_catalogs.py            # extract, update the .po, compile
    .venv/bin/python scripts/update_catalogs.py --check    # exit 1 if anything would change
    .venv/bin/python scripts/update_catalogs.py --init de  # start a catalog for a new language

The template (`agent_console/locale/agent_console.pot`) holds every string marked with `_`,
`N_`, `ngettext` or `pgettext` under `agent_console/` (babel.cfg). Each `.po` is updated from it
(new strings come in untranslated, gone ones are dropped, changed ones are marked fuzzy), then
compiled to the `.mo` the console reads. The `.mo` is committed beside its `.po`
(tests/test_catalogs.py checks that they agree): an install, editable or not, needs no build step.
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "agent_console"
LOCALE = PACKAGE / "locale"
DOMAIN = "agent_console"
TEMPLATE = LOCALE / f"{DOMAIN}.pot"
# What marks a string for the catalogs (agent_console/i18n.py): the argument positions babel
# reads (ngettext's singular and plural, pgettext's context and message).
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
# A fixed date keeps the files the same from run to run when nothing else changed.
FIXED_DATE = datetime(2026, 12, 1, tzinfo=UTC)


def extract() -> Catalog:
    template = Catalog(
        project="agent-console",
        version="0.1",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        charset="utf-8",
        fuzzy=False,
    )
    method_map = [("agent_console/**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map=method_map, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        if "/locale/" in filename:
            continue
        template.add(
            message,
            locations=[(filename, lineno)],
            auto_comments=comments,
            context=context,
        )
    for cli in sorted(PACKAGE.glob("cli*.py")):
        for lineno, text in command_line_help(cli):
            template.add(text, locations=[(str(cli.relative_to(ROOT)), lineno)])
    return template


def command_line_help(path: Path) -> Iterator[tuple[int, str]]:
    """The command line's help texts, which click shows in the interface's language
    (agent_console/cli.py `_help_said`) but which are written as click wants them, not marked:
    each command's docstring (cleaned as click cleans it) and every `help="..."` given."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(
            _is_command(decorator) for decorator in node.decorator_list
        ):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                yield node.lineno, doc.split("\f")[0].strip()
        if isinstance(node, ast.keyword) and node.arg == "help":
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                yield node.value.lineno, node.value.value


def _is_command(decorator: ast.expr) -> bool:
    call = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(call, ast.Attribute) and call.attr in ("command", "group")


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    return sorted(path.name for path in LOCALE.iterdir() if (path / "LC_MESSAGES").is_dir())


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    # File names without line numbers: a line added above a string changes nothing here.
    write_po(out, catalog, width=100, sort_output=False, include_lineno=False)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def updated(language: str, template: Catalog) -> Catalog:
    with po_path(language).open("rb") as po_file:
        catalog = read_po(po_file, locale=language, domain=DOMAIN)
    catalog.update(template, update_header_comment=False, no_fuzzy_matching=True)
    catalog.obsolete.clear()  # gone from the code: gone from the file
    catalog.revision_date = FIXED_DATE
    return catalog


def write_if_changed(path: Path, content: bytes, check: bool) -> bool:
    """Whether `path` differs from `content`; writes it unless only checking."""
    if path.exists() and path.read_bytes() == content:
        return False
    if not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    print(("would change " if check else "wrote ") + str(path.relative_to(ROOT)))
    return True


def init(language: str) -> None:
    path = po_path(language)
    if path.exists():
        sys.exit(f"{path.relative_to(ROOT)} exists already")
    catalog = Catalog(locale=language, domain=DOMAIN, project="agent-console", fuzzy=False)
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(po_bytes(catalog))
    print(f"started {path.relative_to(ROOT)}; now run this script without --init")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    parser.add_argument("--init", metavar="LANGUAGE", help="start a catalog for LANGUAGE")
    args = parser.parse_args()
    if args.init:
        init(args.init)
        return 0
    template = extract()
    changed = write_if_changed(TEMPLATE, po_bytes(template), args.check)
    for language in languages():
        catalog = updated(language, template)
        changed |= write_if_changed(po_path(language), po_bytes(catalog), args.check)
        mo = po_path(language).with_suffix(".mo")
        changed |= write_if_changed(mo, mo_bytes(catalog), args.check)
        missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        if missing:
            print(f"{language}: {len(missing)} strings to translate")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
