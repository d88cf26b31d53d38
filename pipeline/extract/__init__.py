"""Extract stage: parsed paper -> typed, normalized mentions (spaCy pipeline)."""
from __future__ import annotations

from .document import extract_document, extract_many, parsed_from_text
from .nlp import build_nlp, get_nlp
from .snippets import extract_snippets

__all__ = ["build_nlp", "get_nlp", "extract_document", "extract_many", "extract_snippets", "parsed_from_text"]
