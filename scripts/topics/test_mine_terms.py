#!/usr/bin/env python3
"""Tests of the candidate miner and the AG News converter, on small texts written here.

Run: python3 -m unittest discover -s scripts/topics -p 'test_*.py'
"""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import agnews_tsv  # noqa: E402
import mine_terms  # noqa: E402


def corpus(rows):
    f = tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8")
    for label, text in rows:
        f.write("%s\t%s\n" % (label, text))
    f.close()
    return f.name


class MineTerms(unittest.TestCase):
    def test_a_distinctive_word_ranks_first(self):
        rows = [("sport", "the striker scored a goal in the match")] * 8
        rows += [("economy", "the bank raised its interest rate in the market")] * 8
        rows += [("sport", "the market for the match tickets")] * 2
        table = mine_terms.log_odds(rows, n=1, min_docs=2)
        sport = [t for t, *_ in table["sport"]]
        economy = [t for t, *_ in table["economy"]]
        self.assertIn(sport[0], {"striker", "scored", "goal", "match"})
        self.assertIn(economy[0], {"bank", "raised", "interest", "rate"})
        self.assertNotIn("market", sport[:3])  # shared by both labels

    def test_phrases_and_stop_words(self):
        rows = [("economy", "the interest rate rose and the interest rate fell")] * 6
        rows += [("sport", "the team won the game")] * 6
        terms = [t for t, *_ in mine_terms.log_odds(rows, n=2, min_docs=2)["economy"]]
        self.assertIn("interest rate", terms)
        self.assertFalse(any(t.split()[0] in mine_terms.STOP for t in terms))

    def test_arabic_is_folded_and_loses_the_article(self):
        self.assertEqual(mine_terms.words("والمباراة بالملعب"), ["مباراه", "ملعب"])
        self.assertEqual(mine_terms.words("أسعار إنتاج"), ["اسعار", "انتاج"])
        self.assertEqual(mine_terms.words("وزير"), ["وزير"])  # not a conjunction + word

    def test_known_terms_are_marked(self):
        known = [(["interest", "rate"], False, "x.toml"), (["bank"], True, "y.toml")]
        self.assertEqual(mine_terms.is_known("interest rate", known), "x.toml")
        self.assertEqual(mine_terms.is_known("banking", known), "y.toml")
        self.assertIsNone(mine_terms.is_known("rate", known))

    def test_main_reads_label_tab_text(self):
        path = corpus([("a", "alpha beta")] * 5 + [("b", "gamma delta")] * 5)
        buf = io.StringIO()
        try:
            with contextlib.redirect_stdout(buf):
                mine_terms.main([path, "--min-docs", "2", "--top", "1", "--json"])
        finally:
            os.unlink(path)
        got = json.loads(buf.getvalue())
        self.assertEqual(sorted(got), ["a", "b"])
        self.assertIn(got["a"][0]["term"], {"alpha", "beta"})


class AgNewsTsv(unittest.TestCase):
    def test_test_rows_are_dropped_and_labels_named(self):
        tmp = tempfile.mkdtemp()
        test = os.path.join(tmp, "test.csv")
        train = os.path.join(tmp, "train.csv")
        out = os.path.join(tmp, "out.tsv")
        with open(test, "w", encoding="utf-8") as f:
            f.write('"3","Stocks rise","Shares rose on Monday as oil fell."\n')
        with open(train, "w", encoding="utf-8") as f:
            f.write('2,"Shares rose on Monday as oil fell ."\n')  # a test row, tokenized
            f.write('1,"The striker scored twice ."\n')
            f.write('1,"The striker scored twice ."\n')  # a duplicate
            f.write('3,"Researchers built a faster chip #39;s core ."\n')
        with contextlib.redirect_stderr(io.StringIO()):
            agnews_tsv.main(["--label-text", train, "--exclude", test, "-o", out])
        with open(out, encoding="utf-8") as f:
            lines = f.read().splitlines()
        self.assertEqual(lines, ["sports\tThe striker scored twice .",
                                 "scitech\tResearchers built a faster chip's core ."])


if __name__ == "__main__":
    unittest.main()
