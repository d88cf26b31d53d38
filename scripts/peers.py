"""Side-by-side scores of policyx and peer libraries on money and percent
suites (issue 14): `make peers`.

    .venv-peers/bin/python scripts/peers.py predict OUT_DIR   # peer libraries, in their own venv
    .venv/bin/python scripts/peers.py score OUT_DIR           # policyx, then the table

Suites (each case: text and the expected amounts):
- recognizers_currency / recognizers_percent: Microsoft Recognizers-Text's
  English cases (../shared/peer, MIT); value-less and crypto cases left out.
- policyx_money: this project's own written cases (tests/fixtures/normalize_money.yaml).
- generated_formats: amounts written in European, Swiss, Indian, space-grouped
  and plain decimal-comma styles with ISO codes before or after, generated
  with a fixed seed (the shapes of price-parser's decimal-comma cases).

A prediction is right when its value is within 1e-6 (relative) of an
expected one and, for money, its currency is the expected ISO code (where
the suite knows it). "wrong" counts predictions whose currency matches an
expected item but whose value does not: the numbers a user would take away
wrong. Peers are compared, not depended on: they live in .venv-peers.
"""
from __future__ import annotations

import json
import math
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER_DIR = ROOT.parent / "shared" / "peer"
# Unit names the Recognizers suite and library use, for the ISO code where it
# is unambiguous under this project's conventions (bare "Dollar" = USD).
UNIT_ISO = {"Dollar": "USD", "Euro": "EUR", "Pound": "GBP", "British pound": "GBP", "Yen": "JPY",
            "Japanese yen": "JPY", "Chinese yuan": "CNY", "Yuan": "CNY", "Rupee": "INR", "Indian rupee": "INR",
            "Finnish markka": "FIM", "Netherlands guilder": "NLG", "Peseta": "ESP", "Swiss franc": "CHF",
            "United States dollar": "USD", "Canadian dollar": "CAD", "Australian dollar": "AUD",
            "Hong Kong dollar": "HKD", "Singapore dollar": "SGD", "South Korean won": "KRW", "Won": "KRW",
            "Russian ruble": "RUB", "Brazilian real": "BRL", "Mexican peso": "MXN", "Pence": "GBP", "Penny": "GBP"}
SUBUNIT = {"Pence": 0.01, "Penny": 0.01, "Cent": 0.01}
CRYPTO = {"Bitcoin", "Satoshi"}


# ------------------------------------------------------------------ suites

def _recognizers(name: str, kind: str) -> list[dict]:
    cases = []
    with open(PEER_DIR / name, encoding="utf-8-sig") as fh:
        for line in fh:
            d = json.loads(line)
            want = []
            for e in d["expected"]:
                if e.get("value") in (None, "") or e.get("unit") in CRYPTO:
                    continue
                if kind == "money":
                    unit = e.get("unit") or ""
                    cur = e.get("currency") or UNIT_ISO.get(unit)
                    want.append({"value": float(e["value"]) * SUBUNIT.get(unit, 1.0), "currency": cur})
                else:
                    want.append({"value": float(e["value"])})
            if want:
                cases.append({"id": d["id"], "text": d["text"], "expected": want})
    return cases


def _own_money() -> list[dict]:
    import yaml
    data = yaml.safe_load((ROOT / "tests" / "fixtures" / "normalize_money.yaml").read_text(encoding="utf-8"))
    return [{"id": f"own#{i}", "text": c["text"],
             "expected": [{"value": float(w["value"]), "currency": w["currency"]} for w in c["want"]]}
            for i, c in enumerate(data["cases"]) if c["want"]]


def _generated(n: int = 300, seed: int = 14) -> list[dict]:
    rng = random.Random(seed)
    styles = {"european": (".", ","), "swiss": ("'", "."), "space": ("\u00a0", ","), "indian": (",", "."),
              "plain_comma": ("", ",")}
    codes = ["EUR", "CHF", "INR", "IDR", "BRL", "CZK", "PLN", "SEK", "ZAR", "TRY", "HUF", "DKK"]
    out = []
    for i in range(n):
        style = rng.choice(sorted(styles))
        group, dec = styles[style]
        whole = rng.choice([rng.randint(1, 999), rng.randint(1000, 999999), rng.randint(10**6, 10**9)])
        cents = rng.randint(1, 99)
        digits = str(whole)
        if style == "indian" and len(digits) > 3:
            head, tail, parts = digits[:-3], digits[-3:], []
            while len(head) > 2:
                parts.insert(0, head[-2:])
                head = head[:-2]
            text_num = ",".join([head] + parts + [tail])
        elif group:
            parts = []
            while len(digits) > 3:
                parts.insert(0, digits[-3:])
                digits = digits[:-3]
            text_num = group.join([digits] + parts)
        else:
            text_num = digits
        text_num += f"{dec}{cents:02d}"
        code = rng.choice(codes)
        text = (f"The fee is {code} {text_num} per unit." if rng.random() < 0.5
                else f"The fee is {text_num} {code} per unit.")
        out.append({"id": f"gen#{i}", "text": text,
                    "expected": [{"value": whole + cents / 100, "currency": code}]})
    return out


def suites() -> dict[str, tuple[str, list[dict]]]:
    return {
        "recognizers_currency": ("money", _recognizers("recognizers_currency.jsonl", "money")),
        "recognizers_percent": ("percent", _recognizers("recognizers_percent.jsonl", "percent")),
        "policyx_money": ("money", _own_money()),
        "generated_formats": ("money", _generated()),
    }


# -------------------------------------------------------------- predictors

