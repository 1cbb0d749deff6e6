"""Reading articles and scripts from files and checking every field.

Problems are collected, not raised at the first: each names its file, line and field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from agent_console.domain import Article, Script
from agent_console.domain.codes import LANGUAGES, VERSION_STATUSES
from agent_console.domain.language import detect_language

MAX_PROBLEMS = 50

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class Record:
    """One JSON object being validated; collects problems instead of raising at the first."""

    def __init__(
        self,
        data: dict[str, Any],
        file: str,
        line: int | None,
        problems: list[Problem],
        field_lines: dict[str, int] | None = None,
    ):
        """`field_lines`: where a field starts when the record spans lines (a Markdown file)."""
        self.data, self.file, self.line, self.problems = data, file, line, problems
        self.field_lines = field_lines or {}

    def problem(self, field: str | None, message: str) -> None:
        line = self.field_lines.get(field, self.line) if field else self.line
        self.problems.append(Problem(self.file, line, field, message))

    def text(self, field: str, *, required: bool, default: str = "") -> str:
        value = self.data.get(field)
        if value is None:
            if required:
                self.problem(field, "is missing")
            return default
        if not isinstance(value, str):
            self.problem(field, f"must be a string, not {_json_type(value)}")
            return default
        if required and not value.strip():
            self.problem(field, "is empty")
        return value

    def optional_text(self, field: str) -> str | None:
        value = self.data.get(field)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem(field, f"must be a string, not {_json_type(value)}")
            return None
        return value

    def choice(self, field: str, choices: Iterable[str], default: str) -> str:
        value = self.optional_text(field)
        if value is None:
            return default
        if value not in choices:
            self.problem(field, f"must be one of {', '.join(choices)}, not {value!r}")
            return default
        return value

    def integer(self, field: str, default: int) -> int:
        value = self.data.get(field)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(field, f"must be a whole number, not {_json_type(value)}")
            return default
        if not -(2**63) <= value < 2**63:  # what SQLite can store
            self.problem(field, "is too large a number")
            return default
        return value

    def string_list(self, field: str) -> tuple[str, ...]:
        value = self.data.get(field)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(field, "must be a list of strings")
            return ()
        return tuple(value)


def _json_type(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a string",
    }.get(type(value), type(value).__name__)


def _language(record: Record, *texts: str) -> str:
    declared = record.optional_text("lang") or record.optional_text("language")
    if declared is None:
        return detect_language(" ".join(texts))
    if declared not in LANGUAGES:
        record.problem("lang", f"must be one of {', '.join(LANGUAGES)}, not {declared!r}")
    return declared


def article_from(record: Record) -> Article:
    title = record.text("title", required=True)
    # An article without a body is found by search and opens on nothing: refused, like a script.
    body = record.text("body", required=True)
    return Article(
        id=record.text("id", required=True),
        title=title,
        body=body,
        tags=record.string_list("tags"),
        language=_language(record, title, body),
        status=record.choice("status", VERSION_STATUSES, "approved"),
        version=record.integer("version", 1),
        topic=record.optional_text("topic"),
    )


def script_from(record: Record) -> Script:
    title = record.text("title", required=True)
    body = record.text("body", required=True)
    return Script(
        id=record.text("id", required=True),
        title=title,
        body=body,
        category=record.text("category", required=False),
        language=_language(record, title, body),
        status=record.choice("status", VERSION_STATUSES, "approved"),
        version=record.integer("version", 1),
        topic=record.optional_text("topic"),
        stage=record.optional_text("stage"),
    )


def read_jsonl(path: Path, build: Callable[[Record], T], problems: list[Problem]) -> list[T]:
    text = read_utf8(path, problems)
    return [] if text is None else parse_lines(text.split("\n"), str(path), 1, build, problems)


def read_utf8(path: Path, problems: list[Problem]) -> str | None:
    """A file's text (a UTF-8 byte-order mark, as spreadsheets and Windows write, left out);
    None, with a problem naming the file (and the line of a byte that is not UTF-8), when it
    cannot be read."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(str(path), None, None, "no such file"))
        return None
    except IsADirectoryError:
        problems.append(Problem(str(path), None, None, "is a folder, not a file"))
        return None
    except OSError as error:
        problems.append(Problem(str(path), None, None, error.strerror or str(error)))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(not_utf8(path, raw, error))
        return None


