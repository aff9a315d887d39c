#!/usr/bin/env python3
"""Score the NER development sets in process, fast: classify with `examples/dump.rs` (the library,
no server) and score with the scorer of `shared/eval/dev_score.py` (strict and partial F1, the
same numbers as through the API).

Usage: python3 scripts/eval/ner.py [--shared ../shared] [--rules DIR] [-v] [SET...]
SET defaults to every file of shared/dev/ner/. Build first: cargo build --release --example dump
"""
import argparse
import glob
import json
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sets", nargs="*")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "../../../shared"))
    ap.add_argument("--rules")
    ap.add_argument("-v", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, os.path.join(args.shared, "eval"))
    import dev_score  # noqa: E402

    sets = args.sets or sorted(glob.glob(os.path.join(args.shared, "dev/ner/*.jsonl")))
    exe = os.path.join(os.path.dirname(__file__), "../../target/release/examples/dump")
    for path in sets:
        docs = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
        cmd = [exe, "--cp"] + (["--rules", args.rules] if args.rules else []) + [path]
        out = subprocess.run(cmd, capture_output=True, check=True).stdout.decode("utf-8")
        resps = [json.loads(l).get("result", {}) for l in out.splitlines()]
        s = dev_score.score_ner(docs, resps, args.v)
        print("==", os.path.basename(path))
        if args.json:
            print(json.dumps(s["mentions"]))
        else:
            dev_score.print_ner(s)


if __name__ == "__main__":
    main()
