"""The data package describes every output CSV and the real validator accepts it."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from frictionless import validate

from pipeline.datapackage import build_datapackage, field_types, table_descriptions, write_datapackage
from pipeline.records import INSTRUMENTS, MENTION_TYPES, TABLE_COLUMNS

FIXTURE = Path(__file__).parent / "fixtures" / "output_small"
REAL_OUTPUT = Path(__file__).resolve().parents[1] / "output"


@pytest.fixture()
def out_dir(tmp_path: Path) -> Path:
    target = tmp_path / "output"
    shutil.copytree(FIXTURE, target)
    return target


def _schema(pkg: dict, table: str) -> dict:
    return next(r for r in pkg["resources"] if r["name"] == table)["schema"]


def _fields(pkg: dict, table: str) -> dict[str, dict]:
    return {f["name"]: f for f in _schema(pkg, table)["fields"]}


def test_every_column_is_described_in_yaml() -> None:
    described = table_descriptions()["tables"]
    for table, columns in TABLE_COLUMNS.items():
        missing = [c for c in columns if not str(described[table]["columns"].get(c, "")).strip()]
        assert missing == [], f"{table}: undescribed columns {missing}"


def test_fields_follow_records_in_order_with_types(out_dir: Path) -> None:
    pkg = build_datapackage(out_dir)
    assert [r["name"] for r in pkg["resources"]] == list(TABLE_COLUMNS)
    for table, columns in TABLE_COLUMNS.items():
        assert [f["name"] for f in _schema(pkg, table)["fields"]] == columns
    assert field_types("documents")["pages"] == "integer"
    assert field_types("documents")["year"] == "integer"        # Optional[int]
    assert field_types("measures")["value"] == "number"         # Optional[float]
    assert field_types("measures")["confidence"] == "number"
    assert field_types("mentions")["text"] == "string"
    assert field_types("programs")["mentions"] == "integer"


def test_keys_and_constraints(out_dir: Path) -> None:
    pkg = build_datapackage(out_dir)
    assert pkg["profile"] == "tabular-data-package"
    assert _schema(pkg, "documents")["primaryKey"] == ["doc_id"]
    assert _schema(pkg, "mentions")["primaryKey"] == ["mention_id"]
    assert _schema(pkg, "measures")["primaryKey"] == ["measure_id"]
    assert _schema(pkg, "programs")["primaryKey"] == ["doc_id", "program"]
    assert _schema(pkg, "references")["primaryKey"] == ["doc_id", "ref_id"]
    fk = _schema(pkg, "measures")["foreignKeys"][0]
    assert fk["reference"] == {"resource": "documents", "fields": ["doc_id"]}
    assert "foreignKeys" not in _schema(pkg, "documents")
    assert _schema(pkg, "mentions")["missingValues"] == [""]
    assert _fields(pkg, "measures")["instrument"]["constraints"]["enum"] == list(INSTRUMENTS)
    assert set(MENTION_TYPES) <= set(_fields(pkg, "mentions")["type"]["constraints"]["enum"])
    assert _fields(pkg, "measures")["approx"]["constraints"]["enum"] == ["~", ">", "<"]
    assert _fields(pkg, "measures")["quantity_type"]["constraints"]["enum"] == ["money", "percent", "count"]


def test_written_package_is_deterministic_and_valid(out_dir: Path) -> None:
    path = write_datapackage(out_dir)
    first = path.read_bytes()
    assert write_datapackage(out_dir).read_bytes() == first
    text = first.decode("utf-8")
    assert json.loads(text) == build_datapackage(out_dir)
    assert list(json.loads(text)) == sorted(json.loads(text))          # sorted keys
    report = validate(str(path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def _replace_cell(csv_path: Path, old: str, new: str) -> None:
    text = csv_path.read_text(encoding="utf-8")
    assert old in text
    csv_path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("table", "old", "new", "error_type"),
    [
        ("measures", ",rd_funding,,0.8,1,", ",rd_funding,,0.8,one,", "type-error"),       # page not an integer
        ("measures", ",rd_funding,,0.8,", ",grants,,0.8,", "constraint-error"),          # instrument off-enum
        ("mentions", ",COUNTRY,Japan,", ",NATION,Japan,", "constraint-error"),            # type off-enum
        ("mentions", "alpha_paper,alpha_paper:m18", "unknown_doc,alpha_paper:m18", "foreign-key"),
    ],
)
def test_corrupted_csv_is_invalid(out_dir: Path, table: str, old: str, new: str, error_type: str) -> None:
    _replace_cell(out_dir / f"{table}.csv", old, new)
    report = validate(str(write_datapackage(out_dir)))
    assert not report.valid
    assert error_type in {row[0] for row in report.flatten(["type"])}


def test_duplicate_primary_key_is_invalid(out_dir: Path) -> None:
    docs = out_dir / "documents.csv"
    lines = docs.read_text(encoding="utf-8").splitlines(keepends=True)
    docs.write_text("".join(lines + [lines[1]]), encoding="utf-8")
    report = validate(str(write_datapackage(out_dir)))
    assert not report.valid
    assert "primary-key" in {row[0] for row in report.flatten(["type"])}


def test_package_written_before_the_csvs_describes_them_all(tmp_path: Path) -> None:
    # The collector writes datapackage.json before documents.csv.
    pkg_path = write_datapackage(tmp_path)
    assert [r["name"] for r in json.loads(pkg_path.read_text(encoding="utf-8"))["resources"]] == list(TABLE_COLUMNS)
    for table in TABLE_COLUMNS:
        shutil.copy(FIXTURE / f"{table}.csv", tmp_path)
    assert validate(str(pkg_path)).valid


def test_missing_csv_makes_package_invalid(out_dir: Path) -> None:
    (out_dir / "references.csv").unlink()
    assert not validate(str(write_datapackage(out_dir))).valid


def test_comparison_columns_and_registries_are_described(out_dir: Path) -> None:
    pkg = build_datapackage(out_dir)
    measures = _fields(pkg, "measures")
    for col in ("value_usd", "value_eur", "fx_rate"):
        assert measures[col]["type"] == "number" and "ECB" in measures["fx_source"]["description"]
    assert measures["fx_year"]["type"] == "integer"
    assert _fields(pkg, "documents")["duplicate_of"]["type"] == "string"
    assert _schema(pkg, "program_registry")["primaryKey"] == ["program_id"]
    assert _schema(pkg, "org_registry")["primaryKey"] == ["org_id"]
    assert _fields(pkg, "program_registry")["n_papers"]["type"] == "integer"
    report = validate(str(write_datapackage(out_dir)))
    assert report.valid
    assert "new-strategy-for-robotics-jpn" in (out_dir / "program_registry.csv").read_text(encoding="utf-8")
