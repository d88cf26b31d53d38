"""Division heads of laws and bills: "Sec. 12. FOR THE PORT AUTHORITY", "NEW SECTION. Sec. 3.",
"Article 4 Scope", "Part II Funding". The parse stage keeps them as headings (not running
headers) and nests what follows under them; the link stage reads the body a bill's section is
appropriated to from them. Division words: pipeline/data/metadata_patterns.yaml (division_words).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..data_access import yaml_mapping

_DIVISION_NUMBER_RE = re.compile(r"^(?:\d+[a-z]?|[ivxlc]+)\.?$", re.I)


@lru_cache(maxsize=1)
def _division_words() -> frozenset[str]:
    return frozenset(str(w).lower() for w in (yaml_mapping("metadata_patterns.yaml").get("division_words") or []))


def is_division_heading(text: str) -> bool:
    """A division word and its number among the first four words of a heading."""
    words = text.lower().split()[:5]
    divisions = _division_words()
    return any(w in divisions and _DIVISION_NUMBER_RE.match(words[i + 1])
               for i, w in enumerate(words[:4]) if i + 1 < len(words))
