"""The typed schema of every data file: the single source of truth.

Four file kinds:

* `solutions/<hw>/homework.yaml` -> `HomeworkFile`
* `solutions/<hw>/q<N>.yaml` -> `QuestionFile` (statement, parts, references, answer keys)
* `transcripts/<hw>/<run>/run.yaml` -> `RunFile` (one model, one chat session: provenance)
* `transcripts/<hw>/<run>/q<N>.yaml` -> `RunQuestionFile` (the run's entries for one question)

The JSON Schemas for editors, the file-format docs page and the validator's schema stage
are all generated from these classes. Field descriptions are written for contributors.
Models are strict: unknown keys are errors and nothing is coerced (a YAML number is never
silently turned into text).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from gallery.data.verdicts import GRADED_VERDICTS, VERDICT_MEANINGS, Verdict

__all__ = [
    "GRADED_VERDICTS",
    "VERDICT_MEANINGS",
    "Verdict",
]  # re-exported: the vocabulary lives in gallery.data.verdicts

# -- shared vocabularies ------------------------------------------------------------------

FAILURE_TAGS: dict[str, str] = {
    "misread-input": "Read the question or its givens wrongly (a number, a matrix, a screenshot).",
    "arithmetic-error": "Set the calculation up right and got the arithmetic wrong.",
    "unit-error": "Mixed or dropped units (bits and bytes, GB and GiB, per-token and total).",
    "wrong-formula": "Used a formula or model that does not apply.",
    "conceptual-error": "Misunderstood the idea the part tests.",
    "incomplete": "Answered only some of what the part asks.",
    "answered-a-different-question": "Answered a question other than the one asked.",
    "unsupported-claim": "Stated a result without a derivation the part requires, or with a wrong justification.",
    "hallucinated-fact": "Asserted a fact (a paper, a number, a property) that is false.",
    "ignored-instruction": "Did not follow an explicit instruction (format, assumptions, values to use).",
    "verbose": "Buried the answer in more text than the part needs.",
    "no-output": "Produced no answer text at all.",
    "needed-hint": "Reached the right answer only after a hint or correction.",
}
if TYPE_CHECKING:  # a Literal built at run time is opaque to type checkers
    FailureTag = str
else:
    FailureTag = Literal[tuple(FAILURE_TAGS)]

Strategy = Literal["one-shot", "part-by-part", "mixed"]
STRATEGY_MEANINGS: dict[str, str] = {
    "one-shot": "All parts of a question (or several questions) asked in one prompt.",
    "part-by-part": "Each part asked in its own prompt, in order.",
    "mixed": "Some parts together, others one by one.",
}
Modality = Literal["pasted-text", "screenshots", "pdf-upload", "mixed"]
MODALITY_MEANINGS: dict[str, str] = {
    "pasted-text": "The question text was typed or pasted into the chat.",
    "screenshots": "Images of the homework were uploaded.",
    "pdf-upload": "The homework PDF was uploaded.",
    "mixed": "More than one of the above.",
}
# The same vocabularies as short phrases for running text ("ChatGPT, one prompt per part, ...")
STRATEGY_PHRASES = {
    "one-shot": "all parts in one prompt",
    "part-by-part": "one prompt per part",
    "mixed": "some parts together, some one by one",
}
MODALITY_PHRASES = {
    "pasted-text": "questions pasted as text",
    "screenshots": "questions given as screenshots",
    "pdf-upload": "the homework PDF uploaded",
    "mixed": "questions given in more than one way",
}
Interface = Literal["web-chat", "api", "app", "unknown"]
FollowupKind = Literal["hint", "correction", "extra-prompt", "retry"]
FOLLOWUP_MEANINGS: dict[str, str] = {
    "hint": "The user pointed toward the answer without giving it.",
    "correction": "The user said what was wrong (e.g. a misread input) and asked again.",
    "extra-prompt": "The user asked for more (detail, a missing piece) without saying it was wrong.",
    "retry": "The same prompt was sent again (e.g. after an empty response).",
}

# -- patterns ----------------------------------------------------------------------------

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
HOMEWORK_ID_PATTERN = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
LABEL_PATTERN = r"^[1-9][0-9]?\([a-z]\)(?:\((?:" + "|".join(ROMAN) + r")\))?$"
DATE_PATTERN = r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"
KEY_ITEM_ID_PATTERN = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
GIVEN_NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=1, max_length=64)]
PartLabel = Annotated[
    str,
    Field(
        pattern=LABEL_PATTERN,
        description='The part as the homework labels it: "1(a)", "2(c)(ii)", "7(b)(iv)".',
        examples=["1(a)", "2(c)(ii)"],
    ),
]
OneLine = Annotated[str, Field(min_length=1, max_length=300, pattern=r"^[^\n]*$")]
Markdown = Annotated[str, Field(min_length=1, description="Markdown with $...$ / $$...$$ LaTeX.")]

_LABEL_RE = re.compile(r"^([1-9][0-9]?)\(([a-z])\)(?:\(([ivx]+)\))?$")


def label_sort_key(label: str) -> tuple[int, int, int]:
    """Homework order of a part label: question number, letter, roman sub-part."""
    match = _LABEL_RE.match(label)
    if not match:
        return (10**6, 0, 0)
    number, letter, roman = match.groups()
    return (int(number), ord(letter), ROMAN.index(roman) + 1 if roman in ROMAN else 0)


def label_question(label: str) -> int | None:
    match = _LABEL_RE.match(label)
    return int(match.group(1)) if match else None


def label_slug(label: str) -> str:
    """A URL fragment for a label: "2(c)(ii)" -> "2c-ii"."""
    match = _LABEL_RE.match(label)
    if not match:
        return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    number, letter, roman = match.groups()
    return f"{number}{letter}" + (f"-{roman}" if roman else "")


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# -- solutions ----------------------------------------------------------------------------


class HomeworkFile(StrictModel):
    """`solutions/<hw>/homework.yaml`: the homework as a whole."""

    homework: Annotated[
        str,
        Field(
            pattern=HOMEWORK_ID_PATTERN,
            max_length=32,
            description="The homework id; must equal the folder name.",
            examples=["hw11"],
        ),
    ]
    course: OneLine = Field(description='The course, e.g. "CS182/282A: Deep Neural Networks".')
    institution: OneLine
    term: OneLine = Field(description='When the homework was set, e.g. "Fall 2025".')
    title: OneLine = Field(description='The homework\'s own title, e.g. "Homework 11".')
    source: Markdown = Field(description="Where the homework comes from and how its text reached us.")
    summary: Markdown = Field(description="What the homework covers, in a sentence or two.")


class Tolerance(StrictModel):
    """How far a stated number may be from the key and still match. Give exactly one."""

    absolute: float | None = Field(default=None, description="|stated - value| <= absolute")
    relative: float | None = Field(default=None, description="|stated - value| <= relative * |value|")
    factor: float | None = Field(
        default=None, description="value / factor <= stated <= value * factor (for order-of-magnitude estimates)"
    )


class _KeyItemBase(StrictModel):
    id: Annotated[
        str,
        Field(
            pattern=KEY_ITEM_ID_PATTERN,
            max_length=48,
            description="Names the item within its part; entries use it in `stated`.",
        ),
    ]
    description: OneLine = Field(description='What the item is, e.g. "LoRA memory in bytes for m=l=1000, k=8".')
    asked: bool = Field(
        default=True,
        description="false for a value the part does not ask for (an intermediate result): "
        "stating it can confirm an answer, leaving it out never makes the answer partial.",
    )
    reading: Slug | None = Field(
        default=None,
        description="For an ambiguous part, the name of the reading this item belongs to: an answer is "
        "matched against one reading as a whole, and one that mixes readings is flagged.",
    )
    cues: list[Annotated[str, Field(min_length=1, max_length=60)]] = Field(
        default_factory=list,
        description="Words an answer writes where it states this item (any one, case-insensitive, on the "
        "value's line or the two lines before); empty means anywhere in the answer.",
    )


class NumberKey(_KeyItemBase):
    """A number with a unit and a tolerance."""

    kind: Literal["number"]
    value: float
    unit: Annotated[str, Field(max_length=40, description='Unit of `value`; "" for a pure number.')]
    tolerance: Tolerance
    tolerance_reason: OneLine | None = Field(
        default=None, description="Why this tolerance; required when it is over 10% or a factor."
    )
    also_accept: list[float] = Field(
        default_factory=list, description="Other values that match under another reading of the part."
    )


class BooleanKey(_KeyItemBase):
    """A true/false answer."""

    kind: Literal["boolean"]
    value: bool


class ChoiceKey(_KeyItemBase):
    """One or more correct options out of a fixed list."""

    kind: Literal["choice"]
    options: list[OneLine] = Field(min_length=2)
    correct: list[OneLine] = Field(min_length=1, description="The options that are right (all must be chosen).")
    signals: dict[OneLine, list[Annotated[str, Field(min_length=1, max_length=200)]]] = Field(
        default_factory=dict,
        description="For each option, regular expressions (case-insensitive) whose presence in an answer "
        "means it chose that option; the automatic check reads choices only through these.",
    )

    @field_validator("signals")
    @classmethod
    def _signals_compile(cls, signals: dict[str, list[str]]) -> dict[str, list[str]]:
        for option, patterns in signals.items():
            for pattern in patterns:
                try:
                    re.compile(pattern)
                except re.error as error:
                    raise ValueError(
                        f"the signal {pattern!r} for {option!r} is not a regular expression ({error})"
                    ) from None
        return signals

    @model_validator(mode="after")
    def _signals_name_options(self) -> ChoiceKey:
        unknown = [option for option in self.signals if option not in self.options]
        if unknown:
            raise ValueError(f"signals name options that are not in `options`: {', '.join(map(repr, unknown))}")
        return self


class CountKey(_KeyItemBase):
    """A whole number that must match exactly."""

    kind: Literal["count"]
    value: int


class ExpressionKey(_KeyItemBase):
    """A formula, compared by evaluating both sides at random points."""

    kind: Literal["expression"]
    value: OneLine = Field(description="Calculator syntax: + - * / ** ( ), numbers and `variables`, e.g. 4*k*(m+l).")
    variables: list[Annotated[str, Field(pattern=GIVEN_NAME_PATTERN)]] = Field(min_length=1)
    latex: OneLine = Field(description="The same formula in LaTeX, for display.")


KeyItem = Annotated[
    NumberKey | BooleanKey | ChoiceKey | CountKey | ExpressionKey,
    Field(discriminator="kind"),
]


class Given(StrictModel):
    """A number the question gives, kept so answer keys can be recomputed from it."""

    name: Annotated[str, Field(pattern=GIVEN_NAME_PATTERN, max_length=40)]
    value: float
    unit: Annotated[str, Field(max_length=40)]
    description: OneLine


class Part(StrictModel):
    """One part of a question, with our reference solution and its answer key."""

    label: PartLabel
    title: OneLine = Field(description="A few words naming what the part asks.")
    prompt: Markdown = Field(description="The part's statement, in our own words, keeping every given.")
    graded: bool = Field(default=True, description="false for reading-only parts (e.g. 5(a), 5(i)).")
    optional: bool = Field(default=False, description="true for parts the homework marks optional.")
    reference: Markdown | None = Field(default=None, description="Our reference solution, with its derivation.")
    answer_key: list[KeyItem] = Field(default_factory=list, description="Checkable results of the part.")
    notebooks: list[Slug] = Field(
        default_factory=list, description="Reference notebooks (docs/notebooks/<name>.ipynb) that support the part."
    )


class QuestionFile(StrictModel):
    """`solutions/<hw>/q<N>.yaml`: one question with all its parts."""

    homework: Annotated[str, Field(pattern=HOMEWORK_ID_PATTERN, max_length=32)]
    question: Annotated[int, Field(ge=1, le=99, description="The question number; the file is q<number>.yaml.")]
    title: OneLine
    statement: Markdown = Field(description="The question's shared setup, in our own words, keeping every given.")
    givens: list[Given] = Field(default_factory=list)
    notes: Markdown | None = Field(default=None, description="Ambiguities, disagreements between sources, errata.")
    parts: list[Part] = Field(min_length=1)


# -- transcripts --------------------------------------------------------------------------


def _check_stated_value(value: Any) -> Any:
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return value
    raise ValueError("must be a number, true/false, text, or a list of option texts")


StatedValue = Annotated[Any, AfterValidator(_check_stated_value)]
StatedValues = Annotated[
    dict[Annotated[str, Field(pattern=KEY_ITEM_ID_PATTERN)], StatedValue],
    Field(description="The values the answer states, by answer-key item id, in the key's unit."),
]


class Annotation(StrictModel):
    """An annotator's verdict and note, exactly as they gave them."""

    by: Slug = Field(description="An annotator id from run.yaml.")
    verdict: Verdict | None = Field(
        default=None, description="Their verdict mapped to the vocabulary, if they gave one."
    )
    verdict_text: OneLine | None = Field(default=None, description="The words they used for it, verbatim.")
    note: Markdown | None = Field(default=None, description="Their note, verbatim.")


