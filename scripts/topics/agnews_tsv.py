#!/usr/bin/env python3
"""Turn AG News TRAIN-split files into `label<TAB>text` lines for mine_terms.py.

Usage:
  agnews_tsv.py [--charcnn FILE]... [--label-text FILE]... [--text-label FILE]...
                --exclude TEST.csv [-o OUT.tsv]

Inputs (paths into fetched mirrors; nothing of them is committed):
  --charcnn FILE     the original layout, "class","title","description", classes 1-4
                     (World, Sports, Business, Sci/Tech), e.g. ag_news_csv/train.csv.
  --label-text FILE  "label,text" rows without a header, labels 0-3 in the same order, e.g.
                     KEAML-JLU/DeepTextClustering data/ag_news/train.csv (4,000 descriptions
                     drawn from the train split by its build_corpora.py).
  --text-label FILE  a "text,label" header then rows, labels 0-3, e.g.
                     lst11111/bert-text-classification data/ag_news/train.csv (5,000 rows).
  --exclude TEST     the AG News TEST split (ag_news_csv/test.csv, the source of the dev file
                     agnews_en.jsonl): any input row whose text matches a test row is dropped,
                     so nothing of the test split is ever mined, whatever a copy's provenance.

Labels are written as world, sports, business, scitech. Rows are de-duplicated. Counts of
rows read, dropped as test rows and written are printed on stderr.
"""
import argparse
import csv
import html
import re
import sys

LABELS = ["world", "sports", "business", "scitech"]


def clean(text):
    """Undo the crawl damage of AG News: escaped line breaks, '#39;'-style entities, tags."""
    text = text.replace("\\$", "$").replace("\\", " ")
    text = re.sub(r" ?#(\d+);", lambda m: html.unescape("&#%s;" % m.group(1)), text)
    text = re.sub(r"\b(quot|amp|lt|gt);", lambda m: html.unescape("&%s;" % m.group(1)), text)
    text = html.unescape(text)
    text = re.sub(r"<[^>]*>", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def key(text):
    """A spelling-proof key of a description: its first 60 letters and digits, lowercased
    (copies differ in tokenization, quotes and entities)."""
    return re.sub(r"[^a-z0-9]", "", clean(text).lower())[:60]


def read_charcnn(path):
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            if len(row) >= 3 and row[0].strip().isdigit():
                yield int(row[0]) - 1, row[1], row[2]


def read_label_text(path):
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            if len(row) >= 2 and row[0].strip().isdigit():
                yield int(row[0]), "", row[-1]


def read_text_label(path):
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            if len(row) >= 2 and row[-1].strip().isdigit():
                yield int(row[-1]), "", row[0]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--charcnn", action="append", default=[])
    ap.add_argument("--label-text", action="append", default=[])
    ap.add_argument("--text-label", action="append", default=[])
    ap.add_argument("--exclude", action="append", default=[], required=True,
                    help="AG News test split(s) whose rows must never be mined")
    ap.add_argument("-o", "--out", default="-")
    args = ap.parse_args(argv)

    test = set()
    for path in args.exclude:
        for _, title, desc in read_charcnn(path):
            test.add(key(desc))
            test.add(key(title + " " + desc))
    sources = ([(read_charcnn, p) for p in args.charcnn]
               + [(read_label_text, p) for p in args.label_text]
               + [(read_text_label, p) for p in args.text_label])
    seen = set()
    read = dropped = 0
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    for reader, path in sources:
        for label, title, desc in reader(path):
            read += 1
            if not 0 <= label < len(LABELS):
                continue
            text = clean((title + " " + desc).strip())
            k = key(text)
            if k in test or key(desc) in test:
                dropped += 1
                continue
            if k in seen:
                continue
            seen.add(k)
            out.write("%s\t%s\n" % (LABELS[label], text))
    if out is not sys.stdout:
        out.close()
    print("read %d, dropped as test rows %d, written %d" % (read, dropped, len(seen)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
