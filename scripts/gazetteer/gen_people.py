#!/usr/bin/env python3
"""Generate rules/gazetteer/people_wikidata.tsv: politicians with their Wikidata ids and their
Wikidata names in English and, where Wikidata has one, in Arabic.

Source: the Wikidata extracts that EveryPolitician's scrapers saved in 2015, one per
legislature: `data/<Country>/<Legislature>/sources/morph/wikidata.csv` of
github:tijmenb/everypolitician-data (a fork of everypolitician/everypolitician-data, whose full
history is too large to fetch) at the pinned commit EP_COMMIT, read from a git mirror
(`--mirrors DIR` holds `tijmenb+everypolitician-data/repo`, as the `fetch` tool lays it out).
Only these Wikidata extracts are read: their columns (`id` = the Q id, `name__en`, `name__ar`,
`name__en_gb`, `name__en_ca`, `wikipedia__en`, `wikipedia__ar`, `family_name`) are Wikidata
labels and sitelinks, CC0 1.0. The parliament-scraped popolo files beside them (mixed, unclear
licences) are NOT read. The legislature's country comes from the repository's `countries.json`
(its `code` field, an ISO 3166-1 code).

What is kept (general filters; no single name is listed or removed by hand):

* one entity per Q id (the first file in path order gives the country);
* notability: the person has an English or an Arabic Wikipedia article (`wikipedia__en` /
  `wikipedia__ar`), so the list holds members of parliaments and governments that
  encyclopedias (and news) write about, not every name on a roll;
* English names: `name__en` (else `name` when it is in Latin script), the English Wikipedia
  title without its "(politician)" qualifier, `name__en_gb` / `name__en_ca`; Arabic names:
  `name__ar` and the Arabic Wikipedia title without its qualifier, when written in Arabic
  letters only (a name with a Persian or Urdu letter, پ چ ژ گ ک ی, is not an Arabic name);
* a full form has two words or more and three letters or more; a one-word name (a mononym or a
  bare surname) is never a full form;
* a form whose first word is an initial ("A. A. Wijethunga") or a common word (wamerican
  lowercase: "Bill", "Hope", "Said") is dropped, unless
  rules/patterns.toml lists that word among its given names: the loader makes the first word of
  every listed person's name a given name of the trigger patterns, and a common word must not
  start names there ("Hope Springs"); Arabic given names are mostly words (كريم، جمال) and the
  Arabic triggers need more structure than a given name, so Arabic forms are not filtered so;
* a form made only of common English words (lowercase entries of Debian's wamerican word list:
  "Will Young") is kept case-sensitive (`=Will Young`), so "will young" in running text is no name;
* a form that two listed people share (namesakes, "John Smith") is dropped from both: a list
  cannot tell them apart; a person left without a form is skipped;
* a form whose normalized text belongs to an entity of another gazetteer file is dropped (the
  hand-made lists win; organizations_world.tsv is generated after this file and is not read), and a person whose English name is already a hand-made person is
  skipped (the same person); generated entities have priority -1;
* `short` (a bare family name that only counts in a document that names the person in full):
  the last word of the English name and of the Arabic name, when it has 4 letters or more, is
  no common English word (wamerican lowercase) or Arabic dictionary stem (Debian hunspell-ar),
  and is not the first word of any listed name (a given name: "Ahmed", "محمد");
* `note`: "politician, <country>" and the year of birth when known; `link`: `country/<ISO2>`
  when the country is in countries.tsv.

Output is sorted by id and byte-identical on every run; check_tsv.py then checks it with the
other gazetteer files.

Usage: python3 scripts/gazetteer/gen_people.py [--mirrors /work/.mirror]
(needs `apt-get install wamerican hunspell-ar` for the common-word filters)
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import tomllib
import unicodedata
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_tsv import (  # noqa: E402
    arabic_stems, form_key, gazetteer_rows, git, letters, normalize, slug,
)

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "rules/gazetteer/people_wikidata.tsv"
# Generated after this file (it drops the forms it shares with this one): not read here, so
# the two outputs do not depend on the order the generators run in.
LATER = ROOT / "rules/gazetteer/organizations_world.tsv"
EP_REPO = "tijmenb/everypolitician-data"
EP_COMMIT = "0642e77ac8a13bcd8017b245825c3aba349d3e6a"
SCOWL = "/usr/share/dict/american-english"  # Debian wamerican
PRIORITY = "-1"
HEADER = ["id", "type", "name_en", "name_ar", "variants", "short", "priority", "link", "note",
          "source", "wikidata"]

_LATIN = re.compile(r"[A-Za-z]")
_ARABIC_ONLY = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u064B-\u0652\u0670 \-']+$")
_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")
_QID = re.compile(r"^Q[1-9][0-9]{0,11}$")


def english_words() -> set[str]:
    """Lowercase entries of wamerican: common English words (proper nouns are capitalized)."""
    out = set()
    for w in Path(SCOWL).read_text(encoding="utf-8").splitlines():
        if w and w[0].islower() and "'" not in w:
            out.add(normalize(w))
    return out


def existing() -> tuple[set[str], set[str]]:
    """Normalized full forms of the other gazetteer files, and the English names of people."""
    forms, people = set(), set()
    for row in gazetteer_rows(skip=(OUT, LATER)):
        for f in [row["name_en"], row["name_ar"]] + row["variants"].split("|"):
            if f:
                forms.add(form_key(f))
        if row["type"] == "PERSON":
            people.add(form_key(row["name_en"]))
    return forms, people


def clean(name: str) -> str:
    name = _QUALIFIER.sub("", name.replace("_", " ")).strip()
    return re.sub(r"\s+", " ", name)


def latin_name(s: str) -> str:
    s = clean(s)
    if not s or not _LATIN.search(s) or any(c.isdigit() for c in s):
        return ""
    if any(unicodedata.name(c, "").split(" ")[0] not in ("LATIN", "SPACE", "HYPHEN-MINUS",
                                                          "APOSTROPHE", "FULL", "RIGHT")
           for c in s if not c.isspace()):
        return ""
    if s.isupper():  # "ABABSA NASSER": a roll's spelling, not a label
        return ""
    return s


def arabic_name(s: str) -> str:
    s = clean(s)
    return s if s and _ARABIC_ONLY.match(s) else ""


def nwords(s: str) -> int:
    """Words with a letter: "Jean-Pierre" is one word."""
    return len(re.findall(r"[^\W\d_]+(?:['-][^\W\d_]+)*", s))


def full_form_ok(s: str) -> bool:
    return nwords(s) >= 2 and letters(s) >= 3


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mirrors", default="/work/.mirror")
    args = ap.parse_args()
    repo = Path(args.mirrors) / EP_REPO.replace("/", "+") / "repo"
    commit = EP_COMMIT
    git(repo, "cat-file", "-e", f"{commit}^{{commit}}")  # fails if the mirror lacks it
    countries = {}
    for c in json.loads(git(repo, "show", f"{commit}:countries.json")):
        for leg in c["legislatures"]:
            countries[leg["sources_directory"].rsplit("/", 1)[0]] = (c["name"], c["code"])
    files = sorted(f for f in git(repo, "ls-tree", "-r", "--name-only", commit).decode().split()
                   if f.endswith("/sources/morph/wikidata.csv"))
    known_ids = set()
    for path in sorted((ROOT / "rules/gazetteer").glob("*.tsv")):
        if path in (OUT, LATER):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                known_ids.add(line.split("\t")[0])

    people: dict[str, dict] = {}
    for f in files:
        leg = f.rsplit("/sources/", 1)[0]
        country, code = countries.get(leg, (leg.split("/")[1].replace("_", " "), ""))
        text = git(repo, "show", f"{commit}:{f}").decode("utf-8")
        for r in csv.DictReader(io.StringIO(text)):
            qid = r.get("id", "")
            if not _QID.match(qid) or qid in people:
                continue
            if not (r.get("wikipedia__en") or r.get("wikipedia__ar")):
                continue
            en = latin_name(r.get("name__en", "")) or latin_name(r.get("name", ""))
            if not en:
                continue
            en_forms = [en]
            for k in ("wikipedia__en", "name__en_gb", "name__en_ca", "name"):
                v = latin_name(r.get(k, ""))
                if v and v not in en_forms:
                    en_forms.append(v)
            ar_forms = []
            for k in ("name__ar", "wikipedia__ar"):
                v = arabic_name(r.get(k, ""))
                if v and v not in ar_forms:
                    ar_forms.append(v)
            year = (r.get("birth_date") or "")[:4]
            people[qid] = {"en": en_forms, "ar": ar_forms, "country": country, "code": code,
                           "year": year if year.isdigit() else "", "file": f}

    common_en = english_words()
    stems_ar = arabic_stems()
    patterns = tomllib.loads((ROOT / "rules/patterns.toml").read_text(encoding="utf-8"))
    given_ok = {normalize(w) for lang in ("en", "ar")
                for w in patterns["person"]["given_names"][lang]}
    other_forms, other_people = existing()

    # forms of every person, normalized; a form two people share is dropped from both
    owners: dict[str, set[str]] = defaultdict(set)
    for qid, p in people.items():
        for f in p["en"] + p["ar"]:
            if full_form_ok(f):
                owners[form_key(f)].add(qid)
    first_words = {normalize(f).split()[0] for p in people.values() for f in p["en"] + p["ar"]}

    rows = []
    used_ids = set(known_ids)
    for qid in sorted(people, key=lambda q: int(q[1:])):
        p = people[qid]
        if form_key(p["en"][0]) in other_people:
            continue
        forms = []
        seen = set()
        for f in p["en"] + p["ar"]:
            k = form_key(f)
            if k in seen or not full_form_ok(f) or len(owners[k]) > 1 or k in other_forms:
                continue
            first = normalize(f).split()[0]
            if letters(first) < 2 or (_LATIN.search(f) and first in common_en
                                      and first not in given_ok):
                continue  # the first word of a listed name becomes a given name of the triggers
            seen.add(k)
            if _LATIN.search(f) and all(w in common_en for w in normalize(f).split()):
                f = "=" + f
            forms.append(f)
        en = [f for f in forms if _LATIN.search(f)]
        ar = [f for f in forms if not _LATIN.search(f)]
        if not en and not ar:
            continue
        shorts = []
        for f in (p["en"][:1] + p["ar"][:1]):
            last = normalize(f).split()[-1]
            if (nwords(f) >= 2 and letters(last) >= 4 and last not in common_en
                    and last not in stems_ar and last not in first_words
                    and last not in other_forms and f.split()[-1] not in shorts):
                shorts.append(f.split()[-1])
        name_en = en[0].lstrip("=") if en else p["en"][0]
        name_ar = ar[0] if ar else ""
        if en and en[0].startswith("="):
            # The canonical column is shown to clients as written, so a case-sensitive English
            # name goes to the variants; without an Arabic name there is no canonical name.
            if not name_ar:
                continue
            name_en_col, variants = "", en
        else:
            name_en_col, variants = name_en, en[1:]
        variants = variants + ar[1:]
        base = slug(name_en) or qid.lower()
        ident = f"person/{base}"
        if ident in used_ids:
            ident = f"person/{base}-{qid.lower()}"
        used_ids.add(ident)
        code = p["code"] if f"country/{p['code']}" in known_ids else ""
        note = f"politician, {p['country']}" + (f", born {p['year']}" if p["year"] else "")
        source = (f"Wikidata {qid} labels (CC0) via {EP_REPO}@{EP_COMMIT[:12]} "
                  f"{p['file']}")
        rows.append([ident, "PERSON", name_en_col, name_ar, "|".join(variants),
                     "|".join(shorts), PRIORITY, f"country/{code}" if code else "", note,
                     source, qid])

    with OUT.open("w", encoding="utf-8", newline="\n") as out:
        out.write("# Generated by scripts/gazetteer/gen_people.py; do not edit by hand.\n")
        out.write(f"# Wikidata labels (CC0 1.0) of politicians, from the Wikidata extracts of "
                  f"{EP_REPO}@{EP_COMMIT}\n")
        out.write("# (data/*/*/sources/morph/wikidata.csv). Priority -1: the hand-made lists "
                  "win every shared form.\n")
        out.write("\t".join(HEADER) + "\n")
        for r in sorted(rows):
            out.write("\t".join(r) + "\n")
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} people "
          f"({sum(1 for r in rows if r[3])} with an Arabic name)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