class Review(StrictModel):
    """Our verdict against the reference, with a one-line reason."""

    verdict: Verdict | None = Field(default=None, description="Left empty only in a fresh scaffold.")
    reason: Annotated[str, Field(max_length=400, pattern=r"^[^\n]*$")] | None = Field(
        default=None, description="One line: why; and why it differs from the annotator's verdict if it does."
    )


class _Graded(StrictModel):
    """What entries and follow-ups share: an answer and its grades."""

    answer: Markdown | None = Field(default=None, description="The model's answer, verbatim Markdown.")
    answer_missing: OneLine | None = Field(
        default=None, description="Why the answer text is absent (e.g. the seed lost it, the model gave no output)."
    )
    annotations: list[Annotation] = Field(default_factory=list, description="Annotators' verdicts and notes.")
    review: Review = Field(description="Our verdict against the reference.")
    stated: StatedValues = Field(default_factory=dict)
    tags: list[FailureTag] = Field(default_factory=list, description="Failure tags from the fixed vocabulary.")


class Followup(_Graded):
    """A user turn after the first answer to the part, and what came back (graded after the turn)."""

    kind: FollowupKind
    prompt: Markdown = Field(description="What the user said, verbatim.")


class Entry(_Graded):
    """What a run did with one part: the first answer, its grades, and any follow-ups."""

    part: PartLabel
    prompt: Markdown | None = Field(
        default=None, description="The user's prompt for this part, verbatim, if it had its own."
    )
    followups: list[Followup] = Field(default_factory=list)


