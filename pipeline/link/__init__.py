"""Link stage: turn a paper's mentions into measures and its programs table.

Every MONEY, PERCENT and COUNT mention becomes one measure (``Measure``),
except a count of actors or outputs ("the 5 largest firms", "3.2 million
jobs": data/count_units.csv kind=population) whose sentence says nothing of
support ("subsidises 300 firms" stays; the guide counts funded things), and
except an amount's conversion in parentheses ("70 billion yen (about $530
million)"), which is folded into the amount it converts. Two PERCENT mentions
that the extractor left apart around "to"/"-" ("8% to 10%") are joined into one
range. Each measure then gets the context the text ties to it:

* country: the actor whose policy it is. Search order, with the confidence
  written to ``Measure.confidence``:

  ====  ==============================================================
  0.9   a COUNTRY in the sentence that acts (followed by "government"/
        "ministry", by an acting verb "has invested", or the sentence's
        subject before the quantity)
  0.8   another COUNTRY in the sentence (nearest, same clause first), or
        the country of a REGION in the sentence
  0.75  the iso3 of an ORG or PROGRAM in the sentence
  0.7   the section heading or run-in heading the paragraph stands under
  0.6   the nearest COUNTRY before the sentence in the same paragraph
        (a paragraph split by a page break counts as one)
  0.5   the nearest COUNTRY after the sentence in the same paragraph
  0.45  the iso3 of the nearest ORG, PROGRAM or REGION in the same
        paragraph (before the sentence first): "The UK Infrastructure Bank
        will lend ..." tells whose paragraph it is
  0.4   the document's most mentioned country (a COUNTRY counts 1, the
        iso3 of an ORG or PROGRAM 0.5: an EU text names "the Commission"
        more often than any member state), only when it holds at least
        ``document_country_min_share`` of that vote (a paper comparing a
        dozen member states has no main country); in a section beside
        sibling sections titled by a country ("## Federal programmes"
        next to "## Austria"), those siblings' countries are left out of
        the vote
  0.2   no country found (country left empty)
  ====  ==============================================================

  For a descriptive statistic (instrument ``indicator``) the country is the
  one described, so the acting cues are ignored and the nearest one wins; a
  statistic about a group ("40% in developed countries", or a sentence
  framed by "in all member states"/"in most other countries" whose clause
  names no country) gets no country (confidence 0.8), and a country set
  apart by a contrast marker ("although ... 10% in Italy", "with the
  exception of") does not describe it. A heading that names several countries governs nothing;
  its paragraphs take the nearest ancestor heading naming one country (from
  the section path, else from heading numbering "2." > "2.1"). A country named
  only as the other term of a comparison ("like Austria", "than in France";
  markers in data/beneficiary_cues.yaml) is skipped when the sentence names
  another, and when it is alone the section/paragraph decides. In a country's
  section, a sentence whose countries are all places/partners after a
  preposition ("exports to Austria") keeps the heading's country (not for an
  indicator). A lone country run-in heading ("Austria. The fund ...") counts.
* region: see ``assign_region`` (a REGION of the clause/sentence in the
  measure's country, not a site after "in"/"near" when a COUNTRY acts; else
  the run-in/section heading's region, "the state" -> the paragraph's
  region, the region the title names alone).
* program: a PROGRAM in the quantity's own segment; else a definite
  description pointing back ("through the fund", "The Act also ...") to the
  latest program of the section whose name ends in that noun; else the
  nearest in the clause/sentence; else, for a sentence opening "It ..."/"The
  plan ...", the program of the sentence right before it.
* org/sector/year: the nearest mention of that type in the quantity's
  clause, else its sentence; org prefers mentions before the quantity (the
  actor), sector after it ("for robotics").
* quantities: "from 50% in 1988 to about 10%" and "25% ..., up from 16%" are
  one change each (value, from_value).
* instrument: a weighted cue classifier over data/instrument_cues.yaml
  (see the comments there for window, weights and tie priority). When only
  generic funding words ("awards", "budget", "funds") make it ``investment``,
  the topic of its sentence, paragraph or section refines it ("22 awards
  were made" in a paragraph on research -> ``rd_funding``).
* beneficiary: "to|for|in ... <actor noun>" after the quantity (its own
  segment, else the rest of its clause, so "20% write-offs or 5% tax
  credits for SMEs" gives SMEs to both), else "of|for|by ... <actor
  noun>" ending right before it, else the subject of a receiving verb
  ("SMEs can deduct 25%", "allows companies to deduct"); nouns and verbs
  from data/beneficiary_cues.yaml; empty for an indicator.

Both public functions are pure: same input, same output, no I/O.
Modules, one rule family each: ``cues`` (data), ``index`` (document index,
sentence/clause bounds), ``quantities``, ``instrument``, ``country``,
``context`` (region, sector, year), ``program``, ``tables``, ``beneficiary``,
``core`` (``link_document``, ``programs_table``) and ``cli``.

CLI: ``python -m pipeline.link IN_MENTIONS_JSONL OUT_MEASURES_JSONL --parsed PARSED_JSON``.
"""

from .cli import main
from .core import link_document, programs_table
from .cues import load_cues
from .instrument import classify_instrument

__all__ = ["classify_instrument", "link_document", "load_cues", "main", "programs_table"]
