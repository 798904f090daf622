"""Every rule the validator enforces, with its stable code, in one table.

Codes never change meaning and are never reused. The docs page of error codes, the
contributing guide and the tests (one failing fixture per code) are all driven from
`RULES`. Summaries are written as the rule itself ("Must ..."), the way a reviewer would
say it; `fix` tells a contributor what to do about it.

Scopes:
  file    - reading the bytes and parsing YAML, before any schema applies
  schema  - the typed models in `gallery.data.models`
  content - rules about one file that the schema cannot express
  tree    - rules that need the whole repository (cross-file references, completeness)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Scope = Literal["file", "schema", "content", "tree"]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    scope: Scope
    summary: str
    fix: str


_RULE_LIST: tuple[Rule, ...] = (
    # -- file: bytes and YAML -------------------------------------------------------------
    Rule("GAL001", "file-too-large", "file", "Must not be larger than the size cap (checked before parsing)",
         "Split the data: one file per question keeps every file small."),
    Rule("GAL002", "invalid-utf8", "file", "Must be valid UTF-8",
         "Re-save the file as UTF-8; the column points at the first bad byte."),
    Rule("GAL003", "control-character", "file",
         "Must not contain control characters other than tab and newline (no NUL, ESC, CR, bidi overrides)",
         "Delete the character; ANSI colour codes and Windows line endings are the usual cause."),
    Rule("GAL004", "empty-file", "file", "Must not be empty", "Fill the file in or delete it."),
    Rule("GAL005", "yaml-syntax", "file", "Must be well-formed YAML", "Fix the syntax at the given line."),
    Rule("GAL006", "duplicate-key", "file", "Must not repeat a key in the same mapping",
         "Remove one of the two; YAML loaders silently keep only the last."),
    Rule("GAL007", "anchor-or-alias", "file", "Must not use anchors (&name) or aliases (*name)",
         "Write the value out in full; aliases can expand to gigabytes."),
    Rule("GAL008", "ambiguous-scalar", "file",
         "Must not use a plain scalar that YAML 1.1 and YAML 1.2 read differently (yes, no, on, off, 012, 1:20, 1_000, dates)",
         "Quote it if it is text (\"no\"), or write true/false or a plain decimal number."),
    Rule("GAL009", "explicit-tag", "file", "Must not use explicit YAML tags (!!str, !!python/object, ...)",
         "Remove the tag; the schema decides every type."),
    Rule("GAL010", "multiple-documents", "file", "Must hold exactly one YAML document",
         "Remove the extra `---` document or move it to its own file."),
    Rule("GAL011", "byte-order-mark", "file", "Must not start with a byte-order mark",
         "Save as UTF-8 without BOM."),
    Rule("GAL012", "too-many-nodes", "file", "Must stay within the node-count and nesting limits",
         "A run file holds one question's entries; split anything larger."),
    Rule("GAL013", "unexpected-file", "file",
         "Must be a data file the layout knows (solutions/<hw>/homework.yaml, solutions/<hw>/q<N>.yaml, "
         "transcripts/<hw>/<run>/run.yaml, transcripts/<hw>/<run>/q<N>.yaml)",
         "Rename or move the file; see the file-format page."),
    Rule("GAL014", "non-string-key", "file", "Must use plain text for every mapping key",
         "Quote the key or rename it."),
    Rule("GAL015", "schema-comment", "file",
         "Must start with the `# yaml-language-server: $schema=...` line for its file kind",
         "Copy the first line from a file of the same kind, or run `gallery new-run`."),
    # -- schema ---------------------------------------------------------------------------
    Rule("GAL101", "unknown-key", "schema", "Must not have keys the schema does not define",
         "Check the spelling against the file-format page; unknown keys would be silently lost."),
    Rule("GAL102", "missing-key", "schema", "Must have every required key", "Add the key."),
    Rule("GAL103", "wrong-type", "schema", "Must give each value the type the schema requires",
         "Compare with the file-format page (text, number, list, mapping)."),
    Rule("GAL104", "implicit-type", "schema",
         "Must quote text that YAML would read as a number, boolean or null (1.10, true, null)",
         "Put the value in quotes: \"1.10\"."),
    Rule("GAL105", "not-allowed-value", "schema", "Must use one of the allowed values",
         "Pick a value from the list in the message."),
    Rule("GAL106", "bad-value", "schema", "Must satisfy the field's format and limits",
         "The message names the constraint (pattern, length, range)."),
    # -- content: one file ----------------------------------------------------------------
    Rule("GAL201", "id-mismatch", "content", "Must have ids that agree with the file's name and folder",
         "Rename the file or fix the id inside it; the file name is the id."),
    Rule("GAL202", "unbalanced-math", "content", "Must close every math delimiter it opens (`$`, `$$`, `\\(`, `\\[`)",
         "Close the formula, or write a literal dollar sign as `\\$`."),
    Rule("GAL203", "label-question-mismatch", "content",
         "Must label parts with their own question's number (\"1(a)\" in question 1)", "Fix the label."),
    Rule("GAL204", "duplicate-label", "content", "Must not list the same part twice",
         "Merge the two entries or fix a label."),
    Rule("GAL205", "part-order", "content", "Must list parts in homework order",
         "Move the part to its place: 1(a) before 1(b), 2(c)(i) before 2(c)(ii)."),
    Rule("GAL206", "missing-review-verdict", "content", "Must have a review verdict for every entry and follow-up",
         "Set review.verdict to correct, partial, incorrect, skipped or not-asked."),
    Rule("GAL207", "missing-review-reason", "content", "Must give a one-line reason with every review verdict",
         "Say why in review.reason, and why it differs from the annotator's verdict if it does."),
    Rule("GAL208", "missing-answer", "content",
         "Must have the answer text (or say why it is missing) when the verdict grades an answer",
         "Paste the answer, or set answer_missing to what happened to it."),
    Rule("GAL209", "answer-on-not-asked", "content", "Must not have an answer for a part the run did not ask",
         "Use skipped if it was asked and not answered, or grade the answer."),
    Rule("GAL210", "unknown-annotator", "tree", "Must name an annotator listed in run.yaml",
         "Add the annotator to run.yaml's annotators, or fix the id."),
    Rule("GAL211", "duplicate-key-item", "content", "Must not repeat an answer-key item id within a part",
         "Give each item its own id."),
    Rule("GAL212", "missing-reference", "content", "Must have a reference solution for every graded part",
         "Write the reference, or mark the part graded: false if it is reading only."),
    Rule("GAL213", "empty-annotation", "content", "Must give a verdict or a note in every annotation",
         "Remove the empty annotation."),
    Rule("GAL214", "bad-tolerance", "content",
         "Must give a number key exactly one positive tolerance, and a reason when it is loose",
         "Use one of absolute, relative, factor; explain tolerances over 10% or factors in tolerance_reason."),
    Rule("GAL215", "bad-choice", "content", "Must pick correct choices from the item's own options",
         "Make every entry of `correct` one of `options`."),
    Rule("GAL216", "bad-expression", "content",
         "Must write expressions in the calculator syntax with only the listed variables",
         "Use + - * / ** ( ) numbers and the names in `variables`."),
    Rule("GAL217", "duplicate-given", "content", "Must not define the same given twice", "Rename one."),
    # -- tree: across files ---------------------------------------------------------------
    Rule("GAL301", "missing-homework", "tree", "Must have solutions/<hw>/homework.yaml for every homework",
         "Add the homework file, or fix the homework id."),
    Rule("GAL302", "unknown-question", "tree", "Must only cover questions the homework has",
         "Remove the file or add the question to solutions/."),
    Rule("GAL303", "missing-entry", "tree", "Must have an entry for every part of a question the run covers",
         "Add the entry; use not-asked for parts outside the run."),
    Rule("GAL304", "orphan-entry", "tree", "Must only have entries for parts the question has",
         "Fix the label or remove the entry."),
    Rule("GAL305", "duplicate-id", "tree", "Must use an id only once across the repository",
         "Rename one of the two runs or questions."),
    Rule("GAL306", "unknown-key-item", "tree", "Must only state values for items in the part's answer key",
         "Use an item id from the part's answer_key, or remove the value."),
    Rule("GAL307", "stated-value-kind", "tree", "Must state a value of the kind the answer-key item expects",
         "number: a number; count: a whole number; boolean: true/false; choice: an option; expression: text."),
    Rule("GAL308", "missing-run-file", "tree", "Must have run.yaml in every run folder",
         "Run `gallery new-run` or copy run.yaml from another run."),
    Rule("GAL309", "empty-run", "tree", "Must cover at least one question", "Add a q<N>.yaml file."),
    Rule("GAL310", "missing-notebook", "tree", "Must only link notebooks that exist under docs/notebooks/",
         "Fix the name or add the notebook."),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULE_LIST}

if len(RULES) != len(_RULE_LIST):  # pragma: no cover - guards edits to the table
    raise RuntimeError("duplicate rule code in gallery.data.codes")