class ModelInfo(StrictModel):
    name: OneLine = Field(description='The model as the interface showed it, or "unknown".')
    vendor: OneLine = Field(description='Who serves it, or "unknown".')
    mode: OneLine | None = Field(default=None, description='A mode the interface showed, e.g. "Thinking".')


class Annotator(StrictModel):
    id: Slug
    name: OneLine = Field(description='Their name, or a description such as "the write-up\'s evaluator".')
    role: OneLine = Field(description='What they did, e.g. "wrote the write-up and marked each part".')


class SourceDocument(StrictModel):
    file: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]+$", max_length=120)]
    description: OneLine


class RunFile(StrictModel):
    """`transcripts/<hw>/<run>/run.yaml`: one model, one chat session, and where it came from."""

    run: Slug = Field(description="The run id; must equal the folder name.")
    homework: Annotated[str, Field(pattern=HOMEWORK_ID_PATTERN, max_length=32)]
    label: Annotated[
        str,
        Field(min_length=1, max_length=28, pattern=r"^[^\n]*$", description="Short column label for grids and tables."),
    ]
    model: ModelInfo
    interface: Interface
    date: Annotated[str, Field(pattern=DATE_PATTERN)] | None = Field(
        default=None, description='When the session took place, "YYYY", "YYYY-MM" or "YYYY-MM-DD", if known.'
    )
    date_basis: Literal["session", "write-up"] | None = Field(
        default=None, description="Whether `date` is the session's own date or only the write-up's."
    )
    strategy: Strategy
    strategy_note: Markdown = Field(description="How the prompts were given, in our words.")
    modality: Modality
    contributor: OneLine = Field(description="Who ran the session (the write-up's author where named).")
    annotators: list[Annotator] = Field(default_factory=list)
    source_documents: list[SourceDocument] = Field(min_length=1)
    repairs: list[OneLine] = Field(
        default_factory=list, description="Extraction damage repaired when copying the answers (empty if none)."
    )
    notes: Markdown | None = None


