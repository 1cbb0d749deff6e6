"""The ids of the console's key bindings: the names the [keymap] of the config file rebinds.

Written out here so that reading the config never imports Textual (the CLI commands do not load
it); tests/test_config.py checks that this list is exactly the ids in the BINDINGS of the app and
of every screen and widget, so the two cannot drift apart.
"""

from __future__ import annotations

BINDING_IDS = frozenset(
    {
        # AgentConsoleApp
        "app.help",
        # WorkScreen
        "work.accept_next",
        "work.hold",
        "work.resume",
        "work.warn_profanity",
        "work.warn_repeated",
        "work.end",
        "work.end_early",
        "work.ready",
        "work.break",
        "work.back",
        "work.use_script_1",
        "work.use_script_2",
        "work.use_script_3",
        "work.use_script_4",
        "work.use_script_5",
        "work.use_script_6",
        "work.use_script_7",
        "work.use_script_8",
        "work.use_script_9",
        "work.undo_use",
        "work.copy_script",
        "work.say_script",
        "work.stack_script",
        "work.drop_reply_part",
        "work.offer_promotion",
        "work.find_customer",
        "work.search",
        "work.queue",
        "work.scripts",
        "work.card",
        # QueueTable
        "queue.up",
        "queue.down",
        "queue.page_up",
        "queue.page_down",
        "queue.first",
        "queue.last",
        "queue.select",
        # ShiftScreen and its dialogs
        "shift.new_notice",
        "shift.end_notice",
        "shift.intervals",
        "notice.cancel",
        "notice.save",
        "end_notice.cancel",
        # ShiftContactsScreen
        "shift_contacts.back",
        # KnowledgePane
        "knowledge.back",
        "knowledge.leave",
        "knowledge.next_kind",
        "knowledge.previous_kind",
        "knowledge.next_result",
        "knowledge.previous_result",
        # CustomerPickDialog
        "customer_pick.cancel",
        # WrapUpScreen
        "wrapup.save",
        "wrapup.skip",
        "wrapup.outcome1",
        "wrapup.outcome2",
        "wrapup.outcome3",
        "wrapup.outcome4",
        "wrapup.outcome5",
        "wrapup.outcome6",
        "wrapup.outcome7",
        # The dialogs
        "break.cancel",
        "history.close",
        "promotion.accepted",
        "promotion.declined",
        "promotion.cancel",
        "fill_in.cancel",
        "fill_in.submit",
        "confirm.yes",
        "confirm.no",
        # HelpScreen
        "help.close",
        # SessionPicker and ReplayScreen
        "sessions.practise",
        "replay.toggle",
        "replay.next",
        "replay.previous",
        "replay.start",
        "replay.end",
        "replay.speed_1",
        "replay.speed_2",
        "replay.speed_4",
        "replay.speed_8",
        "replay.faster",
        "replay.practise",
        "replay.back",
        # PracticeScreen and ScoreCardScreen
        "practice.next_line",
        "practice.leave",
        "score.save",
        "score.done",
        # Operators' flags: KnowledgePane, ScriptList, FlagDialog
        "knowledge.flag",
        "scripts.flag",
        "flag.cancel",
        # The Content mode: ContentScreen, EditorScreen, VersionsScreen, UsageScreen,
        # GapsScreen, CommentDialog
        "content.edit",
        "content.new",
        "content.usage",
        "content.gaps",
        "content.reload",
        "editor.save",
        "editor.back",
        "versions.compare_from",
        "versions.approve",
        "versions.submit",
        "versions.send_back",
        "versions.restore",
        "versions.edit",
        "versions.retire",
        "versions.back",
        "usage.back",
        "gaps.new_article",
        "gaps.back",
        "comment.cancel",
    }
)
