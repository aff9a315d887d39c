#!/usr/bin/env python3
"""Top-1 topic accuracy of khabar on a `label<TAB>text` corpus (the mining corpus, never a dev
file), through `khabar classify --jsonl` (no server).

Usage:
  check_tsv.py CORPUS.tsv --map business=medtop:04000000 [--map ...] [--khabar BIN]
               [--rules DIR] [--confusions] [--show N]

Labels without --map are counted but not scored. With --rules, the rules of DIR are used
instead of the embedded ones, so a rule change can be checked without a rebuild. --show N
prints up to N missed documents per label (for reading WHY a rule misses: fix the rule by a
general term or mechanism, never by copying a document's words).
"""
import argparse
import json
import subprocess
import sys
from collections import Counter, defaultdict


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--map", action="append", default=[], help="label=qcode")
    ap.add_argument("--khabar", default="target/release/khabar")
    ap.add_argument("--rules")
    ap.add_argument("--confusions", action="store_true")
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args(argv)
    gold_of = dict(m.split("=", 1) for m in args.map)

    docs = []
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            if "\t" in line:
                label, text = line.rstrip("\n").split("\t", 1)
                docs.append((label, text))
    requests = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for _, t in docs)
    cmd = [args.khabar, "classify", "--jsonl", "-"]
    if args.rules:
        cmd += ["--rules", args.rules]
    proc = subprocess.run(cmd, input=requests.encode("utf-8"), capture_output=True, check=True)
    answers = [json.loads(x) for x in proc.stdout.decode("utf-8").splitlines()]
    if len(answers) != len(docs):
        sys.exit("expected %d answers, got %d" % (len(docs), len(answers)))

    confusion = defaultdict(Counter)
    missed = defaultdict(list)
    for (label, text), ans in zip(docs, answers):
        tops = [t for t in ans.get("topics", []) if not t.get("parentId")]
        best = max(tops, key=lambda t: t.get("score", 0))["id"] if tops else "(none)"
        confusion[label][best] += 1
        if label in gold_of and best != gold_of[label]:
            missed[label].append((best, text))
    accs = []
    for label in sorted(confusion):
        n = sum(confusion[label].values())
        if label in gold_of:
            acc = confusion[label][gold_of[label]] / n
            accs.append(acc)
            print("%-12s %5d  top-1 %.3f" % (label, n, acc))
        else:
            print("%-12s %5d  (not scored)" % (label, n))
        if args.confusions or label not in gold_of:
            print("    " + ", ".join("%s %d" % kv for kv in confusion[label].most_common(8)))
        for best, text in missed[label][: args.show]:
            print("    -> %s: %s" % (best, text[:160]))
    if accs:
        print("macro top-1 %.3f" % (sum(accs) / len(accs)))


if __name__ == "__main__":
    main()