def parse_lines(
    lines: list[str],
    file: str,
    first_number: int,
    build: Callable[[Record], T],
    problems: list[Problem],
) -> list[T]:
    """The items of JSON Lines (`first_number` is the first one's line number in the file).

    Lines end at "\n" alone (and "\r\n"): a JSON string may hold a raw U+2028 or form feed,
    where `str.splitlines` would cut the line.
    """
    items = []
    for number, line in enumerate(lines, start=first_number):
        record = parse_line(line, file, number, problems)
        if record is not None:
            items.append(build(record))
    return items


def parse_line(line: str, file: str, number: int, problems: list[Problem]) -> Record | None:
    """One line of JSON Lines as a Record; None for a blank line, or a line that is not a JSON
    object (a problem naming it is added)."""
    if not line.strip():
        return None
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        problems.append(Problem(file, number, None, f"not valid JSON ({error.msg})"))
        return None
    except RecursionError:
        problems.append(Problem(file, number, None, "nested too deeply to be a record"))
        return None
    try:
        # A "\ud800" escape decodes to half a character, which no text column can store.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        problems.append(
            Problem(file, number, None, "holds a lone surrogate escape (such as \\ud800)")
        )
        return None
    if not isinstance(data, dict):
        problems.append(Problem(file, number, None, "must be a JSON object"))
        return None
    return Record(data, file, number, problems)


def not_utf8(path: Path, raw: bytes, error: UnicodeDecodeError) -> Problem:
    """The problem with a file that is not UTF-8, at the line of its first undecodable byte."""
    line = raw.count(b"\n", 0, error.start) + 1
    return Problem(str(path), line, None, f"is not UTF-8 text ({error.reason}); save it as UTF-8")


def read_markdown_folder(folder: Path, problems: list[Problem]) -> list[Article]:
    """A folder of Markdown files, each one article (see `read_markdown`)."""
    paths = sorted(p for p in folder.glob("*.md") if p.is_file())
    if not paths:
        problems.append(Problem(str(folder), None, None, "is a folder with no .md files in it"))
    articles = []
    for path in paths:
        article = read_markdown(path, problems)
        if article is not None:
            articles.append(article)
    return articles


def read_markdown(path: Path, problems: list[Problem]) -> Article | None:
    """One Markdown file as an article: the first line is the title, an optional `Tags:` line
    follows, the rest is the body; its id is the file's name. A file that cannot be read, or is
    not UTF-8, is a problem naming it (and the line)."""
    text = read_utf8(path, problems)
    if text is None:
        return None
    lines = text.splitlines()
    title_line = 1
    while lines and not lines[0].strip():
        lines.pop(0)
        title_line += 1
    if not lines:
        problems.append(Problem(str(path), 1, "title", "the file is empty"))
        return None
    title = lines.pop(0).lstrip("#").strip()
    tags: list[str] = []
    body_line = title_line + 1
    if lines and lines[0].lower().startswith("tags:"):
        tags = [t.strip() for t in lines.pop(0)[5:].split(",") if t.strip()]
        body_line += 1
    body = "\n".join(lines).strip()
    record = Record(
        {"id": path.stem, "title": title, "body": body, "tags": tags},
        str(path),
        title_line,
        problems,
        {"body": body_line},
    )
    return article_from(record)


def read_articles(paths: Iterable[Path]) -> list[Article]:
    problems: list[Problem] = []
    articles: list[Article] = []
    for path in paths:
        if path.is_dir():
            articles += read_markdown_folder(path, problems)
        elif path.suffix.lower() == ".md":
            article = read_markdown(path, problems)
            articles += [article] if article is not None else []
        else:
            articles += read_jsonl(path, article_from, problems)
    if problems:
        raise ImportFailed(problems[:MAX_PROBLEMS])
    return articles


def read_scripts(paths: Iterable[Path]) -> list[Script]:
    problems: list[Problem] = []
    scripts: list[Script] = []
    for path in paths:
        scripts += read_jsonl(path, script_from, problems)
    if problems:
        raise ImportFailed(problems[:MAX_PROBLEMS])
    return scripts
