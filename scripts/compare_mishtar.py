#!/usr/bin/env python3
"""Compare khabar's DATE mentions with mishtar's temporal expressions on the seed articles.

What it does
    For every gold file GOLD/<name>.json with a matching article SEEDS/<name>.txt:
    * runs mishtar (PyPI package ``mishtar``, Taha Zerrouki, GPL; a rule-based Arabic
      temporal-expression chunker) on the article line by line. mishtar works on the
      token list of ``pyarabic.araby.tokenize`` and returns token index ranges
      (``myTemped().detect_positions(tokens)``); the tokens are aligned back onto the
      line (tokenize only splits on non-word runs and deletes space/tab/CR/FF/VT), so every
      mishtar chunk becomes a code-point span [start of first token, end of last token)
      into the article text, the same unit as the gold files;
    * runs ``khabar classify --type date FILE`` (subprocess, code-point offsets) and takes
      the mentions of its ENTITY_TYPE_DATE entities;
    * prints, per article, one row per gold DATE mention with the khabar and mishtar spans
      that overlap it, then the spans of each system that overlap no gold DATE ("extra").

    Markers: ``=`` exact span match, ``~`` overlapping span with different boundaries,
    ``x`` missed (nothing overlaps), ``+`` extra span. A prediction that overlaps no gold
    mention of any type but overlaps an "optional" or "boilerplate" region of the gold file
    is ignored, as in shared/eval/score.py. A single predicted span that covers two gold
    mentions counts as a boundary difference for both.

    Summary per system: gold DATE mentions matched exactly, with a boundary difference,
    missed; extra spans; and strict precision/recall/F1 (exact span = true positive).

Data
    shared/seeds/*.txt and shared/eval/gold/*.json (read-only project reference data).
    No output file is written; the report goes to standard output.

How to run (from the repo root, after ``pip install mishtar`` and ``cargo build --release``)
    python3 scripts/compare_mishtar.py
    python3 scripts/compare_mishtar.py --seeds ../shared/seeds --gold ../shared/eval/gold \\
        --khabar target/release/khabar
    Defaults: --seeds ../shared/seeds, --gold ../shared/eval/gold, --khabar
    target/release/khabar, all relative to the repo root (the parent of scripts/), whatever
    the current directory. ``--json`` prints the rows as JSON instead of tables.

    python3 scripts/compare_mishtar.py --mishtar-selftest
    Instead of the seeds, runs both systems on the test sentences shipped inside mishtar
    (the ``test_tuples`` list under ``__main__`` in mishtar/mytemped.py, read with ast, not
    executed) and prints mishtar's expected chunks next to what each system returns. These
    sentences are mishtar's own fixtures, so they favour mishtar; they show which kinds of
    expression (Hijri months, era suffixes, ordinals) khabar does not cover.

Licence: this script is part of khabar. It imports mishtar (GPL) at run time only; nothing
of mishtar is copied here.
"""
import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# pyarabic.araby.tokenize deletes these characters from its tokens (TOKEN_REPLACE).
TOKENIZE_DELETED = set("\t\r\x0c\x0b ")


def load_mishtar():
    try:
        import pyarabic.araby as araby
        import mishtar.mytemped as mytemped
    except ImportError as exc:  # pragma: no cover - environment problem
        sys.exit("mishtar is not installed (pip install mishtar): %s" % exc)
    try:
        from importlib.metadata import version
        ver = version("mishtar")
    except Exception:  # pragma: no cover
        ver = "?"
    return araby, mytemped.myTemped(), ver


def align_tokens(line, tokens):
    """Code-point (start, end) of every token inside line.

    Tokens are the line's text in order, split on non-word runs, with the characters of
    TOKENIZE_DELETED removed; a token may therefore span deleted characters ("، (" -> "،(").
    """
    spans = []
    pos = 0
    for tok in tokens:
        while pos < len(line) and line[pos] in TOKENIZE_DELETED:
            pos += 1
        start = pos
        for ch in tok:
            while pos < len(line) and line[pos] in TOKENIZE_DELETED and line[pos] != ch:
                pos += 1
            if pos >= len(line) or line[pos] != ch:
                raise ValueError("cannot align token %r at %d in %r" % (tok, pos, line))
            pos += 1
        spans.append((start, pos))
    return spans


