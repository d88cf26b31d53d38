"""The same paper added twice: same bytes, or the same text under another format or name.

``find_duplicates(docs)`` maps the doc_id of each later copy to (the doc_id
of the copy kept, how it was found). Three tests, in order:

1. ``sha256``: the same file bytes;
2. ``text``: the same normalized text (lower case, words only: line breaks,
   hyphenation at line ends, punctuation and spacing do not count);
3. ``similar text``: the sets of 5-word shingles of the two texts overlap
   with a Jaccard similarity of at least ``MIN_JACCARD`` (a PDF rendering of
   a text file differs by its page headers, footers and page numbers), and
   the word counts are within ``MAX_SIZE_RATIO`` of each other (an excerpt
   or a paper quoting another is not a copy).

The copy kept is the first of a group by (status not ok, doc_id): an ok
paper is preferred, then name order; every other member points to it.
Exact set arithmetic on 64-bit checksums of the shingles (no sampling, no
random seeds): the same corpus gives the same answer, and a corpus of a few
hundred papers compares in seconds.
"""
from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from typing import Iterable, Optional

SHINGLE = 5
MIN_JACCARD = 0.85
MAX_SIZE_RATIO = 1.25
MIN_WORDS = 50          # shorter texts are compared by exact hashes only
_WORD = re.compile(r"[^\W_]+")
# a word broken at a line end ("pro-\ngramme"): joined before comparing
_LINE_HYPHEN = re.compile(r"(\w)-\s*\n\s*(\w)")


@dataclass(frozen=True)
class DocText:
    doc_id: str
    sha256: str
    text: str
    ok: bool = True


def words(text: str) -> list[str]:
    return _WORD.findall(_LINE_HYPHEN.sub(r"\1\2", text).casefold())


def text_hash(tokens: list[str]) -> str:
    return hashlib.sha256(" ".join(tokens).encode("utf-8")).hexdigest()


def _h64(shingle: str) -> int:
    data = shingle.encode("utf-8")
    return zlib.crc32(data) << 32 | zlib.adler32(data)


def shingles(tokens: list[str], k: int = SHINGLE) -> frozenset[int]:
    """64-bit checksums (crc32, adler32: deterministic across runs) of the k-word windows."""
    return frozenset(_h64(" ".join(tokens[i:i + k])) for i in range(max(0, len(tokens) - k + 1)))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def find_duplicates(docs: Iterable[DocText]) -> dict[str, tuple[str, str]]:
    """doc_id of a later copy -> (doc_id kept, "sha256" | "text" | "similar text (Jaccard 0.93)")."""
    ordered = sorted(docs, key=lambda d: (not d.ok, d.doc_id))
    out: dict[str, tuple[str, str]] = {}
    by_sha: dict[str, str] = {}
    by_text: dict[str, str] = {}
    kept: list[tuple[str, int, frozenset[int]]] = []
    for doc in ordered:
        if doc.sha256 and doc.sha256 in by_sha:
            out[doc.doc_id] = (by_sha[doc.sha256], "sha256")
            continue
        tokens = words(doc.text)
        digest = text_hash(tokens) if tokens else ""
        if digest and digest in by_text:
            out[doc.doc_id] = (by_text[digest], "text")
            continue
        match: Optional[tuple[str, float]] = None
        grams = shingles(tokens) if len(tokens) >= MIN_WORDS else frozenset()
        if grams:
            for other_id, other_len, other_grams in kept:
                if max(len(tokens), other_len) > MAX_SIZE_RATIO * min(len(tokens), other_len):
                    continue
                score = jaccard(grams, other_grams)
                if score >= MIN_JACCARD and (match is None or score > match[1]):
                    match = (other_id, score)
        if match:
            out[doc.doc_id] = (match[0], f"similar text (Jaccard {match[1]:.2f})")
            continue
        if doc.sha256:
            by_sha[doc.sha256] = doc.doc_id
        if digest:
            by_text[digest] = doc.doc_id
        if grams:
            kept.append((doc.doc_id, len(tokens), grams))
    return out
