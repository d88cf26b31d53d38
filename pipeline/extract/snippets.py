"""Snippet mode: many short texts ({"id", "text"}) -> mentions, one model load."""
from __future__ import annotations

from typing import Any, Iterable

from spacy.language import Language

from .document import extract_many, parsed_from_text

SNIPPET_FIELDS = ("type", "text", "start", "end", "value", "currency", "low", "high",
                  "from_value", "approx", "flags", "iso3", "canonical", "year", "month")


def extract_snippets(items: Iterable[dict[str, Any]], nlp: Language, chunk: int = 2000) -> Iterable[dict[str, Any]]:
    """Yield {"id", "mentions": [...]} per input item, in input order."""
    batch: list[dict[str, Any]] = []

    def flush() -> Iterable[dict[str, Any]]:
        docs = [parsed_from_text(str(item.get("id", "")), str(item.get("text", "") or "")) for item in batch]
        for item, mentions in zip(batch, extract_many(docs, nlp)):
            yield {"id": item.get("id"), "mentions": [{f: getattr(m, f) for f in SNIPPET_FIELDS} for m in mentions]}

    for item in items:
        batch.append(item if isinstance(item, dict) else {"id": None, "text": ""})
        if len(batch) >= chunk:
            yield from flush()
            batch = []
    if batch:
        yield from flush()
