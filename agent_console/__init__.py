"""agent-console: a keyboard-first terminal console for support and call-center operators."""

__version__ = "0.1.0"
