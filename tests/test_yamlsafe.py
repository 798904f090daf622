"""The safe YAML loader: scalar resolution, refusals, positions."""

from __future__ import annotations

import pytest

from gallery.data.yamlsafe import Mark, load_yaml, locate, resolve_plain


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12", 12),
        ("-3", -3),
        ("0x1F", 31),
        ("0.5", 0.5),
        ("1.10", 1.1),
        ("1.5e+3", 1500.0),
        ("true", True),
        ("False", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("hello", "hello"),
        ("1(a)", "1(a)"),
        ("2(c)(ii)", "2(c)(ii)"),
    ],
)
def test_plain_scalars_resolve_with_the_yaml_1_2_core_schema(raw: str, value: object) -> None:
    assert resolve_plain(raw) == value and type(resolve_plain(raw)) is type(value)


@pytest.mark.parametrize(
    "raw", ["yes", "No", "OFF", "on", "012", "1:20", "1_000", "2025-12-07", "0b101", "1e9", "141e9", "1.5e9"]
)
def test_scalars_read_differently_by_yaml_1_1_are_refused(raw: str) -> None:
    result = load_yaml(f"key: {raw}\n")
    assert [i.code for i in result.issues] == ["GAL008"]
    assert result.issues[0].mark == Mark(1, 6)


@pytest.mark.parametrize("raw", ['"yes"', "'012'", '"2025-12-07"', "1.0e+9"])
def test_quoted_or_unambiguous_forms_pass(raw: str) -> None:
    assert load_yaml(f"key: {raw}\n").issues == []


def test_duplicate_keys_are_refused_at_every_depth() -> None:
    text = "a: 1\nb:\n  c:\n    - {d: 1, d: 2}\n  c: 3\na: 4\n"
    result = load_yaml(text)
    assert [(i.code, i.mark) for i in result.issues] == [
        ("GAL006", Mark(4, 14)),
        ("GAL006", Mark(5, 3)),
        ("GAL006", Mark(6, 1)),
    ]
    assert result.value == {"a": 1, "b": {"c": [{"d": 1}]}}  # the first occurrence is kept


def test_alias_bomb_is_refused_without_expanding() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    result = load_yaml("\n".join(lines) + "\n")
    codes = {i.code for i in result.issues}
    assert codes == {"GAL007"}
    assert len(result.issues) == 5  # capped, not one per alias
    assert result.value["i"] == [None] * 9  # aliases are replaced by nothing, never expanded


def test_explicit_tags_are_refused_and_never_constructed() -> None:
    result = load_yaml("x: !!python/object/apply:os.system ['echo pwned']\n")
    assert [i.code for i in result.issues] == ["GAL009"]
    assert result.value == {"x": ["echo pwned"]}


def test_syntax_errors_carry_their_position() -> None:
    result = load_yaml("a: [1, 2\nb: 3\n")
    assert [i.code for i in result.issues] == ["GAL005"]
    assert result.issues[0].mark.line == 2


def test_nesting_is_capped() -> None:
    result = load_yaml("a: " + "[" * 100 + "]" * 100 + "\n")
    assert [i.code for i in result.issues] == ["GAL012"]
    assert result.value is None


def test_locate_skips_union_tags_and_points_missing_keys_at_the_parent() -> None:
    result = load_yaml("parts:\n  - answer_key:\n      - kind: number\n        value: x\n")
    assert locate(result.node, ("parts", 0, "answer_key", 0, "number", "value")) == (Mark(4, 16), True)
    assert locate(result.node, ("parts", 0, "answer_key", 0, "unit")) == (Mark(3, 9), False)


def test_control_characters_written_as_escapes_are_refused() -> None:
    result = load_yaml('label: "Demo \\u202emodel\\x1b[31m"\n')
    assert [(i.code, i.mark) for i in result.issues] == [("GAL003", Mark(1, 8))]
