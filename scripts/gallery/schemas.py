"""JSON Schemas generated from the models: one per data-file kind, and one for the export.

Editors use them through each data file's `# yaml-language-server: $schema=...` line. They
are committed (editors need them in the checkout) and a test fails when they drift from
the models; `gallery schema` rewrites them.
"""

from __future__ import annotations

import json
from pathlib import Path

from gallery.data.layout import SCHEMA_DIR, SCHEMA_FILES
from gallery.data.models import FILE_KINDS

SCHEMA_BASE_URL = "https://llm-homework-gallery.invalid/schemas/"


def file_schema(kind: str) -> dict:
    model = FILE_KINDS[kind]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_BASE_URL + SCHEMA_FILES[kind]  # type: ignore[index]
    return schema


def all_schemas() -> dict[str, str]:
    """File name -> JSON text, for every generated schema."""
    from gallery.export import export_schema

    out = {SCHEMA_FILES[kind]: _dump(file_schema(kind)) for kind in FILE_KINDS}  # type: ignore[index]
    out["export.schema.json"] = _dump(export_schema())
    return out


def _dump(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schemas(root: Path, *, check: bool = False) -> list[str]:
    """Write (or, with check, compare) the schemas; return the names that were out of date."""
    folder = root / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    stale = []
    for name, text in all_schemas().items():
        path = folder / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(name)
            if not check:
                path.write_text(text, encoding="utf-8")
    return stale