def mishtar_spans(text, araby, chunker):
    """mishtar temporal chunks of text, as code-point spans, line by line."""
    out = []
    offset = 0
    for line in text.split("\n"):
        tokens = araby.tokenize(line)
        if tokens:
            tok_spans = align_tokens(line, tokens)
            for first, last in chunker.detect_positions(tokens):
                start = offset + tok_spans[first][0]
                end = offset + tok_spans[last][1]
                out.append({"start": start, "end": end, "text": text[start:end]})
        offset += len(line) + 1
    return sorted(out, key=lambda m: (m["start"], m["end"]))


def khabar_spans(binary, path, text):
    proc = subprocess.run([binary, "classify", "--type", "date", "--unit", "cp", path],
                          capture_output=True, timeout=300)
    if proc.returncode != 0:
        sys.exit("khabar classify failed on %s: %s" % (path, proc.stderr.decode("utf-8", "replace")))
    resp = json.loads(proc.stdout.decode("utf-8"))
    out = []
    for ent in resp.get("entities", []):
        if ent.get("type") != "ENTITY_TYPE_DATE":
            continue
        for m in ent.get("mentions", []):
            start, end = int(m.get("start", 0)), int(m.get("end", 0))
            if text[start:end] != m.get("text", ""):
                print("warning: khabar offsets do not match text in %s at %d" % (path, start),
                      file=sys.stderr)
            out.append({"start": start, "end": end, "text": text[start:end],
                        "value": m.get("value", "")})
    return sorted(out, key=lambda m: (m["start"], m["end"]))


def overlaps(a, b):
    return a["start"] < b["end"] and b["start"] < a["end"]


def compare(gold_dates, ignore_regions, all_gold, preds):
    """Per gold mention: (marker, overlapping predictions); and the extra predictions."""
    per_gold = []
    for g in gold_dates:
        hits = [p for p in preds if overlaps(p, g)]
        if any(p["start"] == g["start"] and p["end"] == g["end"] for p in hits):
            marker = "="
            hits = [p for p in hits if p["start"] == g["start"] and p["end"] == g["end"]]
        elif hits:
            marker = "~"
        else:
            marker = "x"
        per_gold.append((marker, hits))
    extra = []
    ignored = 0
    for p in preds:
        if any(overlaps(p, g) for g in gold_dates):
            continue
        if not any(overlaps(p, g) for g in all_gold) and any(overlaps(p, r) for r in ignore_regions):
            ignored += 1
            continue
        extra.append(p)
    return per_gold, extra, ignored


def fmt(spans):
    if not spans:
        return "-"
    return " | ".join("%d-%d «%s»" % (s["start"], s["end"], s["text"].replace("\n", "⏎")) for s in spans)


def khabar_on_text(binary, text):
    proc = subprocess.run([binary, "classify", "--type", "date", "--unit", "cp", "-"],
                          input=text.encode("utf-8"), capture_output=True, timeout=300)
    if proc.returncode != 0:
        sys.exit("khabar classify failed: %s" % proc.stderr.decode("utf-8", "replace"))
    resp = json.loads(proc.stdout.decode("utf-8"))
    spans = [m for e in resp.get("entities", []) if e.get("type") == "ENTITY_TYPE_DATE"
             for m in e.get("mentions", [])]
    return [m["text"] for m in sorted(spans, key=lambda m: (m["start"], m["end"]))]


