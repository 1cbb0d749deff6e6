"""The command line and the layers below the UI run without Textual: a `kb search` from a
script or a billing export's import does not pay for loading the UI (import-linter keeps the
imports apart; this checks what is actually loaded)."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
{body}
loaded = sorted(name for name in sys.modules if name == "textual" or name.startswith("textual."))
print("TEXTUAL:", loaded[:3])
"""


def run(body: str) -> tuple[str, str]:
    """What `body` printed, and the Textual modules loaded by then ("[]": none)."""
    result = subprocess.run(
        [sys.executable, "-c", CHECK.format(body=body)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "TEXTUAL:" in result.stdout, result.stderr
    printed, loaded = result.stdout.split("TEXTUAL:")
    return printed, loaded.strip()


def test_the_store_the_search_and_the_desk_load_without_textual():
    _, loaded = run("import agent_console.store, agent_console.search, agent_console.desk")
    assert loaded == "[]"


def test_kb_search_runs_without_textual(demo_template, tmp_path):
    db = tmp_path / "console.db"
    db.write_bytes(demo_template.read_bytes())
    body = f"""
from agent_console.cli import main
try:
    main(["--db", {str(db)!r}, "kb", "search", "router"], standalone_mode=False)
except SystemExit:
    pass
"""
    printed, loaded = run(body)
    assert "no-internet-basic.en" in printed  # it searched
    assert loaded == "[]"
