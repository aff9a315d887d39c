#!/usr/bin/env python3
"""Propose CANDIDATE topic terms: words and two-word phrases that distinguish one section of a
labelled corpus from the others.

Usage:
  mine_terms.py CORPUS.tsv [--label L]... [--top 40] [--min-docs 5] [--ngrams 2]
                [--rules rules/topics] [--all] [--json]

CORPUS.tsv holds one document per line, `label<TAB>text` (see agnews_tsv.py for AG News). For
each label, every term (a word, or a phrase of up to --ngrams words) is scored by the weighted
log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn, "Fightin' Words",
Political Analysis 16(4), 2008): the log-odds of the term in the label's documents against all
other documents, with the corpus-wide counts as the prior, divided by its standard deviation (a
z-score). Counts are document frequencies (a term counts once per document), so one long story
does not make a term. Terms in fewer than --min-docs documents of the label are skipped.

Text is folded as khabar folds it for matching (lowercase; Arabic alef variants to ا, ى to ي,
ة to ه, diacritics and tatweel dropped) and Arabic words lose a leading و/ف and the article
(ال، بال، وال، لل ...), so candidates come out in the form a rule file would list them.

With --rules DIR, a candidate that a term of DIR/*.toml already matches (same folded words, or
a stem `*` that is a prefix of its last word) is marked `known` (its file) and, without --all,
left out. The output is a list to READ: every term that goes into rules/topics/*.toml is checked
by a person (a real word of its topic, no false friends, a `source` comment).
"""
import argparse
import glob
import json
import math
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict

try:
    import tomllib
except ImportError:  # Python < 3.11: --rules is then unavailable
    tomllib = None

ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
ARTICLE = re.compile(r"^(?:[وف])?(?:[بكل])?ال(?=..)|^(?:[وف])?لل(?=..)")

# Words that say nothing about a topic in any section: function words of the two languages.
STOP = set("""
a an the and or but of to in on at by for from with as is are was were be been being it its this
that these those he she they we you i his her their our your him them us not no do does did has
have had will would can could may might should said says say also than then there here which who
whom whose what when where why how all any some more most other such only own same so very just
over under after before about into out up down off again further once new one two three first
last year years week day days monday tuesday wednesday thursday friday saturday sunday yesterday
today tomorrow s t ap reuters afp quot lt gt amp
في من على الى إلى عن مع هذا هذه ذلك تلك التي الذي الذين ان أن إن كان كانت قد لا ما لم لن كما
بعد قبل حيث عند بين كل او أو ثم حتى منذ خلال وقد فقد وان وهو وهي هو هي
""".split())


def fold(text):
    text = unicodedata.normalize("NFC", text).lower()
    text = ARABIC_MARKS.sub("", text).translate(ARABIC_FOLD)
    return text


def words(text):
    out = []
    for w in WORD.findall(fold(text)):
        w = w.replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if re.match(r"^[\u0600-\u06ff]", w):
            # The article and the clitics before it go; a bare و/ف stays (وزير, فوز).
            w = ARTICLE.sub("", w)
        out.append(w)
    return out


def terms_of(tokens, n):
    """The distinct terms of a document: words and phrases of up to n words, none starting or
    ending with a stop word or a number."""
    found = set()
    for size in range(1, n + 1):
        for i in range(len(tokens) - size + 1):
            gram = tokens[i:i + size]
            if gram[0] in STOP or gram[-1] in STOP:
                continue
            if any(g.isdigit() or len(g) < 2 for g in gram):
                continue
            found.add(" ".join(gram))
    return found


def read_corpus(path):
    docs = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            if "\t" not in line:
                sys.exit("%s:%d: expected label<TAB>text" % (path, n))
            label, text = line.split("\t", 1)
            docs.append((label.strip(), text))
    return docs


def log_odds(docs, n=2, min_docs=5):
    """{label: [(term, z, docs_with_term_in_label, docs_in_label)]}, best first."""
    per_label = defaultdict(Counter)
    ndocs = Counter()
    for label, text in docs:
        ndocs[label] += 1
        per_label[label].update(terms_of(words(text), n))
    total = Counter()
    for c in per_label.values():
        total.update(c)
    # The prior: corpus-wide counts scaled to a total of alpha0 pseudo-documents.
    alpha0 = 1000.0
    grand = sum(total.values())
    alpha = {t: alpha0 * c / grand for t, c in total.items()}
    out = {}
    for label, counts in per_label.items():
        n_in = sum(counts.values())
        n_out = grand - n_in
        rows = []
        for t, y_in in counts.items():
            if y_in < min_docs:
                continue
            a = alpha[t]
            y_out = total[t] - y_in
            l_in = math.log((y_in + a) / (n_in + alpha0 - y_in - a))
            l_out = math.log((y_out + a) / (n_out + alpha0 - y_out - a))
            var = 1.0 / (y_in + a) + 1.0 / (y_out + a)
            rows.append((t, (l_in - l_out) / math.sqrt(var), y_in, ndocs[label]))
        rows.sort(key=lambda r: (-r[1], r[0]))
        out[label] = rows
    return out


def known_terms(rules_dir):
    """(folded words, is_stem, file) of every weighted term of the rule files."""
    if tomllib is None:
        sys.exit("--rules needs Python 3.11 or newer (tomllib)")
    found = []
    for path in sorted(glob.glob(os.path.join(rules_dir, "*.toml"))):
        with open(path, "rb") as f:
            data = tomllib.load(f)
        for topic in data.get("topic", []):
            for lst in topic.get("terms", {}).values():
                for item in lst:
                    text = item[0].lstrip("=").strip()
                    stem = text.endswith("*")
                    ws = words(text.rstrip("*"))
                    if ws:
                        found.append((ws, stem, os.path.basename(path)))
    return found


def is_known(term, known):
    tw = term.split()
    for ws, stem, path in known:
        if len(ws) != len(tw) or ws[:-1] != tw[:-1]:
            continue
        if ws[-1] == tw[-1] or (stem and tw[-1].startswith(ws[-1])):
            return path
    return None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--label", action="append", help="only these labels (default: all)")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--min-docs", type=int, default=5)
    ap.add_argument("--ngrams", type=int, default=2)
    ap.add_argument("--rules", help="rules/topics: mark (and hide) terms already listed")
    ap.add_argument("--all", action="store_true", help="keep known terms (marked)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    docs = read_corpus(args.corpus)
    table = log_odds(docs, args.ngrams, args.min_docs)
    known = known_terms(args.rules) if args.rules else []
    result = {}
    for label in sorted(table):
        if args.label and label not in args.label:
            continue
        rows = []
        for term, z, y, nd in table[label]:
            k = is_known(term, known) if known else None
            if k and not args.all:
                continue
            rows.append({"term": term, "z": round(z, 2), "docs": y, "of": nd, "known": k})
            if len(rows) >= args.top:
                break
        result[label] = rows
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return
    for label, rows in result.items():
        print("== %s" % label)
        for r in rows:
            mark = "  (known: %s)" % r["known"] if r["known"] else ""
            print("%8.2f  %5d/%-5d  %s%s" % (r["z"], r["docs"], r["of"], r["term"], mark))


if __name__ == "__main__":
    main()
