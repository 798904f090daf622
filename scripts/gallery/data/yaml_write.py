"""Write data files in the gallery's canonical YAML, which the strict loader reads back unchanged.

Used by the contributor tools (`gallery new-run`, `gallery import-chat`) so that what they
write is exactly what a person would write by hand: Markdown as literal blocks, short text
double-quoted, numbers in a spelling YAML 1.1 and 1.2 read alike, no anchors or tags.
"""

from __future__ import annotations

import json
import math
from typing import Any

INDENT = "  "


def scalar(value: Any) -> str:
    """A one-line YAML scalar."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
        if value == int(value) and abs(value) < 1e15:
            return f"{value:.1f}"
        text = repr(value)
        if "e" in text:  # YAML 1.1 needs a dot in the mantissa and a signed exponent
            mantissa, exponent = text.split("e")
            mantissa = mantissa if "." in mantissa else mantissa + ".0"
            exponent = exponent if exponent[0] in "+-" else "+" + exponent
            text = f"{mantissa}e{exponent}"
        return text
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar
    raise TypeError(f"not a scalar: {value!r}")


def _block(text: str, indent: str) -> str:
    """A literal block scalar keeping the text exactly (indentation and chomping indicators as needed)."""
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    indicator = "2" if body[:1] in (" ", "\t") else ""
    lines = [(indent + line) if line else "" for line in body.split("\n")]
    tail = "\n" * (trailing - 1) if trailing > 1 else ""
    return f"|{indicator}{chomp}\n" + "\n".join(lines) + "\n" + tail


def _is_block_text(value: Any) -> bool:
    return isinstance(value, str) and ("\n" in value or len(value) > 100)


def dump(value: Any, level: int = 0) -> str:
    """A mapping or list as block YAML."""
    pad = INDENT * level
    out = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                out.append(f"{pad}{key}:\n{dump(item, level + 1)}")
            elif isinstance(item, dict):
                out.append(f"{pad}{key}: {{}}\n")
            elif isinstance(item, list):
                out.append(f"{pad}{key}: []\n")
            elif _is_block_text(item):
                out.append(f"{pad}{key}: {_block(item, pad + INDENT)}")
            else:
                out.append(f"{pad}{key}: {scalar(item)}\n")
        return "".join(out)
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                first, *rest = dump(item, level + 1).split("\n", 1)
                out.append(f"{pad}- {first.lstrip()}\n" + (rest[0] if rest else ""))
            elif isinstance(item, list) and item:
                out.append(f"{pad}-\n{dump(item, level + 1)}")
            elif _is_block_text(item):
                out.append(f"{pad}- {_block(item, pad + INDENT)}")
            else:
                out.append(f"{pad}- {scalar(item)}\n")
        return "".join(out)
    raise TypeError(f"dump() takes a mapping or a list, not {type(value).__name__}")


def document(schema_comment: str, value: dict[str, Any]) -> str:
    return schema_comment + "\n" + dump(value)
