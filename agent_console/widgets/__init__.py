"""Widgets of the console. Each talks up with Messages and is driven down through reactives."""
