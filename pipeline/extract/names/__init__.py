"""PROGRAM and ORG candidates from general patterns (no names in code).

Three sources, all driven by the head/connector lists in pipeline/data:
- title-case chunks whose nucleus (the last word before the first
  preposition) is a programme head ("National Action Plan for ...") or an
  organisation head ("Ministry of Education and Research");
- names carrying a year or version ("Society 5.0", "Digital Agenda 2030");
- quoted title-case names ("“Advanced Manufacturing Partner Program”").
An acronym in parentheses right after a name pairs with it ("... (NIST)").

Modules: ``tokens`` (shared token tests), ``heads`` (title-case chunks with a
head), ``versions`` (year/version names), ``lower_heads`` (lower-case heads),
``quoted`` (quoted names), ``acronyms`` (acronym pairing, alias-named
programmes), ``appositives`` (name, descriptor).
"""
from .acronyms import pair_acronym, program_alias_candidates
from .appositives import appositive_candidates
from .heads import head_candidates, is_heading_sentence, law_short_name
from .lower_heads import lower_head_candidates, statute_body_candidates
from .quoted import quoted_candidates
from .tokens import is_acronym
from .versions import version_candidates

__all__ = ["appositive_candidates", "head_candidates", "is_acronym", "is_heading_sentence", "law_short_name",
           "lower_head_candidates", "pair_acronym", "program_alias_candidates", "quoted_candidates",
           "statute_body_candidates", "version_candidates"]