def mishtar_selftest(binary, araby, chunker):
    """Both systems on mishtar's own test sentences (see the module docstring)."""
    import ast
    import mishtar.mytemped as mytemped
    tree = ast.parse(open(mytemped.__file__, encoding="utf-8").read())
    tuples = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "test_tuples":
            tuples = ast.literal_eval(node.value)
    if tuples is None:
        sys.exit("test_tuples not found in %s" % mytemped.__file__)
    same = {"khabar": 0, "mishtar": 0}
    print("| sentence | mishtar's expected | khabar | mishtar |")
    print("|---|---|---|---|")
    for text, expected in tuples:
        exp = [e.strip() for e in expected]
        norm = [e.replace(" / ", "/") for e in exp]
        got = {"khabar": khabar_on_text(binary, text),
               "mishtar": [m["text"] for m in mishtar_spans(text, araby, chunker)]}
        cells = []
        for s in ("khabar", "mishtar"):
            ok = [g.replace(" / ", "/") for g in got[s]] == norm
            same[s] += ok
            cells.append(("= " if ok else "") + (" ; ".join(got[s]) or "-"))
        print("| %s | %s | %s |" % (text.strip().replace("\n", " ")[:60],
                                    " ; ".join(exp) or "-", " | ".join(cells)))
    print()
    print("sentences: %d; output equal to mishtar's expected list (ignoring spaces around /): "
          "khabar %d, mishtar %d" % (len(tuples), same["khabar"], same["mishtar"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default=os.path.join(ROOT, "..", "shared", "seeds"))
    ap.add_argument("--gold", default=os.path.join(ROOT, "..", "shared", "eval", "gold"))
    ap.add_argument("--khabar", default=os.path.join(ROOT, "target", "release", "khabar"),
                    help="khabar binary (build it with cargo build --release)")
    ap.add_argument("--json", action="store_true", help="print rows as JSON")
    ap.add_argument("--mishtar-selftest", action="store_true",
                    help="run both systems on mishtar's own test sentences instead of the seeds")
    args = ap.parse_args()

    araby, chunker, mishtar_version = load_mishtar()
    if args.mishtar_selftest:
        mishtar_selftest(args.khabar, araby, chunker)
        return
    systems = ("khabar", "mishtar")
    totals = {s: {"gold": 0, "exact": 0, "boundary": 0, "missed": 0, "extra": 0, "pred": 0,
                  "ignored": 0} for s in systems}
    report = []

    for name in sorted(os.listdir(args.gold)):
        if not name.endswith(".json"):
            continue
        gold = json.load(open(os.path.join(args.gold, name), encoding="utf-8"))
        txt_path = os.path.join(args.seeds, name[:-5] + ".txt")
        if not os.path.exists(txt_path):
            continue
        text = open(txt_path, encoding="utf-8").read()
        all_gold = gold.get("mentions", [])
        gold_dates = sorted((m for m in all_gold if m["type"] == "DATE"),
                            key=lambda m: (m["start"], m["end"]))
        ignore_regions = list(gold.get("optional", [])) + list(gold.get("boilerplate", []))
        preds = {"khabar": khabar_spans(args.khabar, txt_path, text),
                 "mishtar": mishtar_spans(text, araby, chunker)}
        results = {s: compare(gold_dates, ignore_regions, all_gold, preds[s]) for s in systems}

        rows = []
        for i, g in enumerate(gold_dates):
            row = {"gold": {"start": g["start"], "end": g["end"], "text": g["text"]}}
            for s in systems:
                marker, hits = results[s][0][i]
                row[s] = {"marker": marker, "spans": hits}
                totals[s][{"=": "exact", "~": "boundary", "x": "missed"}[marker]] += 1
            rows.append(row)
        for s in systems:
            _, extra, ignored = results[s]
            totals[s]["gold"] += len(gold_dates)
            totals[s]["extra"] += len(extra)
            totals[s]["ignored"] += ignored
            totals[s]["pred"] += len(preds[s]) - ignored
            for p in extra:
                rows.append({"gold": None, s: {"marker": "+", "spans": [p]}})
        report.append({"doc": name[:-5], "rows": rows})

        if not args.json:
            print("## %s  (gold DATE: %d)" % (name[:-5], len(gold_dates)))
            print("| gold | khabar | mishtar |")
            print("|---|---|---|")
            for row in rows:
                cells = [fmt([row["gold"]]) if row["gold"] else "+ (no gold)"]
                for s in systems:
                    cell = row.get(s)
                    cells.append("%s %s" % (cell["marker"], fmt(cell["spans"])) if cell else "")
                print("| " + " | ".join(cells) + " |")
            print()

    summary = {}
    for s in systems:
        t = totals[s]
        p = t["exact"] / t["pred"] if t["pred"] else 0.0
        r = t["exact"] / t["gold"] if t["gold"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        summary[s] = dict(t, precision=round(p, 3), recall=round(r, 3), f1=round(f, 3))
    if args.json:
        json.dump({"mishtar_version": mishtar_version, "articles": report, "summary": summary},
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
        return
    print("## Summary (mishtar %s, run line by line)" % mishtar_version)
    print("| system | gold DATE | exact | boundary diff | missed | extra | scored spans | "
          "ignored (optional/boilerplate) | strict P | strict R | strict F1 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for s in systems:
        t = summary[s]
        print("| %s | %d | %d | %d | %d | %d | %d | %d | %.3f | %.3f | %.3f |" % (
            s, t["gold"], t["exact"], t["boundary"], t["missed"], t["extra"], t["pred"],
            t["ignored"], t["precision"], t["recall"], t["f1"]))


if __name__ == "__main__":
    main()