def _peer_predictors() -> dict:
    preds = {}
    try:
        from quantulum3 import parser as q3

        def quantulum(text: str, kind: str) -> list[dict]:
            out = []
            for qty in q3.parse(text):
                unit = qty.unit
                if kind == "money" and unit.entity.name == "currency":
                    code = getattr(unit, "currency_code", None) or UNIT_ISO.get(unit.name.capitalize())
                    out.append({"value": float(qty.value), "currency": code})
                elif kind == "percent" and unit.name == "percentage":
                    out.append({"value": float(qty.value)})
            return out
        preds["quantulum3"] = quantulum
    except ImportError:
        pass
    try:
        from price_parser import Price

        def price_parser(text: str, kind: str) -> list[dict]:
            if kind != "money":
                return []
            p = Price.fromstring(text)
            if p.amount is None or not p.currency:
                return []
            cur = p.currency.strip().upper()
            symbols = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "RS": "INR", "RS.": "INR",
                       "RP": "IDR", "R$": "BRL", "KČ": "CZK", "ZŁ": "PLN", "₺": "TRY", "FR.": "CHF"}
            return [{"value": float(p.amount), "currency": cur if len(cur) == 3 and cur.isalpha()
                     else symbols.get(cur)}]
        preds["price-parser"] = price_parser
    except ImportError:
        pass
    try:
        from recognizers_number_with_unit import recognize_currency
        from recognizers_number import recognize_percentage
        from recognizers_text import Culture

        def recognizers(text: str, kind: str) -> list[dict]:
            out = []
            if kind == "money":
                for r in recognize_currency(text, Culture.English):
                    res = r.resolution or {}
                    if res.get("value") in (None, ""):
                        continue
                    unit = res.get("unit", "")
                    cur = res.get("isoCurrency") or UNIT_ISO.get(unit)
                    out.append({"value": float(res["value"]) * SUBUNIT.get(unit, 1.0), "currency": cur})
            else:
                for r in recognize_percentage(text, Culture.English):
                    v = (r.resolution or {}).get("value", "")
                    try:
                        out.append({"value": float(str(v).rstrip("%"))})
                    except ValueError:
                        continue
            return out
        preds["recognizers-text"] = recognizers
    except ImportError:
        pass
    return preds


def _ours() -> dict:
    sys.path.insert(0, str(ROOT))
    from pipeline.normalize.money import find_money
    from pipeline.normalize.percent import find_percent

    def policyx(text: str, kind: str) -> list[dict]:
        if kind == "money":
            return [{"value": m.value, "currency": m.currency} for m in find_money(text)]
        return [{"value": m.value} for m in find_percent(text)]
    return {"policyx": policyx}


def predict(predictors: dict, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for lib, fn in predictors.items():
        result = {}
        for suite, (kind, cases) in suites().items():
            t0 = time.perf_counter()
            rows = {}
            for c in cases:
                try:
                    rows[c["id"]] = fn(c["text"], kind)
                except Exception as exc:     # a peer's crash is a miss, reported
                    rows[c["id"]] = [{"error": f"{type(exc).__name__}: {exc}"[:200]}]
            result[suite] = {"seconds": time.perf_counter() - t0, "predictions": rows}
        (out_dir / f"{lib}.json").write_text(json.dumps(result), encoding="utf-8")


# ------------------------------------------------------------------ scoring

def _same(a: float, b: float) -> bool:
    # the annotation guide rounds stated fractions to two decimals (one-third -> 33.33)
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9) or (a != int(a) and a == round(b, 2))


def score(cases: list[dict], predictions: dict, kind: str) -> dict:
    tp = n_pred = n_gold = wrong = 0
    for c in cases:
        preds = [p for p in predictions.get(c["id"], []) if "value" in p]
        gold = c["expected"]
        n_pred += len(preds)
        n_gold += len(gold)
        used: set[int] = set()
        for g in gold:
            for i, p in enumerate(preds):
                if i not in used and _same(p["value"], g["value"]) and (
                        kind != "money" or not g.get("currency") or p.get("currency") == g["currency"]):
                    used.add(i)
                    tp += 1
                    break
        for i, p in enumerate(preds):
            if i not in used and any(kind != "money" or p.get("currency") == g.get("currency") for g in gold) \
                    and not any(_same(p["value"], g["value"]) for g in gold):
                wrong += 1
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"p": prec, "r": rec, "f1": f1, "wrong": wrong, "n": n_gold}


def report(out_dir: Path) -> str:
    results = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(out_dir.glob("*.json"))
               if p.stem != "scores"}
    lines = [f"{'suite':<22} {'library':<18} {'P':>6} {'R':>6} {'F1':>6} {'wrong':>6} {'n':>5} {'seconds':>8}"]
    table = {}
    for suite, (kind, cases) in suites().items():
        for lib in sorted(results):
            if suite not in results[lib]:
                continue
            s = score(cases, results[lib][suite]["predictions"], kind)
            s["seconds"] = results[lib][suite]["seconds"]
            table.setdefault(suite, {})[lib] = s
            lines.append(f"{suite:<22} {lib:<18} {s['p']:6.3f} {s['r']:6.3f} {s['f1']:6.3f} {s['wrong']:6d} "
                         f"{s['n']:5d} {s['seconds']:8.2f}")
    (out_dir / "scores.json").write_text(json.dumps(table, indent=1, sort_keys=True), encoding="utf-8")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("predict", "score"):
        print(__doc__, file=sys.stderr)
        return 2
    out_dir = Path(argv[1])
    if argv[0] == "predict":
        predict(_peer_predictors(), out_dir)
        return 0
    predict(_ours(), out_dir)
    print(report(out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
