"""Read the files students actually hold into one shape: a conversation of prompts and replies.

Each reader takes one format as its publisher writes it and returns a `Conversation`:
the messages in order (only the branch the user kept), each with its text, the model's
reasoning kept apart from its answer, its attachments, the model and the time where the file
says. What a reader cannot turn into message text (images, tool output, a hidden system turn)
is listed in `Conversation.set_aside` with where it came from, never silently dropped.

Formats (see docs/contributing.md, "Which file do you have?"):

- ChatGPT data export: `conversations.json` (alone or inside the export's zip): a list of
  conversations, each a `mapping` of nodes (`parent`, `children`, `message`) with
  `current_node` naming the leaf of the branch the user ended on. Messages have
  `author.role`, `content.content_type` (`text`, `multimodal_text`, `code`, `thoughts`,
  `reasoning_recap`, `execution_output` ...) and `parts`, `create_time` (Unix seconds) and
  `metadata.model_slug` / `metadata.attachments`.
- Claude.ai data export: `conversations.json`, a list of conversations with `uuid`, `name`,
  `created_at` and `chat_messages` (`sender` human/assistant, `text`, `content` blocks of
  type `text`, `thinking`, `tool_use` ..., `attachments` with `file_name` and
  `extracted_content`, `files`).
- A saved share page (ChatGPT or Claude, "Save page as" HTML): the messages in page order,
  math from KaTeX's TeX annotations, code blocks kept.
- A PDF print of a chat or of a write-up: text extracted with pypdf, page furniture removed,
  math split one symbol per line reported with line numbers.
- Markdown or plain text from a browser exporter or copied from the chat: passed on as text.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

MAX_IMPORT_BYTES = 64 * 1024 * 1024  # a data export holds every chat of an account; one file at most this
IMAGE_NAME = re.compile(r"\.(?:png|jpe?g|gif|webp|heic|bmp)$", re.IGNORECASE)


class ImportFormatError(ValueError):
    """A file that could not be read: names the file, the format tried and what was missing."""


@dataclass(frozen=True)
class Attachment:
    name: str
    kind: str  # "image", "pdf", "file"

    @staticmethod
    def from_name(name: str, mime: str = "") -> Attachment:
        if mime.startswith("image/") or IMAGE_NAME.search(name):
            return Attachment(name, "image")
        if mime == "application/pdf" or name.lower().endswith(".pdf"):
            return Attachment(name, "pdf")
        return Attachment(name, "file")


@dataclass
class Message:
    role: str  # "user" or "assistant"
    text: str
    origin: str  # where in the file it came from, for reports
    thinking: str = ""  # the model's shown reasoning, kept apart from the answer
    attachments: list[Attachment] = field(default_factory=list)
    model: str | None = None
    created: datetime | None = None


@dataclass
class Conversation:
    source_format: str
    messages: list[Message]
    title: str = ""
    id: str = ""
    set_aside: list[tuple[str, str]] = field(default_factory=list)  # (origin, what was set aside and why)
    raw: dict[str, Any] | None = None  # the export's own object for this conversation (kept as provenance)

    @property
    def model(self) -> str | None:
        models = Counter(m.model for m in self.messages if m.role == "assistant" and m.model)
        return models.most_common(1)[0][0] if models else None

    @property
    def date(self) -> str | None:
        times = [m.created for m in self.messages if m.created is not None]
        return min(times).date().isoformat() if times else None

    @property
    def attachments(self) -> list[Attachment]:
        return [a for m in self.messages for a in m.attachments]

    def to_chat_text(self) -> tuple[str, dict[int, str]]:
        """The conversation as Prompt/Response Markdown, and for each line the message it came from."""
        lines: list[str] = []
        origins: dict[int, str] = {}
        for message in self.messages:
            lines.append("## Prompt" if message.role == "user" else "## Response")
            origins[len(lines)] = message.origin
            lines.append("")
            for line in message.text.split("\n"):
                lines.append(line)
                origins[len(lines)] = message.origin
            lines.append("")
        return "\n".join(lines), origins


# -- detection ------------------------------------------------------------------------------------


@dataclass
class ReadFile:
    """What a reader made of a file: its chat text (Prompt/Response Markdown for structured formats)."""

    format: str
    text: str
    conversation: Conversation | None = None
    notes: list[str] = field(default_factory=list)  # what was removed, set aside or found suspicious
    origins: dict[int, str] = field(default_factory=dict)  # line of `text` -> where in the file


def read_file(path: Path, choose: str | None = None) -> ReadFile:
    """Read any supported file into chat text, with what the reader set aside."""
    found = read_conversation(path, choose)
    if isinstance(found, Conversation):
        text, origins = found.to_chat_text()
        notes = [f"{origin}: {what}" for origin, what in found.set_aside]
        thinking = [m.origin for m in found.messages if m.thinking]
        if thinking:
            notes.append(f"the model's reasoning in {len(thinking)} repl(ies) is kept apart from the answers")
        return ReadFile(found.source_format, text, found, notes, origins)
    if isinstance(found, PdfText):
        notes = []
        if found.removed:
            notes.append(f"{len(found.removed)} line(s) of page furniture left out (running heads, page counters)")
        notes += [
            f"lines {a}-{b}: math split one symbol per line by the PDF; retype it as LaTeX where it is placed"
            for a, b in found.split_math
        ]
        return ReadFile("PDF print", found.text, None, notes)
    return ReadFile("Markdown or plain text", found)


def read_conversation(path: Path, choose: str | None = None) -> Conversation | PdfText | str:
    """The file's conversation (exports, share pages), its cleaned text (PDFs), or its text (Markdown)."""
    if path.is_symlink() or not path.is_file():
        raise ImportFormatError(f"{path}: not a regular file")
    size = path.stat().st_size
    if size > MAX_IMPORT_BYTES:
        raise ImportFormatError(f"{path}: {size:,} bytes is more than an import reads ({MAX_IMPORT_BYTES:,})")
    data = path.read_bytes()
    head = data[:512].lstrip().lower()
    if data.startswith(b"PK\x03\x04"):
        return read_export_zip(path, data, choose)
    if head.startswith(b"%pdf"):
        return read_pdf(path, data)
    if head.startswith((b"[", b"{")):
        return read_export_json(path, _json(path, data), choose)
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return read_share_page(path, _text(path, data, "a saved share page (HTML)"))
    return _text(path, data, "Markdown or plain text")


