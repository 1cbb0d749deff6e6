"""The Content mode (trainers and supervisors): scripts and articles as versions. The list
(`list_screen`), the editor with its preview (`editor`), a version's history with the word
diff and the reviewer's actions (`versions`), usage and gaps (`usage`)."""

from agent_console.screens.content.list_screen import ContentScreen

__all__ = ["ContentScreen"]
