#!/usr/bin/env python3
"""Compare two dumps of classifications (`examples/dump.rs`), document by document.

Usage:
  cargo run --release --example dump -- tests/data/articles/*.txt ../shared/dev/*/*.jsonl > new.jsonl
  python3 scripts/compare_outputs.py old.jsonl new.jsonl [--allow-rule-id REGEX]... [--show N]

Everything a client sees is compared: language, topics (id, score, evidence), entities (id,
type, names, wikidata id, salience) and their mentions (offsets, text, value, role, confidence,
field), boilerplate. `rules_version` is ignored (it changes with any rule file). A `rule_id`
(of a mention or of evidence) that differs only where both the old and the new id match one of
the `--allow-rule-id` regexes is counted apart, not as a difference: that is how a word list
that moved from code into a rule file shows up. Exit status 1 when anything else differs.
"""
import argparse
import json
import re
import sys


def load(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            out[d["id"]] = d.get("result", {"error": d.get("error")})
    return out


def walk(a, b, path, allowed, diffs, moved):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k == "rulesVersion":
                continue
            walk(a.get(k), b.get(k), path + "." + k, allowed, diffs, moved)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            diffs.append((path, "%d items" % len(a), "%d items" % len(b)))
            return
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, "%s[%d]" % (path, i), allowed, diffs, moved)
    elif a != b:
        if path.endswith(".ruleId") and isinstance(a, str) and isinstance(b, str) and any(
            r.search(a) for r in allowed) and any(r.search(b) for r in allowed):
            moved.append((path, a, b))
        else:
            diffs.append((path, a, b))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--allow-rule-id", action="append", default=[],
                    help="regex: rule ids matching it on both sides may differ")
    ap.add_argument("--show", type=int, default=20, help="differences to print")
    args = ap.parse_args()
    allowed = [re.compile(r) for r in args.allow_rule_id]
    old, new = load(args.old), load(args.new)
    missing = sorted(set(old) ^ set(new))
    diffs, moved, docs = [], [], 0
    for doc_id in sorted(set(old) & set(new)):
        d = []
        walk(old[doc_id], new[doc_id], "", allowed, d, moved)
        if d:
            docs += 1
            diffs.extend((doc_id,) + x for x in d)
    print("documents: %d old, %d new, %d only in one" % (len(old), len(new), len(missing)))
    print("documents that differ: %d (%d differences)" % (docs, len(diffs)))
    print("rule ids that moved (allowed): %d" % len(moved))
    for x in diffs[: args.show]:
        print("  %s %s: %r -> %r" % x)
    for m in sorted({(a, b) for _, a, b in moved})[: args.show]:
        print("  moved: %s -> %s" % m)
    return 1 if diffs or missing else 0


if __name__ == "__main__":
    sys.exit(main())