def _text(path: Path, data: bytes, tried: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFormatError(
            f"{path}: read as {tried}, but byte {error.start} is not UTF-8; re-save it as UTF-8"
        ) from None


def _json(path: Path, data: bytes) -> Any:
    try:
        return json.loads(_text(path, data, "JSON"))
    except json.JSONDecodeError as error:
        raise ImportFormatError(
            f"{path}: read as JSON (a data export's conversations.json), but it is not valid JSON "
            f"(line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None


def read_export_zip(path: Path, data: bytes, choose: str | None) -> Conversation:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportFormatError(f"{path}: read as a data export (zip), but it is not a readable zip archive") from None
    names = [n for n in archive.namelist() if n.rsplit("/", 1)[-1] == "conversations.json"]
    if not names:
        raise ImportFormatError(
            f"{path}: read as a data export (zip), but it holds no conversations.json "
            "(ChatGPT: Settings, Data controls, Export data; Claude: Settings, Privacy, Export data)"
        )
    info = archive.getinfo(names[0])
    if info.file_size > MAX_IMPORT_BYTES:
        raise ImportFormatError(f"{path}: its conversations.json is larger than an import reads")
    return read_export_json(path, _json(path, archive.read(info)), choose)


def read_export_json(path: Path, value: Any, choose: str | None) -> Conversation:
    conversations = value if isinstance(value, list) else [value]
    if not conversations or not all(isinstance(c, dict) for c in conversations):
        raise ImportFormatError(f"{path}: read as a data export, but it holds no conversation objects")
    id_keys: tuple[str, ...]
    if all("mapping" in c for c in conversations):
        reader, title_key, id_keys = read_chatgpt_conversation, "title", ("conversation_id", "id")
    elif all("chat_messages" in c for c in conversations):
        reader, title_key, id_keys = read_claude_conversation, "name", ("uuid",)
    else:
        raise ImportFormatError(
            f"{path}: read as a data export, but its conversations have neither `mapping` (ChatGPT) nor "
            "`chat_messages` (Claude)"
        )
    picked = _pick(path, conversations, choose, title_key, id_keys)
    conversation = reader(path, picked)
    conversation.raw = picked
    return conversation


def _pick(
    path: Path, conversations: list[dict[str, Any]], choose: str | None, title_key: str, id_keys: tuple[str, ...]
) -> dict[str, Any]:
    if choose is None:
        if len(conversations) == 1:
            return conversations[0]
        titles = "; ".join(repr(c.get(title_key) or "(untitled)") for c in conversations[:12])
        raise ImportFormatError(
            f"{path}: the export holds {len(conversations)} conversations; pick one with --conversation "
            f"TITLE-OR-ID (titles: {titles}{' ...' if len(conversations) > 12 else ''})"
        )
    wanted = choose.strip().lower()
    matches = [
        c
        for c in conversations
        if str(c.get(title_key) or "").strip().lower() == wanted
        or any(str(c.get(k) or "").lower() == wanted for k in id_keys)
    ]
    if len(matches) != 1:
        how = "no conversation" if not matches else f"{len(matches)} conversations"
        raise ImportFormatError(f"{path}: {how} with the title or id {choose!r}; give the exact title or the id")
    return matches[0]


def _epoch(value: Any) -> datetime | None:
    if isinstance(value, int | float) and value > 0:
        return datetime.fromtimestamp(float(value), tz=UTC)
    return None


def _iso(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


# -- ChatGPT ---------------------------------------------------------------------------------------


def kept_branch(mapping: dict[str, Any], current: str | None) -> list[dict[str, Any]]:
    """The nodes from the root to `current`, following `parent`: the branch the user kept."""
    if current is None or current not in mapping:
        raise KeyError(current)
    path, seen = [], set()
    node_id: str | None = current
    while node_id is not None:
        if node_id in seen or node_id not in mapping:
            raise KeyError(node_id)
        seen.add(node_id)
        node = mapping[node_id]
        path.append(node)
        node_id = node.get("parent")
    return list(reversed(path))


def read_chatgpt_conversation(path: Path, conversation: dict[str, Any]) -> Conversation:
    mapping = conversation.get("mapping")
    if not isinstance(mapping, dict):
        raise ImportFormatError(f"{path}: read as a ChatGPT export, but the conversation has no `mapping` object")
    try:
        branch = kept_branch(mapping, conversation.get("current_node"))
    except KeyError as missing:
        raise ImportFormatError(
            f"{path}: read as a ChatGPT export, but `current_node` does not lead back to the root "
            f"(node {missing} is missing or loops)"
        ) from None
    out = Conversation(
        "ChatGPT data export",
        [],
        str(conversation.get("title") or ""),
        str(conversation.get("conversation_id") or conversation.get("id") or ""),
    )
    on_branch = {id(node) for node in branch}
    dropped = sum(1 for node in mapping.values() if id(node) not in on_branch and node.get("message"))
    if dropped:
        out.set_aside.append(
            ("mapping", f"{dropped} message(s) on branches the user did not keep (regenerated or edited)")
        )
    pending_thinking: list[str] = []
    for node in branch:
        message = node.get("message")
        if not isinstance(message, dict):
            continue
        origin = f"node {node.get('id') or message.get('id')}"
        role = (message.get("author") or {}).get("role")
        content = message.get("content") or {}
        kind = content.get("content_type")
        metadata = message.get("metadata") or {}
        if metadata.get("is_visually_hidden_from_conversation") or role == "system":
            if _parts_text(content):
                out.set_aside.append((origin, "a hidden system or context message"))
            continue
        if kind == "thoughts":
            pending_thinking += [
                "\n".join(x for x in (t.get("summary"), t.get("content")) if x) for t in content.get("thoughts") or []
            ]
            continue
        if kind == "reasoning_recap":
            pending_thinking.append(str(content.get("content") or ""))
            continue
        if role == "tool" or kind in {"execution_output", "code", "tether_browsing_display", "tether_quote"}:
            if role == "tool" or kind != "code":
                out.set_aside.append((origin, f"tool output ({kind or 'unknown'})"))
            else:
                out.set_aside.append((origin, "code the model ran with a tool"))
            continue
        if role not in ("user", "assistant"):
            out.set_aside.append((origin, f"a message from {role!r}"))
            continue
        attachments = [
            Attachment.from_name(str(a.get("name") or "attachment"), str(a.get("mime_type") or ""))
            for a in metadata.get("attachments") or []
            if isinstance(a, dict)
        ]
        text_parts = []
        for part in content.get("parts") or []:
            if isinstance(part, str):
                text_parts.append(part)
            elif isinstance(part, dict) and part.get("content_type") == "image_asset_pointer":
                if not any(a.kind == "image" for a in attachments):
                    attachments.append(Attachment(str(part.get("asset_pointer") or "image"), "image"))
            elif isinstance(part, dict):
                out.set_aside.append((origin, f"a {part.get('content_type') or 'non-text'} part"))
        for attachment in attachments:
            out.set_aside.append(
                (origin, f"attachment {attachment.name!r} ({attachment.kind}): not copied into the run")
            )
        text = "\n".join(text_parts).strip("\n")
        if role == "assistant" and out.messages and out.messages[-1].role == "assistant" and not pending_thinking:
            out.messages[-1].text += "\n\n" + text  # one reply the interface split into several messages
            continue
        out.messages.append(
            Message(
                role,
                text,
                origin,
                thinking="\n\n".join(t for t in pending_thinking if t) if role == "assistant" else "",
                attachments=attachments,
                model=metadata.get("model_slug") if role == "assistant" else None,
                created=_epoch(message.get("create_time")),
            )
        )
        if role == "assistant":
            pending_thinking = []
    if not out.messages:
        raise ImportFormatError(
            f"{path}: read as a ChatGPT export, but the kept branch has no user or assistant message"
        )
    return out


def _parts_text(content: dict[str, Any]) -> str:
    return "".join(p for p in content.get("parts") or [] if isinstance(p, str)).strip()


# -- Claude ----------------------------------------------------------------------------------------


def read_claude_conversation(path: Path, conversation: dict[str, Any]) -> Conversation:
    messages = conversation.get("chat_messages")
    if not isinstance(messages, list):
        raise ImportFormatError(f"{path}: read as a Claude export, but `chat_messages` is not a list")
    out = Conversation(
        "Claude data export", [], str(conversation.get("name") or ""), str(conversation.get("uuid") or "")
    )
    kept = _claude_kept_branch(messages)
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        if kept is not None and index not in kept:
            out.set_aside.append(
                (f"chat_messages[{index}]", "a message on a branch the user did not keep (regenerated or edited)")
            )
            continue
        origin = f"chat_messages[{index}]"
        sender = message.get("sender")
        role = {"human": "user", "assistant": "assistant"}.get(str(sender))
        if role is None:
            out.set_aside.append((origin, f"a message from {sender!r}"))
            continue
        content = message.get("content")
        blocks: list[Any] = content if isinstance(content, list) else []
        texts, thinking = [], []
        for block in blocks:
            if not isinstance(block, dict):
                continue
            kind = block.get("type")
            if kind == "text":
                texts.append(str(block.get("text") or ""))
            elif kind == "thinking":
                thinking.append(str(block.get("thinking") or ""))
            else:
                out.set_aside.append((origin, f"a {kind or 'unknown'} block"))
        text = "\n\n".join(t for t in texts if t) if blocks else str(message.get("text") or "")
        attachments = []
        for item in (message.get("attachments") or []) + (message.get("files") or []):
            if isinstance(item, dict):
                attachment = Attachment.from_name(
                    str(item.get("file_name") or "attachment"), str(item.get("file_type") or "")
                )
                if attachment not in attachments:
                    attachments.append(attachment)
                    extracted = " with its extracted text" if item.get("extracted_content") else ""
                    out.set_aside.append(
                        (
                            origin,
                            f"attachment {attachment.name!r} ({attachment.kind}){extracted}: not copied into the run",
                        )
                    )
        out.messages.append(
            Message(
                role,
                text.strip("\n"),
                origin,
                "\n\n".join(thinking),
                attachments,
                None,
                _iso(message.get("created_at")),
            )
        )
    if not out.messages:
        raise ImportFormatError(
            f"{path}: read as a Claude export, but the conversation has no human or assistant message"
        )
    return out


def _claude_kept_branch(messages: list[Any]) -> set[int] | None:
    """Indexes on the branch ending at the last message, following `parent_message_uuid`; None if unbranched."""
    by_uuid = {m.get("uuid"): i for i, m in enumerate(messages) if isinstance(m, dict) and m.get("uuid")}
    if not any(isinstance(m, dict) and m.get("parent_message_uuid") in by_uuid for m in messages):
        return None
    kept: set[int] = set()
    index: int | None = len(messages) - 1
    while index is not None and index not in kept:
        kept.add(index)
        parent = messages[index].get("parent_message_uuid") if isinstance(messages[index], dict) else None
        index = by_uuid.get(parent)
    return kept


# -- saved share pages --------------------------------------------------------------------------

_BLOCKS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "table",
    "section",
    "article",
    "br",
    "hr",
}


_INLINE_MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`"}  # each opens and closes alike


@dataclass
class _Open:
    tag: str
    role: str | None  # the message this element opens, if any
    skip: bool  # text inside is not shown to readers (KaTeX's HTML copy, scripts, buttons)
    tex: list[str] | None = None  # collecting a KaTeX TeX annotation
    display: bool = False


class _ShareParser(HTMLParser):
    """Messages of a saved ChatGPT (`data-message-author-role`) or Claude (`data-testid="user-message"`,
    `font-claude-message`) page, as Markdown: math from KaTeX's TeX annotations, code fenced."""

    SKIPPED = frozenset({"script", "style", "button", "svg", "noscript", "template"})
    VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "source", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.messages: list[tuple[str, list[str]]] = []
        self._stack: list[_Open] = []

    def _role_of(self, attrs: dict[str, str | None]) -> str | None:
        role = attrs.get("data-message-author-role")
        if role in ("user", "assistant"):
            return role
        classes = attrs.get("class") or ""
        if attrs.get("data-testid") == "user-message":
            return "user"
        if "font-claude-message" in classes or "font-claude-response" in classes:
            return "assistant"
        return None

    def _in_message(self) -> bool:
        return any(o.role for o in self._stack)

    def _skipping(self) -> bool:
        return any(o.skip for o in self._stack)

    def _in_pre(self) -> bool:
        return any(o.tag == "pre" for o in self._stack)

    def _in_code(self) -> bool:
        return any(o.tag == "code" for o in self._stack)

    def _out(self, text: str) -> None:
        if self._in_message() and not self._skipping():
            self.messages[-1][1].append(text)

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attrs_list)
        classes = attrs.get("class") or ""
        if tag in self.VOID:
            if tag == "br":
                self._out("\n")
            elif tag == "img" and self._in_message():
                self._out(f"[image: {attrs.get('alt') or 'no description'}]\n")
            return
        role = self._role_of(attrs) if not self._in_message() else None
        if role:
            self.messages.append((role, []))
        # KaTeX writes each formula three times: MathML, its TeX annotation, and HTML; only the TeX is kept
        entry = _Open(tag, role, tag in self.SKIPPED or "katex-html" in classes or "katex-mathml" in classes)
        if tag == "annotation" and attrs.get("encoding") == "application/x-tex":
            entry.tex = []
            entry.display = any(o.display for o in self._stack)
        if "katex-display" in classes:
            entry.display = True
        self._stack.append(entry)
        if tag == "code" and self._in_pre():
            language = re.search(r"language-([\w+-]+)", classes)
            self._out("\n```" + (language.group(1) if language else "") + "\n")
        elif tag in _BLOCKS:
            self._out("\n")
            if tag == "li":
                self._out("- ")
            elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                self._out("#" * int(tag[1]) + " ")
        elif tag in _INLINE_MARKS:
            self._out(_INLINE_MARKS[tag])

    def handle_endtag(self, tag: str) -> None:
        if not any(o.tag == tag for o in self._stack):
            return  # a stray end tag
        while self._stack:
            entry = self._stack.pop()
            if entry.tex is not None and self._in_message():
                tex = "".join(entry.tex).strip()
                self.messages[-1][1].append(f"\n$$\n{tex}\n$$\n" if entry.display else f"${tex}$")
            if entry.tag == tag:
                break
        if tag == "code" and self._in_pre():
            self._out("\n```\n")
        elif tag in _BLOCKS:
            self._out("\n")
        elif tag in _INLINE_MARKS:
            self._out(_INLINE_MARKS[tag])

    def handle_data(self, data: str) -> None:
        collecting = next((o for o in reversed(self._stack) if o.tex is not None), None)
        if collecting is not None:
            collecting.tex.append(data)  # type: ignore[union-attr]
            return
        if self._in_pre():
            if self._in_code():
                self._out(data)
            return  # a code block's toolbar (language label) outside its <code>
        self._out(re.sub(r"\s+", " ", data))


def read_share_page(path: Path, html: str) -> Conversation:
    parser = _ShareParser()
    parser.feed(html)
    parser.close()
    if not parser.messages:
        raise ImportFormatError(
            f"{path}: read as a saved share page, but it has no messages marked as a ChatGPT page "
            '(data-message-author-role) or a Claude page (data-testid="user-message")'
        )
    out = Conversation("saved share page", [])
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL | re.IGNORECASE)
    out.title = title.group(1).strip() if title else ""
    for index, (role, pieces) in enumerate(parser.messages):
        text = _tidy("".join(pieces))
        images = [Attachment("image in the page", "image")] if "[image:" in text else []
        for attachment in images:
            out.set_aside.append((f"message {index + 1} of the page", "an image: only its description is kept"))
        out.messages.append(Message(role, text, f"message {index + 1} of the page", attachments=images))
    return out


def _tidy(text: str) -> str:
    """Collapse the blank runs and stray indentation the HTML layout leaves, outside code blocks."""
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        out.append(line if fenced else line.strip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


# -- PDF prints ------------------------------------------------------------------------------------

PAGE_COUNTER = re.compile(r"^\s*(?:\d{1,3}\s*/\s*\d{1,3}|page \d+( of \d+)?|--- page \d+ ---)\s*$", re.IGNORECASE)
SPLIT_MATH_RUN = 4  # this many consecutive lines of at most 3 characters: math the PDF split apart


@dataclass
class PdfText:
    text: str
    removed: list[tuple[int, str]]  # (page, line) of page furniture left out
    split_math: list[tuple[int, int]]  # line spans (in `text`) where math was split one symbol per line


FURNITURE_LINES = 1  # running heads and footers sit on a page's first or last line
SPEAKER_LINE = re.compile(
    r"^\s*(?:you said|chatgpt said|claude said|user|assistant|prompt|response)\s*:?\s*$", re.IGNORECASE
)


def _furniture_key(line: str) -> str:
    """A line with its numbers blanked, so "https://... 1/3" and "https://... 2/3" count as one."""
    return re.sub(r"\d+", "#", line.strip())


def _edges(page: str) -> list[tuple[int, str]]:
    lines = [(i, line) for i, line in enumerate(page.split("\n")) if line.strip()]
    return lines[:FURNITURE_LINES] + lines[-FURNITURE_LINES:]


def clean_pdf_pages(pages: list[str]) -> PdfText:
    """Join extracted pages: drop running heads and footers (the same line, numbers aside, at the top or
    bottom of most pages) and page counters; find math split one symbol per line."""
    counts = Counter(key for page in pages for key in {_furniture_key(line) for _, line in _edges(page)})
    repeated = {key for key, n in counts.items() if len(pages) >= 3 and n >= max(3, len(pages) * 0.6)}
    kept: list[str] = []
    removed: list[tuple[int, str]] = []
    for number, page in enumerate(pages, start=1):
        edges = {i for i, _ in _edges(page)}
        for index, line in enumerate(page.split("\n")):
            furniture = index in edges and _furniture_key(line) in repeated and not SPEAKER_LINE.match(line)
            if furniture or PAGE_COUNTER.match(line):
                removed.append((number, line.strip()))
                continue
            kept.append(line.rstrip())
    split: list[tuple[int, int]] = []
    start = None
    for index, line in enumerate(kept + ["a long line that ends the last run"], start=1):
        short = 0 < len(line.strip()) <= 3
        if short and start is None:
            start = index
        elif not short and start is not None:
            if index - start >= SPLIT_MATH_RUN:
                split.append((start, index - 1))
            start = None
    return PdfText("\n".join(kept), removed, split)


def read_pdf(path: Path, data: bytes) -> PdfText:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError, PdfStreamError
    except ImportError:  # pragma: no cover - pypdf is a pinned dependency
        raise ImportFormatError(f"{path}: reading a PDF needs pypdf (make setup installs it)") from None
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError) as error:
        raise ImportFormatError(f"{path}: read as a PDF, but pypdf could not read it ({error})") from None
    if not any(p.strip() for p in pages):
        raise ImportFormatError(
            f"{path}: read as a PDF, but it has no text layer (a scan or screenshots?); "
            "paste the chat's text instead, or describe it by hand"
        )
    return clean_pdf_pages(pages)
