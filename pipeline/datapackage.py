"""output/datapackage.json: a Frictionless tabular data package over the CSVs.

Field lists come from ``records.TABLE_COLUMNS`` and field types from the type
hints of the record dataclasses, so the schema is never typed twice; the
descriptions come from ``data/table_descriptions.yaml``. The JSON is
deterministic (sorted keys, no timestamps): the same output gives the same file.

    python -m pipeline.datapackage OUTPUT_DIR
"""
from __future__ import annotations

import argparse
import functools
import sys
import typing
from dataclasses import fields
from decimal import Decimal
from pathlib import Path
from typing import Any, Union

from . import io as pio
from . import records
from .data_access import yaml_mapping
from .records import APPROX_VALUES, INSTRUMENTS, INTERNAL_MENTION_TYPES, MENTION_TYPES, TABLE_COLUMNS

DESCRIPTIONS_PATH = "table_descriptions.yaml"

# Which record class each CSV is written from (its type hints give field types).
TABLE_RECORDS: dict[str, type] = {
    "documents": records.DocumentRow,
    "mentions": records.Mention,
    "measures": records.Measure,
    "programs": records.ProgramRow,
    "references": records.Reference,
    "program_registry": records.ProgramRegistryRow,
    "org_registry": records.OrgRegistryRow,
}
PRIMARY_KEYS: dict[str, list[str]] = {
    "documents": ["doc_id"],
    "mentions": ["mention_id"],
    "measures": ["measure_id"],
    "programs": ["doc_id", "program"],
    "references": ["doc_id", "ref_id"],
    "program_registry": ["program_id"],
    "org_registry": ["org_id"],
}
_PY_TO_FRICTIONLESS = {int: "integer", float: "number", Decimal: "number", bool: "boolean", str: "string"}


@functools.lru_cache(maxsize=1)
def table_descriptions() -> dict[str, Any]:
    return yaml_mapping(DESCRIPTIONS_PATH)


def _frictionless_type(hint: Any) -> str:
    """integer/number/boolean/string from a type hint such as Optional[int]."""
    if typing.get_origin(hint) is Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        hint = args[0] if len(args) == 1 else str
    return _PY_TO_FRICTIONLESS.get(hint, "string")


def field_types(table: str) -> dict[str, str]:
    """Column -> Frictionless type (string, integer, number, boolean) of one output table."""
    cls = TABLE_RECORDS[table]
    hints = typing.get_type_hints(cls, vars(records))
    known = {f.name for f in fields(cls)}
    return {col: _frictionless_type(hints[col]) if col in known else "string" for col in TABLE_COLUMNS[table]}


def enum_values() -> dict[str, list[str]]:
    """"table.column" -> allowed non-empty values (from records.py, else the YAML)."""
    enums = {
        "mentions.type": list(MENTION_TYPES) + list(INTERNAL_MENTION_TYPES),
        "measures.instrument": list(INSTRUMENTS),
        "mentions.approx": [a for a in APPROX_VALUES if a],
        "measures.approx": [a for a in APPROX_VALUES if a],
    }
    for key, values in (table_descriptions().get("enums") or {}).items():
        enums.setdefault(key, [str(v) for v in values])
    return enums


def table_schema(table: str) -> dict[str, Any]:
    described = ((table_descriptions().get("tables") or {}).get(table) or {}).get("columns") or {}
    enums = enum_values()
    keys = PRIMARY_KEYS.get(table, [])
    schema_fields = []
    for col, ftype in field_types(table).items():
        field: dict[str, Any] = {"name": col, "type": ftype, "description": str(described.get(col, ""))}
        constraints: dict[str, Any] = {}
        if f"{table}.{col}" in enums:
            constraints["enum"] = enums[f"{table}.{col}"]
        if col in keys:
            constraints["required"] = True
        if constraints:
            field["constraints"] = constraints
        schema_fields.append(field)
    schema: dict[str, Any] = {"fields": schema_fields, "missingValues": [""]}
    if keys:
        schema["primaryKey"] = keys
    if table != "documents" and "doc_id" in TABLE_COLUMNS[table]:
        schema["foreignKeys"] = [{"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}}]
    return schema


def build_datapackage(output_dir: str | Path = "output") -> dict[str, Any]:
    """The data package descriptor of output_dir's CSVs.

    Every table of records.TABLE_COLUMNS is described, present or not: the
    collector may write this before the CSVs (documents.csv comes last)."""
    meta = table_descriptions()
    pkg_meta = meta.get("package") or {}
    tables_meta = meta.get("tables") or {}
    resources = []
    for table in TABLE_COLUMNS:
        tmeta = tables_meta.get(table) or {}
        resources.append({
            "name": table,
            "path": f"{table}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": str(tmeta.get("title", table)),
            "description": str(tmeta.get("description", "")),
            "schema": table_schema(table),
        })
    descriptor: dict[str, Any] = {
        "name": str(pkg_meta.get("name", "policyx-output")),
        "title": str(pkg_meta.get("title", "")),
        "description": str(pkg_meta.get("description", "")),
        "profile": "tabular-data-package",
        "version": records.SCHEMA_VERSION,
        "resources": resources,
    }
    if pkg_meta.get("licenses"):
        descriptor["licenses"] = pkg_meta["licenses"]
    return descriptor


def write_datapackage(output_dir: str | Path) -> Path:
    """Write output_dir/datapackage.json (atomically) and return its path."""
    path = Path(output_dir) / "datapackage.json"
    pio.write_json(path, build_datapackage(output_dir))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.datapackage", description=__doc__.splitlines()[0])
    parser.add_argument("output_dir")
    args = parser.parse_args(argv)
    print(write_datapackage(args.output_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
