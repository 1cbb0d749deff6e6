"""agent-console: a keyboard-first terminal console for support and call-center operators."""

import os

__version__ = "0.1.0"

# Textual repaints at most this many times a second (read once, when Textual is imported;
# an operator's own TEXTUAL_FPS wins). The answer to a keystroke usually lands within a frame
# of the typed character's own repaint, and Textual's screen timer, resumed after that, waits
# for the second next frame: at the default 60 that is up to 33 ms on every search, at 120
# up to 17 (measured by scripts/bench_lookup.py: p50 44 -> 33 ms). Nothing is repainted more
# often than something changes, so an idle console costs nothing more.
os.environ.setdefault("TEXTUAL_FPS", "120")
