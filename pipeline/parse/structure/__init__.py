"""Pages of raw blocks -> ParsedDoc: the reader-independent structure builder.

Order of work (each step linear in the text size):

1. repair every line (repair.py) and drop running headers/footers and page
   numbers (lines repeated near the top/bottom of >= 40% of pages, digits
   ignored; "12", "Page 3 of 10", "- 4 -");
2. turn blocks into paragraphs (lines joined, hyphenation undone, hard-wrapped
   text blocks split at short sentence-final lines), classify headings;
3. join a paragraph broken by a page/column break (the previous one does not
   end a sentence and the next starts lower-case or the previous ends with a
   hyphen/comma, or the two halves form one number/abbreviation: "4." + "5
   billion"), also across footnotes set in another font size in between, and
   (next paragraph lower-case, same or next page) across a table or figure set
   in the sentence: its caption, table blocks and cells read as short
   paragraphs, which then follow the joined paragraph; never across a
   font-size change (footers, notes). A caption line inside a text block
   ("Table 2.3" in bold under non-bold body, or a bare label with its title
   below) starts its own paragraph and is never glued to the body sentence
   before it. Weak style-only PDF headings above a table (its column heads)
   or ending a page become body;
4. walk the paragraphs once with a small state machine: front matter (title,
   authors, affiliations, e-mails, keywords, journal lines) -> body ->
   acknowledgements / reference list (metadata), keeping the section path,
   including run-in headings ("Japanese Government Promotes X. In order ...",
   sentence-case noun phrases "Emphasis on cooperation. The ...", bold PDF
   run-in heads and bold labels "World Resources: ..."), a byline after the
   title/deck ("By Jane Doe, Economist") and authors' notes;
5. assemble the body text ("\\n\\n" between paragraphs) with offsets and
   page starts.


Modules: ``cues`` (cue words and one-line tests), ``paragraphs`` (steps 1-3),
``headings`` (run-in headings), ``front_matter`` (authors, bylines, metadata
lines, references), ``builder`` (step 4-5: ``build_document``).
"""
from .builder import build_document
from .front_matter import parse_author_line, parse_byline, split_references
from .headings import split_run_in_headings

__all__ = ["build_document", "parse_author_line", "parse_byline", "split_references", "split_run_in_headings"]
