#!/usr/bin/env python3
"""Simulate khabar's topic scoring, to check rules/topics/*.toml while the Rust engine is written.

A development aid, not the reference implementation: it follows rules/README.md
(section topics/*.toml) and the normalization of src/text/fold.rs as far as they are specified:

* normalization: Arabic diacritics U+064B-U+065F, U+0670 and tatweel dropped; أ إ آ ٱ -> ا,
  ى -> ي, ة -> ه, ک -> ك, ی -> ي; Arabic-Indic digits -> ASCII; Latin lowercase, accents
  stripped; every punctuation character is a token of its own;
* a term matches whole tokens; its first word may carry Arabic proclitics (و ف ب ل ك and
  وب ول فب فل وك فك) and the article ال (also "لل" for ل + ال); a trailing "*" makes the
  last word a prefix (stem);
* within one topic, overlapping matches keep the longest (then the earliest);
* each term adds weight for its first occurrence and half as much for each repeat
  (w, w/2, w/4, ...); score = 1 - exp(-sum); the title/lead 1.5x boost is NOT simulated;
* require (at least one form must occur) and exclude (no form may occur) are matched like terms;
* entities: if rules/gazetteer/*.tsv exist, names and variants of the referenced ids count as
  occurrences (a rough approximation of the real entity matcher);
* an emitted topic implies all its ancestors.

Usage:
  scripts/topic_sim.py check                 validate the rules against rules/taxonomy.tsv
  scripts/topic_sim.py test [CASES.toml]     run tests/data/topics.toml (default)
  scripts/topic_sim.py seeds [DIR]           run the seed articles with the expectations below
  scripts/topic_sim.py score FILE...         print scores of every topic for the given texts
Exit status is 1 when a check or case fails.
"""

import glob
import math
import os
import re
import sys
import tomllib
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES = os.path.join(ROOT, "rules")

# ---------------------------------------------------------------- normalization

_DROP = re.compile("[\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200B-\u200F\u061C\u202A-\u202E"
                   "\u2060\u2066-\u2069\uFEFF\u00AD]")
_MAP = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ة": "ه",
                      "ک": "ك", "،": ",", "؛": ";", "؟": "?"})
_MAP.update({0x0660 + i: str(i) for i in range(10)})
_MAP.update({0x06F0 + i: str(i) for i in range(10)})


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text) if re.search("[\uFB50-\uFDFF\uFE70-\uFEFF]", text) else text
    text = _DROP.sub("", text).translate(_MAP)
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not ("\u0300" <= c <= "\u036F"))
    return text.lower()


def tokenize(text: str) -> list[str]:
    out, word = [], []
    for c in normalize(text):
        if c.isalnum():
            word.append(c)
            continue
        if word:
            out.append("".join(word))
            word = []
        if not c.isspace():
            out.append(c)
    if word:
        out.append("".join(word))
    return out


_PROCLITICS = ["", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "فك"]


def _is_arabic(tok: str) -> bool:
    return any("\u0600" <= c <= "\u06FF" for c in tok)


def candidates(tok: str) -> set[str]:
    """The forms a text token may stand for once proclitics and the article are removed."""
    forms = {tok}
    if not _is_arabic(tok):
        return forms
    for p in _PROCLITICS:
        if not tok.startswith(p):
            continue
        rest = tok[len(p):]
        if len(rest) >= 2:
            forms.add(rest)
        if rest.startswith("ال") and len(rest) >= 4:
            forms.add(rest[2:])
        if p in ("", "و", "ف") and rest.startswith("لل") and len(rest) >= 4:
            forms.add(rest[2:])          # لل = ل + ال
    return forms


class Form:
    """A compiled term: tokens, stem flag on the last token."""

    def __init__(self, raw: str):
        self.raw = raw
        self.stem = raw.endswith("*")
        self.toks = tokenize(raw[:-1] if self.stem else raw)
        if not self.toks:
            raise ValueError(f"empty term {raw!r}")

    def _tok_ok(self, i: int, text_tok: str, first: bool) -> bool:
        want = self.toks[i]
        last = i == len(self.toks) - 1
        forms = candidates(text_tok) if first else {text_tok}
        if last and self.stem:
            return any(f.startswith(want) for f in forms)
        return want in forms

    def find(self, toks: list[str]) -> list[tuple[int, int]]:
        n = len(self.toks)
        hits = []
        for s in range(len(toks) - n + 1):
            if all(self._tok_ok(i, toks[s + i], i == 0) for i in range(n)):
                hits.append((s, s + n))
        return hits


# ---------------------------------------------------------------- rules

