"""Score the pipeline's output tables against hand-labeled expectations.

One YAML file per labeled paper lives in ``tests/expectations/<doc_id>.yaml``
(format: docs/EXPECTATIONS.md). ``score_paper`` is pure: it takes the expected
dict and this paper's rows of mentions.csv / measures.csv and returns a
``PaperScore``. ``main`` (``python -m pipeline validate``) and ``check_main``
(``python -m pipeline check``) wrap it for the command line.

Mentions are scored as normalized SETS per type: an expected item is found
when at least one predicted row matches it; a distinct predicted key that
matches no expected item is a false positive. Items marked ``optional: true``
count on neither side. Measures are matched one-to-one by their quantity, then
each labeled field is compared over the matched pairs.

Modules: ``expectations`` (loading, schema), ``scoring`` (one paper, totals),
``thresholds`` (bars, validation rows), ``runs`` (a run over an output folder, report, CLI).
"""

from .expectations import (
    BLIND_TOTAL_ID,
    ExpectationError,
    MEASURE_FIELDS,
    MONEY_REL_TOL,
    PERCENT_ABS_TOL,
    QUANTITY_KEYS,
    QUANTITY_TYPES,
    STATUSES,
    TOTAL_ID,
    VALIDATION_COLUMNS,
    load_expectations,
    schema_problems,
)
from .scoring import (
    Counts,
    FieldAccuracy,
    PaperScore,
    describe_item,
    evidence_overlap,
    field_correct,
    match_measures,
    norm_name,
    predicted_key,
    score_mentions,
    score_paper,
    to_float,
    to_int,
    total_score,
)
from .thresholds import load_thresholds, score_rows, thresholds_for
from .runs import Run, check_main, failures, main, raw_doc_ids, read_rows, report_text, run_json, run_validation

__all__ = [
    "BLIND_TOTAL_ID",
    "Counts",
    "ExpectationError",
    "FieldAccuracy",
    "MEASURE_FIELDS",
    "MONEY_REL_TOL",
    "PERCENT_ABS_TOL",
    "PaperScore",
    "QUANTITY_KEYS",
    "QUANTITY_TYPES",
    "Run",
    "STATUSES",
    "TOTAL_ID",
    "VALIDATION_COLUMNS",
    "check_main",
    "describe_item",
    "evidence_overlap",
    "failures",
    "field_correct",
    "load_expectations",
    "load_thresholds",
    "main",
    "match_measures",
    "norm_name",
    "predicted_key",
    "raw_doc_ids",
    "read_rows",
    "report_text",
    "run_json",
    "run_validation",
    "schema_problems",
    "score_mentions",
    "score_paper",
    "score_rows",
    "thresholds_for",
    "to_float",
    "to_int",
    "total_score",
]
