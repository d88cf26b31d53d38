"""The number-phrase scanner: one tokenizer pass and a left-to-right scan that reads
digits, number words ("forty-two", "three quarters"), scale words ("2.4 billion",
"7k") and fractions ("5/8", "3 1/2") as one value each; linear in the text length.
"""
from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Optional

from .digits import (
    MINUS_SIGNS,
    TOKEN_RE,
    ScanMatch,
    Token,
    exact,
    exact_product,
    lookup_scale,
    number_words,
    parse_digits,
    separator_shape,
)


def _tokens(text: str) -> list[Token]:
    return [Token(m.lastgroup or "other", m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


_MAX_DENOMINATOR = 64


def _digit_fraction(text: str, toks: list[Token], j: int) -> Optional[tuple[float, int, bool]]:
    """A digit fraction starting at token j: (value, index after it, pdf_form).

    "3/4" and "1/2" (proper fractions only, so "5/17/2018" and "24/7" stay
    numbers), and the PDF form of a superscript fraction, where "48½" comes out
    as "481 /2": an integer ending in the numerator 1, a space, "/" and one digit.
    """
    if j + 2 >= len(toks):
        return None
    num, slash, den = toks[j], toks[j + 1], toks[j + 2]
    if num.kind != "num" or slash.text != "/" or den.kind != "num":
        return None
    if not (num.text.isdigit() and den.text.isdigit()) or den.start != slash.end:
        return None
    after = text[den.end:den.end + 2]
    if after[:1] in ("/", "-") or (after[:1] in ".," and after[1:2].isdigit()):
        return None                     # a date or a longer identifier
    before = text[max(0, num.start - 2):num.start]
    if before.endswith("/") or before.rstrip().endswith("/"):
        return None
    gap = text[num.end:slash.start]
    d = int(den.text)
    if gap == "":
        n = int(num.text)
        if len(num.text) <= 2 and 0 < n < d <= _MAX_DENOMINATOR:
            return n / d, j + 3, False
        return None
    if gap == " " and len(den.text) == 1 and d >= 2 and num.text.endswith("1") and len(num.text) <= 4:
        whole = int(num.text[:-1]) if len(num.text) > 1 else 0
        return whole + 1.0 / d, j + 3, True
    return None


def _word_info(tok: Token) -> Optional[tuple[float, str]]:
    if tok.kind != "word":
        return None
    return number_words().get(tok.text.lower())


def _gap(text: str, a: Token, b: Token) -> str:
    return text[a.end:b.start]


_ZERO = Decimal(0)


class _Evaluator:
    """Accumulates the value of a number phrase word by word."""

    # Decimal arithmetic throughout, so that "8.22 lakh crore" is exactly
    # 8220000000000 and not 8220000000000.001.
    def __init__(self) -> None:
        self.total = _ZERO       # finished scale groups ("two million")
        self.before_and = _ZERO  # finished part before "and" ("one hundred" in "one hundred and six")
        self.current = _ZERO     # the group being built
        self.last_unit = _ZERO   # the last added amount (for "two dozens", "two thirds")
        self.has_any = False
        self.scale = Decimal(1)
        self.pending_scale = _ZERO  # "two million and three fifths": the fraction is of a million
        self.last_scale = _ZERO

    def add(self, v: float | Decimal) -> None:
        v = exact(v)
        self.current += v
        self.last_unit = v
        self.has_any = True

    def hundred(self) -> None:
        self.pending_scale = _ZERO
        self.current = (self.current or Decimal(1)) * 100
        self.last_unit = self.current
        self.has_any = True

    def dozen(self) -> None:
        base = self.last_unit or Decimal(1)
        self.current = self.current - self.last_unit + base * 12
        self.last_unit = base * 12
        self.has_any = True

    def denominator(self, d: float) -> None:
        # the numerator is the whole group since the last "and"/scale:
        # "twenty-three fifths" = 23/5, "one hundred and three quarters" = 100 + 3/4
        num = self.current if self.current else Decimal(1)
        frac = num / exact(d) if d else _ZERO
        if self.pending_scale:
            frac *= self.pending_scale
            self.pending_scale = _ZERO
        self.current = frac
        self.last_unit = frac
        self.has_any = True

    def scale_by(self, mult: float) -> None:
        mult = exact(mult)
        self.pending_scale = _ZERO
        group = self.before_and + self.current
        if group == 0 and self.total:
            self.total *= mult              # "three lakh crore"
        else:
            self.total += (group or Decimal(1)) * mult
        self.before_and = _ZERO
        self.current = _ZERO
        self.last_unit = _ZERO
        self.scale *= mult
        self.last_scale = mult
        self.has_any = True

    def join_and(self) -> None:
        if self.current == 0 and self.total and self.last_scale:
            self.pending_scale = self.last_scale
        self.before_and += self.current
        self.current = _ZERO
        self.last_unit = _ZERO

    def exact_value(self) -> Decimal:
        return self.total + self.before_and + self.current

    def value(self) -> float:
        return float(self.exact_value())


def _is_cardinal(info: Optional[tuple[float, str]]) -> bool:
    return info is not None and info[1] in ("unit", "teen", "tens")


def _starts_phrase(text: str, toks: list[Token], i: int) -> bool:
    tok = toks[i]
    if tok.kind == "num":
        return True
    info = _word_info(tok)
    if info is None:
        return False
    kind = info[1]
    if kind in ("unit", "teen", "tens", "hundred", "vulgar"):
        return True
    if kind == "sign":
        return i + 1 < len(toks) and (_is_cardinal(_word_info(toks[i + 1])) or toks[i + 1].kind == "num")
    nxt = _word_info(toks[i + 1]) if i + 1 < len(toks) else None
    nxt_scale = i + 1 < len(toks) and lookup_scale(toks[i + 1].text, False, False) is not None
    if kind == "article":
        # "a hundred", "a dozen", "a million", "a half", "a third"
        return nxt is not None and nxt[1] in ("hundred", "dozen", "denominator") or nxt_scale
    if kind == "denominator":
        low = tok.text.lower()
        # bare "half"/"quarter" only as a number of its own or before a scale
        return low == "half" or (low == "quarter" and nxt_scale)
    return False


def _scan_phrase(text: str, toks: list[Token], i: int, money: bool) -> tuple[int, _Evaluator, bool, bool, bool]:
    """Consume a number phrase starting at token i.
    Returns (index after last token, evaluator, is_digits, has_scale, plain_int)."""
    ev = _Evaluator()
    n = len(toks)
    j = i
    last_ok = i          # index after the last token that may end the phrase
    sign = 1.0
    is_digits = toks[i].kind == "num"
    has_scale = False
    plain_int = False
    info0 = _word_info(toks[i])
    if info0 is not None and info0[1] == "sign":
        sign = -1.0
        j += 1
    prev: Optional[Token] = None
    prev_kind = ""
    while j < n:
        tok = toks[j]
        if prev is not None:
            gap = _gap(text, prev, tok)
            if len(gap) > 3 or (gap.strip() and gap.strip() != "-"):
                break
        if tok.kind == "word" and tok.text.lower() == "and":
            # "and" joins number words: "one hundred and six", "one and a half"
            if prev_kind in ("cardinal", "tens", "hundred", "scale", "fraction", "num") and j + 1 < n:
                nxt = toks[j + 1]
                ninfo = _word_info(nxt)
                # after a hundred/scale any number may follow; otherwise only a
                # fraction ("one and a half"), so "phases one and two" stays two numbers
                # ("10 billion and 10 billion yuan" stays two: digits after a scale never join)
                ok = prev_kind in ("hundred", "scale") and (
                    (nxt.kind == "num" and prev_kind == "hundred")
                    or (ninfo is not None and ninfo[1] in ("unit", "teen", "tens")))
                if ninfo is not None and ninfo[1] == "article" and j + 2 < n:
                    after = _word_info(toks[j + 2])
                    ok = ok or (after is not None and after[1] == "denominator")
                if ok and len(_gap(text, tok, nxt)) <= 3:
                    ev.join_and()
                    prev = tok
                    prev_kind = "and"
                    j += 1
                    continue
            break
        if tok.kind == "num":
            frac = _digit_fraction(text, toks, j) if prev_kind in ("", "num") else None
            if frac is not None and prev_kind == "num" and (
                    frac[2] or not plain_int or len(_gap(text, toks[j - 1], tok).strip(" ")) > 0):
                frac = None              # "2 1/4" only after a bare integer and spaces
            if frac is not None:
                ev.add(frac[0])
                prev_kind = "fraction"
                plain_int = False
                j = frac[1]
                last_ok = j
                prev = toks[j - 1]
                continue
            if prev_kind not in ("", "and"):
                break
            v = parse_digits(tok.text)
            if v is None:
                break
            plain_int = prev_kind == "" and tok.text.isdigit()
            ev.add(v)
            prev_kind = "num"
            j += 1
            last_ok = j
            # glued scale abbreviation ("1.5k", "10M", "2mil")
            if j < n and toks[j].kind == "word" and toks[j].start == tok.end:
                sw = lookup_scale(toks[j].text, True, money)
                if sw is not None:
                    ev.scale_by(sw.multiplier)
                    has_scale = True
                    plain_int = False
                    prev_kind = "scale"
                    j += 1
                    last_ok = j
            prev = toks[j - 1]
            continue
        if tok.kind == "other":
            if (tok.text == "-" and prev_kind in ("num", "cardinal", "tens", "hundred") and j + 1 < n
                    and tok.start == toks[j - 1].end and toks[j + 1].start == tok.end):
                # "a $5-million fund"
                sw = lookup_scale(toks[j + 1].text, False, money)
                if sw is not None and sw.kind == "word":
                    ev.scale_by(sw.multiplier)
                    has_scale = True
                    plain_int = False
                    prev_kind = "scale"
                    prev = toks[j + 1]
                    j += 2
                    last_ok = j
                    continue
            if tok.text in MINUS_SIGNS and prev_kind in ("cardinal", "tens") and j + 1 < n:
                # "twenty-one", "fifty - two": hyphen inside a word number
                nxt = _word_info(toks[j + 1])
                if nxt is not None and nxt[1] in ("unit", "denominator") and len(_gap(text, tok, toks[j + 1])) <= 1:
                    prev = tok
                    j += 1
                    continue
            break
        word = tok.text
        info = _word_info(tok)
        sw = lookup_scale(word, prev is not None and tok.start == prev.end, money) if prev_kind else None
        if sw is not None and text.startswith("$", tok.end):
            sw = None                        # "3 G$" is three Guyanese dollars, not 3 billion
        # NUM-ARTICLE-SCALE: "a million dollars", "a billion euros": the article counts one of the scale
        if sw is not None and prev_kind in ("num", "cardinal", "tens", "hundred", "scale", "fraction", "article"):
            ev.scale_by(sw.multiplier)
            has_scale = True
            plain_int = False
            prev_kind = "scale"
            prev = tok
            j += 1
            last_ok = j
            continue
        if info is None:
            break
        value, kind = info
        if kind in ("unit", "teen", "tens"):
            if prev_kind == "num":
                break
            if prev_kind in ("cardinal", "tens") and not (prev_kind == "tens" and kind == "unit"):
                break                # "one two" is two numbers
            ev.add(value)
            prev_kind = "tens" if kind == "tens" else "cardinal"
            plain_int = False
        elif kind == "vulgar":
            # "½", and "48½" / "48 ½" after a bare integer
            if prev_kind != "" and not (prev_kind == "num" and plain_int and len(_gap(text, prev, tok)) <= 1):
                break
            ev.add(value)
            prev_kind = "fraction"
            plain_int = False
        elif kind == "hundred":
            if prev_kind in ("hundred", "fraction", "point"):
                break
            ev.hundred()
            prev_kind = "hundred"
            plain_int = False
        elif kind == "dozen":
            if prev_kind not in ("", "num", "cardinal", "tens", "hundred", "article"):
                break
            ev.dozen()
            prev_kind = "fraction"
            plain_int = False
        elif kind == "denominator":
            low = word.lower()
            if prev_kind in ("cardinal", "tens", "article", "hundred"):
                ev.denominator(value)
            elif prev_kind == "" and low in ("half", "quarter"):
                ev.denominator(value)
            else:
                break
            prev_kind = "fraction"
            plain_int = False
        elif kind == "article":
            if prev_kind not in ("", "and"):
                break
            nxt = _word_info(toks[j + 1]) if j + 1 < n else None
            nxt_scale = j + 1 < n and lookup_scale(toks[j + 1].text, False, money) is not None
            if not (nxt is not None and nxt[1] in ("hundred", "dozen", "denominator") or nxt_scale):
                break
            ev.last_unit = _ZERO
            prev_kind = "article"
            prev = tok
            j += 1
            continue
        elif kind == "point":
            if prev_kind not in ("cardinal", "tens", "hundred") or j + 1 >= n:
                break
            digits, k = _point_digits(text, toks, j + 1)
            if not digits:
                break
            ev.current += Decimal("0." + digits)
            prev = toks[k - 1]
            j = k
            last_ok = j
            prev_kind = "point"
            plain_int = False
            continue
        else:
            break
        prev = tok
        j += 1
        last_ok = j
    if sign < 0:
        ev.total, ev.before_and, ev.current = -ev.total, -ev.before_and, -ev.current
    return last_ok, ev, is_digits, has_scale, plain_int


_TOLERANCE_RE = re.compile(r"(?i)\bplus\s+or\s+\Z")
_FRACTION_OF_SCALE = re.compile(r"(?i)[\s-]+(?:of[\s-]+)?an?[\s-]+(?P<scale>[a-z]+)\b")


def _is_sign(tok: Token) -> bool:
    info = _word_info(tok)
    return info is not None and info[1] == "sign"


def _point_digits(text: str, toks: list[Token], k: int) -> tuple[str, int]:
    """Digits spoken after "point": "zero three" -> "03", "seventy-one" -> "71"."""
    digits = ""
    n = len(toks)
    while k < n and len(digits) < 20:
        info = _word_info(toks[k])
        if info is None or info[1] not in ("unit", "teen", "tens"):
            break
        if len(_gap(text, toks[k - 1], toks[k]).strip()) > 0:
            break
        v = int(info[0])
        if info[1] == "tens" and k + 2 < n and toks[k + 1].text in MINUS_SIGNS:
            nxt = _word_info(toks[k + 2])
            if nxt is not None and nxt[1] == "unit":
                v += int(nxt[0])
                k += 2
        digits += str(v)
        k += 1
        if info[1] != "unit":
            break
    return digits, k


def scan_numbers(text: str, money: bool = False) -> list[ScanMatch]:
    """Every number phrase in ``text``, in order, with context flags.

    ``money=True`` trusts abbreviations that are ambiguous outside money ("5m")."""
    if not isinstance(text, str) or not text:
        return []
    try:
        toks = _tokens(text)
    except (RecursionError, MemoryError):
        return []
    out: list[ScanMatch] = []
    i = 0
    n = len(toks)
    while i < n:
        if not _starts_phrase(text, toks, i):
            i += 1
            continue
        # NUM-PLUS-OR-MINUS: "a tolerance of plus or minus 15 per cent" is 15, no negative
        if _TOLERANCE_RE.search(text, max(0, toks[i].start - 9), toks[i].start) and _is_sign(toks[i]):
            i += 1
            continue
        end_idx, ev, is_digits, has_scale, plain_int = _scan_phrase(text, toks, i, money)
        if end_idx <= i or not ev.has_any:
            i += 1
            continue
        start = toks[i].start
        end = toks[end_idx - 1].end
        value = ev.value()
        scale = float(ev.scale)
        # NUM-FRACTION-OF-SCALE: "half a billion", "three quarters of a million", "a half-a-trillion":
        # a fraction in words of "a" scale word is that share of the scale
        frac = _FRACTION_OF_SCALE.match(text, end) if not is_digits and not has_scale and 0 < value < 1 else None
        sw = lookup_scale(frac.group("scale"), False, money) if frac is not None else None
        share = exact_product(value, sw.multiplier) if sw is not None and sw.kind == "word" else 0.0
        if share and share == round(share, 2):      # a third of a billion has no exact value: left alone
            value, scale, has_scale = share, sw.multiplier, True
            end = frac.end()
            while end_idx < n and toks[end_idx].start < end:
                end_idx += 1
        # an attached minus sign: "-3" but not "5-10" or "SCP-173"
        if is_digits and start > 0 and text[start - 1] in MINUS_SIGNS:
            before = text[start - 2] if start >= 2 else " "
            if not before.isalnum() and before not in ".,%":
                start -= 1
                value = -value
        if math.isfinite(value):
            glued_before = start > 0 and text[start - 1].isalpha()
            after = ""
            k = end
            while k < len(text) and k - end < 12 and text[k].isalpha():
                k += 1
            after = text[end:k]
            out.append(ScanMatch(start, end, text[start:end], value, is_digits, has_scale,
                                 plain_int, glued_before, after, scale,
                                 separator_shape(toks[i].text) if is_digits else ""))
        i = end_idx
    return out