def load_taxonomy():
    tax = {}
    with open(os.path.join(RULES, "taxonomy.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("qcode\t"):
                continue
            q, parent, level, en, ar, retired = line.rstrip("\n").split("\t")
            tax[q] = {"parent": parent, "level": int(level), "en": en, "ar": ar, "retired": retired}
    return tax


def load_gazetteer():
    names = {}
    for path in sorted(glob.glob(os.path.join(RULES, "gazetteer", "*.tsv"))):
        with open(path, encoding="utf-8") as f:
            header = None
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                cols = line.rstrip("\n").split("\t")
                if header is None:
                    header = cols
                    continue
                row = dict(zip(header, cols))
                forms = [row.get("name_en", ""), row.get("name_ar", "")]
                forms += (row.get("variants") or "").split("|")
                names[row["id"]] = [x.lstrip("=") for x in forms if x.strip()]
    return names


class Topic:
    def __init__(self, d: dict, path: str, gaz: dict):
        self.id = d["id"]
        self.path = path
        self.threshold = d.get("threshold", 0.5)
        terms = d.get("terms", {})
        self.terms = []   # (Form, weight, label)
        for lang in ("ar", "en"):
            for raw, w in terms.get(lang, []):
                self.terms.append((Form(raw), float(w), raw))
        self.entities = []
        for eid, w in d.get("entities", []):
            forms = [Form(x) for x in gaz.get(eid, []) if tokenize(x)]
            self.entities.append((eid, forms, float(w)))
        self.require = [Form(x) for x in d.get("require", [])]
        self.exclude = [Form(x) for x in d.get("exclude", [])]
        self.raw = d

    def score(self, toks: list[str]):
        matches = []   # (start, end, label, weight)
        for form, w, label in self.terms:
            for s, e in form.find(toks):
                matches.append((s, e, label, w))
        # longest wins among overlapping matches of this topic
        matches.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken, kept = set(), []
        for s, e, label, w in matches:
            if any(i in taken for i in range(s, e)):
                continue
            taken.update(range(s, e))
            kept.append((label, w))
        for eid, forms, w in self.entities:
            n = sum(len(f.find(toks)) for f in forms)
            kept += [(eid, w)] * n
        total, counts, detail = 0.0, {}, {}
        for label, w in kept:
            k = counts.get(label, 0)
            counts[label] = k + 1
            total += w / (2 ** k)
            detail[label] = counts[label]
        return 1 - math.exp(-total), detail

    def emitted(self, toks: list[str]):
        sc, detail = self.score(toks)
        if sc < self.threshold:
            return False, sc, detail, ""
        if self.require and not any(f.find(toks) for f in self.require):
            return False, sc, detail, "require"
        if self.exclude and any(f.find(toks) for f in self.exclude):
            return False, sc, detail, "exclude"
        return True, sc, detail, ""


def load_rules(tax):
    gaz = load_gazetteer()
    topics, errors = [], []
    for path in sorted(glob.glob(os.path.join(RULES, "topics", "*.toml"))):
        with open(path, "rb") as f:
            data = tomllib.load(f)
        for d in data.get("topic", []):
            q = d.get("id", "")
            if q not in tax:
                errors.append(f"{path}: unknown id {q}")
                continue
            if tax[q]["retired"]:
                errors.append(f"{path}: retired id {q} ({tax[q]['en']})")
            top = top_of(q, tax)
            if not os.path.basename(path).startswith(top.split(":")[1]):
                errors.append(f"{path}: {q} belongs to {top}")
            for lang, lst in d.get("terms", {}).items():
                for raw, w in lst:
                    if not (0 < w <= 1):
                        errors.append(f"{path}: {q} {raw!r} weight {w}")
                    if lang == "ar" and raw.startswith("ال") and len(raw.split()) == 1:
                        errors.append(f"{path}: {q} {raw!r} starts with the article")
            for eid, _ in d.get("entities", []):
                if gaz and eid not in gaz:
                    errors.append(f"{path}: {q} unknown entity {eid}")
            topics.append(Topic(d, path, gaz))
    ids = [t.id for t in topics]
    for q in set(ids):
        if ids.count(q) > 1:
            errors.append(f"duplicate topic {q}")
    return topics, errors


def top_of(q, tax):
    while tax[q]["parent"]:
        q = tax[q]["parent"]
    return q


def classify(text: str, topics, tax):
    toks = tokenize(text)
    out, info = set(), {}
    for t in topics:
        ok, sc, detail, why = t.emitted(toks)
        info[t.id] = (ok, sc, detail, why)
        if ok:
            q = t.id
            while q:
                out.add(q)
                q = tax[q]["parent"]
    return out, info


def tops(ids, tax):
    return sorted(q for q in ids if tax[q]["level"] == 1)


def show(info, tax, only_interesting=True):
    for q, (ok, sc, detail, why) in sorted(info.items(), key=lambda kv: -kv[1][1]):
        if only_interesting and sc < 0.25:
            continue
        flag = "EMIT" if ok else ("blocked:" + why if why else "    ")
        terms = ", ".join(f"{k}x{v}" if v > 1 else k for k, v in detail.items())
        print(f"    {flag:14} {sc:.2f} {q} {tax[q]['en']}: {terms}")


# ---------------------------------------------------------------- commands

SEED_EXPECT = {
    # seed prefix: (must fire, must not fire) -- from the task brief
    "000": ({"11000000", "20000638", "20000598", "20000602"},
            {"15000000", "17000000", "07000000", "12000000", "10000000", "05000000"}),
    "001": ({"11000000", "20000638", "20000639", "20000602"},
            {"15000000", "17000000", "07000000", "12000000", "10000000", "05000000"}),
    "002": ({"11000000", "20000638", "20000598", "20000602", "20000635"},
            {"15000000", "17000000", "07000000", "12000000", "10000000", "05000000"}),
    "003": ({"11000000", "20000638", "20000639", "16000000"},
            {"15000000", "17000000", "07000000", "12000000", "10000000", "05000000",
             "04000000", "06000000"}),
    "004": ({"11000000", "20000638", "20000639", "20000602"},
            {"15000000", "17000000", "07000000", "12000000", "10000000", "05000000"}),
}


def cmd_test(path, topics, tax, verbose):
    with open(path, "rb") as f:
        cases = tomllib.load(f)["case"]
    fails = 0
    for c in cases:
        got, info = classify(c["text"], topics, tax)
        got_top = set(tops(got, tax))
        expect, allow = set(c["expect"]), set(c.get("allow", []))
        missing = expect - got_top
        extra = got_top - expect - allow
        ok = not missing and not extra
        fails += not ok
        if not ok or verbose:
            print(f"{'ok  ' if ok else 'FAIL'} {c['name']}: got {sorted(got_top)}"
                  + (f" missing {sorted(missing)}" if missing else "")
                  + (f" extra {sorted(extra)}" if extra else ""))
            show(info, tax)
    print(f"{len(cases) - fails}/{len(cases)} cases pass")
    return fails


def cmd_seeds(d, topics, tax, verbose):
    fails = 0
    for path in sorted(glob.glob(os.path.join(d, "*.txt"))):
        name = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            got, info = classify(f.read(), topics, tax)
        must, must_not = SEED_EXPECT.get(name[:3], (set(), set()))
        got8 = {q.split(":")[1] for q in got}
        missing, extra = must - got8, must_not & got8
        ok = not missing and not extra
        fails += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: tops {[q[7:] for q in tops(got, tax)]}"
              + (f" missing {sorted(missing)}" if missing else "")
              + (f" forbidden {sorted(extra)}" if extra else ""))
        print("     emitted: " + ", ".join(f"{q[7:]} {tax[q]['en']}" for q in sorted(got)))
        if verbose or not ok:
            show(info, tax)
    return fails


def main(argv):
    verbose = "-v" in argv
    argv = [a for a in argv if a != "-v"]
    tax = load_taxonomy()
    topics, errors = load_rules(tax)
    for e in errors:
        print("ERROR", e)
    cmd = argv[1] if len(argv) > 1 else "check"
    fails = len(errors)
    if cmd == "check":
        subs = sum(1 for t in topics if tax[t.id]["level"] > 1)
        print(f"{len(topics)} topics ({subs} subtopics), "
              f"{sum(len(t.terms) for t in topics)} terms, {len(errors)} errors")
    elif cmd == "test":
        fails += cmd_test(argv[2] if len(argv) > 2 else os.path.join(ROOT, "tests/data/topics.toml"),
                          topics, tax, verbose)
    elif cmd == "seeds":
        fails += cmd_seeds(argv[2] if len(argv) > 2 else os.path.join(ROOT, "../shared/seeds"),
                           topics, tax, verbose)
    elif cmd == "score":
        for path in argv[2:]:
            with open(path, encoding="utf-8") as f:
                got, info = classify(f.read(), topics, tax)
            print(path, [q[7:] for q in tops(got, tax)])
            show(info, tax, only_interesting=not verbose)
    else:
        sys.exit(__doc__)
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main(sys.argv)
