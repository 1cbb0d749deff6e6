"""Screens of the console: each composes widgets and owns the IO behind them."""