class RunQuestionFile(StrictModel):
    """`transcripts/<hw>/<run>/q<N>.yaml`: a run's entries for one question, one per part."""

    run: Slug
    question: Annotated[int, Field(ge=1, le=99)]
    entries: list[Entry] = Field(min_length=1)


# -- sources ------------------------------------------------------------------------------


class SourceInfo(StrictModel):
    """One source document: what it is, who made it and when, as far as we know."""

    file: Annotated[
        str, Field(pattern=r"^[A-Za-z0-9._-]+$", max_length=120, description="Its file name in sources/<hw>/.")
    ]
    title: OneLine = Field(description="What readers call it: the write-up's own title, or a description.")
    author: OneLine | None = Field(default=None, description="Who wrote it, where the document names them.")
    date: Annotated[str, Field(pattern=DATE_PATTERN)] | None = Field(
        default=None, description="When, if the document says."
    )
    form: OneLine = Field(description='What the file is, e.g. "text extracted from a PDF print of a chat".')
    description: Markdown = Field(description="What it holds, for readers of the Sources page.")
    derived_from: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]+$", max_length=120)] | None = Field(
        default=None, description="The file this one was made from (a repaired copy names the original)."
    )


class SourcesFile(StrictModel):
    """`sources/<hw>/sources.yaml`: every source document of the homework, described once."""

    homework: Annotated[str, Field(pattern=HOMEWORK_ID_PATTERN, max_length=32)]
    documents: list[SourceInfo] = Field(min_length=1)


# The list whose valid items the loader keeps when others fail (see gallery.data.load)
SALVAGEABLE: dict[str, tuple[str, type[StrictModel]]] = {
    "question": ("parts", Part),
    "run-question": ("entries", Entry),
}

FILE_KINDS: dict[str, type[StrictModel]] = {
    "homework": HomeworkFile,
    "question": QuestionFile,
    "run": RunFile,
    "run-question": RunQuestionFile,
    "sources": SourcesFile,
}
