"""Every rule the validator enforces, with its stable code: the registry.

Codes never change meaning and are never reused. The docs page of error codes, the
contributing guide, the terminal's fix hints and the tests (one failing fixture per code,
under tests/fixtures/invalid/<CODE>-*) are all driven from `RULES`. Summaries are written
as the rule itself ("Must ..."), the way a reviewer would say it; `fix` tells a
contributor what to do about it.

The loader's own codes (bytes, YAML, schema) are listed below. A content or tree rule
registers its code where it is written, with the `rule` decorator on its function
(`gallery.rules.content`, `gallery.rules.tree`), so code, check and text live together.
A rule is an error (the data cannot be published) or a warning (worth a look; it does not
block validation or the build).

Scopes:
  file    - reading the bytes and parsing YAML, before any schema applies
  schema  - the typed models in `gallery.data.models`
  content - rules about one file that the schema cannot express
  tree    - rules that need the whole repository (cross-file references, completeness)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

Scope = Literal["file", "schema", "content", "tree"]
Severity = Literal["error", "warning"]
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    scope: Scope
    summary: str
    fix: str
    severity: Severity = "error"


_RULE_LIST: tuple[Rule, ...] = (
    # -- file: bytes and YAML -------------------------------------------------------------
    Rule(
        "GAL001",
        "file-too-large",
        "file",
        "Must not be larger than the size cap (checked before parsing)",
        "Split the data: one file per question keeps every file small.",
    ),
    Rule(
        "GAL002",
        "invalid-utf8",
        "file",
        "Must be valid UTF-8",
        "Re-save the file as UTF-8; the column points at the first bad byte.",
    ),
    Rule(
        "GAL003",
        "control-character",
        "file",
        "Must not contain control characters other than tab and newline (no NUL, ESC, CR, bidi overrides)",
        "Delete the character; ANSI colour codes and Windows line endings are the usual cause.",
    ),
    Rule(
        "GAL016",
        "invisible-character",
        "file",
        "Must not contain noncharacters or invisible format characters (U+FFFE, U+FFFF, zero-width spaces, "
        "directional marks, soft hyphens)",
        "Delete the character; it shows nothing and usually came in with a copy and paste.",
    ),
    Rule(
        "GAL017",
        "non-finite-number",
        "file",
        "Must write finite numbers only (no .nan, .inf, or a number such as 1e999 that overflows)",
        "Write the number out; an estimate that large belongs in a unit that keeps it finite.",
    ),
    Rule(
        "GAL018",
        "symbolic-link",
        "file",
        "Must be a regular file or folder inside the repository, not a symbolic link (it is never followed)",
        "Replace the link with a copy of the file it points to.",
    ),
    Rule(
        "GAL019",
        "import-leftovers",
        "file",
        "Must place or discard what `gallery import` could not place (import-leftovers.md) before the run is merged",
        "Open the file: each piece says where it came from and what to do with it; delete the file when done.",
        "warning",
    ),
    Rule(
        "GAL221",
        "unconfirmed-guess",
        "file",
        "Must confirm every value `gallery import` guessed (delete its `# guessed by gallery import` comment)",
        "Check the value against the chat, change it if the guess is wrong, then delete the comment.",
    ),
    Rule("GAL004", "empty-file", "file", "Must not be empty", "Fill the file in or delete it."),
    Rule("GAL005", "yaml-syntax", "file", "Must be well-formed YAML", "Fix the syntax at the given line."),
    Rule(
        "GAL006",
        "duplicate-key",
        "file",
        "Must not repeat a key in the same mapping",
        "Remove one of the two; YAML loaders silently keep only the last.",
    ),
    Rule(
        "GAL007",
        "anchor-or-alias",
        "file",
        "Must not use anchors (&name) or aliases (*name)",
        "Write the value out in full; aliases can expand to gigabytes.",
    ),
    Rule(
        "GAL008",
        "ambiguous-scalar",
        "file",
        "Must not use a plain scalar that YAML 1.1 and YAML 1.2 read differently (yes, no, on, off, 012, 1:20, 1_000, dates)",
        'Quote it if it is text ("no"), or write true/false or a plain decimal number.',
    ),
    Rule(
        "GAL009",
        "explicit-tag",
        "file",
        "Must not use explicit YAML tags (!!str, !!python/object, ...)",
        "Remove the tag; the schema decides every type.",
    ),
    Rule(
        "GAL010",
        "multiple-documents",
        "file",
        "Must hold exactly one YAML document",
        "Remove the extra `---` document or move it to its own file.",
    ),
    Rule("GAL011", "byte-order-mark", "file", "Must not start with a byte-order mark", "Save as UTF-8 without BOM."),
    Rule(
        "GAL012",
        "too-many-nodes",
        "file",
        "Must stay within the node-count and nesting limits",
        "A run file holds one question's entries; split anything larger.",
    ),
    Rule(
        "GAL013",
        "unexpected-file",
        "file",
        "Must be a data file the layout knows (solutions/<hw>/homework.yaml, solutions/<hw>/q<N>.yaml, "
        "transcripts/<hw>/<run>/run.yaml, transcripts/<hw>/<run>/q<N>.yaml, sources/<hw>/sources.yaml "
        "and the source documents beside it)",
        "Rename or move the file; see the file-format page.",
    ),
    Rule(
        "GAL014", "non-string-key", "file", "Must use plain text for every mapping key", "Quote the key or rename it."
    ),
    Rule(
        "GAL015",
        "schema-comment",
        "file",
        "Must start with the `# yaml-language-server: $schema=...` line for its file kind",
        "Copy the first line from a file of the same kind, or run `gallery new-run`.",
    ),
    # -- schema ---------------------------------------------------------------------------
    Rule(
        "GAL101",
        "unknown-key",
        "schema",
        "Must not have keys the schema does not define",
        "Check the spelling against the file-format page; unknown keys would be silently lost.",
    ),
    Rule("GAL102", "missing-key", "schema", "Must have every required key", "Add the key."),
    Rule(
        "GAL103",
        "wrong-type",
        "schema",
        "Must give each value the type the schema requires",
        "Compare with the file-format page (text, number, list, mapping).",
    ),
    Rule(
        "GAL104",
        "implicit-type",
        "schema",
        "Must quote text that YAML would read as a number, boolean or null (1.10, true, null)",
        'Put the value in quotes: "1.10".',
    ),
    Rule(
        "GAL105",
        "not-allowed-value",
        "schema",
        "Must use one of the allowed values",
        "Pick a value from the list in the message.",
    ),
    Rule(
        "GAL106",
        "bad-value",
        "schema",
        "Must satisfy the field's format and limits",
        "The message names the constraint (pattern, length, range).",
    ),
)

RULES: dict[str, Rule] = {}
CODE_PATTERN = re.compile(r"^GAL[0-9]{3}$")


def register(rule: Rule) -> Rule:
    """Add a rule to the registry; a code or a name used twice is a programming error."""
    if not CODE_PATTERN.match(rule.code):
        raise RuntimeError(f"malformed rule code {rule.code!r}")
    if rule.code in RULES and RULES[rule.code] != rule:
        raise RuntimeError(f"rule code {rule.code} registered twice")
    if any(other.name == rule.name and other.code != rule.code for other in RULES.values()):
        raise RuntimeError(f"rule name {rule.name!r} registered twice")
    RULES[rule.code] = rule
    return rule


for _rule in _RULE_LIST:
    register(_rule)


def rule_decorator(
    scope: Scope, functions: list[tuple[Rule, Callable[..., Any], dict[str, Any]]]
) -> Callable[..., Callable[[F], F]]:
    """A decorator factory for one scope: `@rule("GAL201", "id-mismatch", summary=..., fix=...)`.

    It registers the code and appends (rule, function, options) to `functions`, the list the
    scope's runner walks. A function that reports two codes carries two decorators.
    """

    def rule(
        code: str, name: str, *, summary: str, fix: str, severity: Severity = "error", **options: Any
    ) -> Callable[[F], F]:
        registered = register(Rule(code, name, scope, summary, fix, severity))

        def decorate(function: F) -> F:
            functions.append((registered, function, options))
            return function

        return decorate

    return rule


def sorted_rules() -> list[Rule]:
    """Every registered rule, by code (import `gallery.rules` first to have them all)."""
    return [RULES[code] for code in sorted(RULES)]
