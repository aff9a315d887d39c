#!/usr/bin/env python3
"""Generate rules/gazetteer/organizations_world.tsv: football clubs and universities of the
world, from two public sources read at pinned commits from git mirrors (`--mirrors DIR` holds
`owner+name/repo`, as the `fetch` tool lays it out).

Sources:

* github:openfootball/clubs (CC0 1.0, LICENSE.md) at OF_COMMIT: `<region>/<country>/<cc>.clubs.txt`
  (a club line `Name, [year,] [@ stadium,] city  ## comment`, then `| alias | alias` lines;
  `ii)` lines are reserve teams and are skipped) and `africa/egypt/eg.clubs.lang.ar.txt`
  (`English name, Arabic name` of Egypt's clubs). The country is the file's two-letter
  prefix (eng/sco/wal/nir are GB).
* github:Hipo/university-domains-list (MIT licence, LICENSE.txt) at UNI_COMMIT:
  `world_universities_and_domains.json` (name, ISO country code) of about 10,000 universities.

What is kept (general filters; no single name is listed or removed by hand):

* a form needs 3 letters or more and no abbreviation with a full stop ("Atl. Madrid", "C.
  Palace"; an initialism such as "F.C." is kept); `[en]`-style language tags are removed;
* a club alias that is the city of a club in the source (the second field of a club line:
  "São Paulo" of São Paulo FC) is dropped: it names the city first;
* a one-word Latin form ("Arsenal", "Palmeiras", "Al-Ahli") is never a full form: one-word
  club names are mostly towns or words ("Arles", "Heidenheim", "Chelsea"), which no word list
  here tells apart; it goes to `short` when it has 4 letters or more and is no common English
  word (wamerican lowercase), no form of another gazetteer file and no club's city in the
  source, and then counts only in a document that names the club in full (a town is left out:
  in a sports story a city that is the short form of exactly one club is that club, see
  DESIGN.md, and "Chicago" is more often the city or another sport's team). A one-word Arabic form is a full form when it has 4 letters or more and is no
  stem of Debian's hunspell-ar;
* a university name needs two words or more and one word that is no common English word
  (wamerican lowercase) and no head word (University, College, Institute, of, the...): "State
  University" is no name, "University of Jordan" is;
* a form that two entities of this file share (namesakes: "Union College" in two countries) is
  dropped from both, and a form whose normalized text belongs to an entity of another
  gazetteer file is dropped (the hand-made lists and people_wikidata.tsv, generated first by
  gen_people.py, win); an entity left with no form is
  skipped. Entities have priority -2, below every other list (see PRIORITY).

Output is sorted by id and byte-identical on every run; check_tsv.py then checks it with the
other gazetteer files.

Usage: python3 scripts/gazetteer/gen_organizations_world.py [--mirrors /work/.mirror]
(needs `apt-get install wamerican hunspell-ar`)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_tsv import (  # noqa: E402
    arabic_stems, form_key, gazetteer_rows, git, letters, normalize, slug,
)

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "rules/gazetteer/organizations_world.tsv"
OF_REPO, OF_COMMIT = "openfootball/clubs", "ae3800227c449447b3a337fc0aac79a8f02f4c8b"
UNI_REPO, UNI_COMMIT = "Hipo/university-domains-list", "bb07faf064e1c68be9b26fb71de31f01e361f974"
SCOWL = "/usr/share/dict/american-english"  # Debian wamerican
# Below the other generated lists (-1: people_wikidata.tsv, and organizations_wikidata.tsv of
# gen_organizations.py), so a form this file shares with one of them can never tie with it,
# whichever generator ran last.
PRIORITY = "-2"
HEADER = ["id", "type", "name_en", "name_ar", "variants", "short", "priority", "link", "note",
          "source", "wikidata"]
GB_PARTS = {"eng", "sco", "wal", "nir"}
UNI_HEADS = {"university", "universidad", "universidade", "universite", "universita",
             "universitat", "universiteit", "college", "institute", "institut", "instituto",
             "school", "academy", "of", "the", "and", "for", "de", "del", "la", "le", "di",
             "da", "do", "des", "du", "y", "e", "et", "technology", "science", "sciences",
             "state", "national", "community", "technical", "medical", "polytechnic",
             "center", "centre", "studies", "arts", "faculty", "higher", "education"}

_LATIN = re.compile(r"[A-Za-z]")
_ARABIC = re.compile(r"[\u0621-\u064A]")
_ABBREV = re.compile(r"(?:^|\s)(?![A-Z]\.(?:[A-Z]\.)+)\S*[A-Za-z]\.(?=\s|$)")
_TAG = re.compile(r"\s*\[[a-z]{2}\]")


def dictionary() -> tuple[set[str], set[str]]:
    """wamerican: (every word, lowercase common words), normalized."""
    every, common = set(), set()
    for w in Path(SCOWL).read_text(encoding="utf-8").splitlines():
        w = w.split("'")[0]
        if w:
            every.add(normalize(w))
            if w[0].islower():
                common.add(normalize(w))
    return every, common


def existing() -> tuple[set[str], set[str]]:
    """Normalized full forms and ids of the other gazetteer files."""
    forms, ids = set(), set()
    for row in gazetteer_rows(skip=(OUT,)):
        ids.add(row["id"])
        for f in [row["name_en"], row["name_ar"]] + row["variants"].split("|"):
            if f:
                forms.add(form_key(f))
    return forms, ids


def nwords(s: str) -> int:
    """Words with a letter: "Al-Ahli" is one word, "Al Ahli" two."""
    return len(re.findall(r"[^\W\d_]+(?:['-][^\W\d_]+)*", s))


def clean(s: str) -> str:
    s = _TAG.sub("", s.split("##")[0].split(" # ")[0])
    s = re.sub(r"\s*\([^)]*\)", "", s)
    s = s.replace("_", " ").replace("\u200f", "").replace("\u200e", "")
    return re.sub(r"\s+", " ", s).strip(" ,")


def clubs(repo: Path) -> tuple[list[dict], set[str]]:
    files = sorted(f for f in git(repo, "ls-tree", "-r", "--name-only", OF_COMMIT).decode().split()
                   if re.search(r"/[a-z]{2,3}\.clubs\.txt$", f))
    out, cities = [], set()
    for f in files:
        prefix = f.rsplit("/", 1)[1].split(".")[0]
        code = "GB" if prefix in GB_PARTS else prefix.upper() if len(prefix) == 2 else ""
        club = None
        for line in git(repo, "show", f"{OF_COMMIT}:{f}").decode("utf-8").splitlines():
            s = line.strip()
            if not s or s.startswith("#") or s.startswith("="):
                continue
            if s.startswith("|"):
                if club is not None:
                    club["aliases"] += [clean(a) for a in s.split("|") if clean(a)]
                continue
            if re.match(r"^[ivx]+\)", s):  # a reserve team: its aliases are skipped too
                club = None
                continue
            fields = [clean(x) for x in clean(s).split(",")]
            name = re.sub(r"\s*\(\d{4}-\d{4}\)$", "", fields[0])  # a dissolved club's years
            rest = [x for x in fields[1:] if x and not x.isdigit() and not x.startswith("@")]
            city = rest[0].split("›")[0].split("(")[0].strip() if rest else ""
            if city:
                cities.add(form_key(city))
            club = {"name": name, "aliases": [], "ar": [], "code": code, "file": f}
            out.append(club)
    by_name = {form_key(c["name"]): c for c in out}
    ar_file = "africa/egypt/eg.clubs.lang.ar.txt"
    for line in git(repo, "show", f"{OF_COMMIT}:{ar_file}").decode("utf-8").splitlines():
        if line.startswith("#") or "," not in line:
            continue
        en, ar = (clean(x) for x in line.split(",", 1))
        c = by_name.get(form_key(en))
        if c is None:
            c = next((c for c in out if form_key(en) in {form_key(a) for a in c["aliases"]}),
                     None)
        if c is not None and _ARABIC.search(ar) and not _LATIN.search(ar):
            c["ar"].append(ar)
            c["ar_file"] = ar_file
    return out, cities


def universities(repo: Path) -> list[dict]:
    data = json.loads(git(repo, "show", f"{UNI_COMMIT}:world_universities_and_domains.json"))
    return [{"name": clean(u["name"]), "code": (u.get("alpha_two_code") or "").upper()}
            for u in data if u.get("name")]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mirrors", default="/work/.mirror")
    args = ap.parse_args()
    mirrors = Path(args.mirrors)
    every, common = dictionary()
    stems_ar = arabic_stems()
    other_forms, known_ids = existing()

    def form_ok(f: str) -> bool:
        return letters(f) >= 3 and not _ABBREV.search(f)

    def one_word_full(f: str) -> bool:
        k = normalize(f)
        if _LATIN.search(f):
            return k not in every and letters(f) >= 5
        return k not in stems_ar and letters(f) >= 4

    entities = []  # (id base, kind, name, forms, arabic forms, shorts, code, source, note)
    club_list, cities = clubs(mirrors / "openfootball+clubs/repo")
    for c in club_list:
        full, short = [], []
        for i, f in enumerate([c["name"]] + c["aliases"] + c["ar"]):
            if not form_ok(f) or (i > 0 and form_key(f) in cities):
                continue
            if nwords(f) >= 2 or (not _LATIN.search(f) and one_word_full(f)):
                full.append(f)
            elif (letters(f) >= 4 and normalize(f) not in common
                  and form_key(f) not in other_forms and form_key(f) not in cities):
                short.append(f)  # not a town: in a sports story a town's name would be the club
        src = f"{OF_REPO}@{OF_COMMIT[:12]} {c['file']}"
        if c["ar"]:
            src += f", Arabic {c['ar_file']}"
        entities.append({"base": slug(c["name"]), "name": c["name"], "full": full,
                         "short": short, "code": c["code"], "note": "football club",
                         "source": src + " (CC0)"})
    for u in universities(mirrors / "Hipo+university-domains-list/repo"):
        words = normalize(u["name"]).split()
        if nwords(u["name"]) < 2 or not form_ok(u["name"]):
            continue
        if all(w in common or w in UNI_HEADS or not w.isalpha() for w in words):
            continue
        entities.append({"base": slug(u["name"]), "name": u["name"], "full": [u["name"]],
                         "short": [], "code": u["code"], "note": "university",
                         "source": f"{UNI_REPO}@{UNI_COMMIT[:12]} "
                                   "world_universities_and_domains.json (MIT)"})

    owners: dict[str, set[int]] = defaultdict(set)
    for i, e in enumerate(entities):
        for f in e["full"]:
            owners[form_key(f)].add(i)

    rows, used = [], set(known_ids)
    for i, e in enumerate(entities):
        if form_key(e["name"]) in other_forms:
            continue  # already listed by another gazetteer file: the same organization
        forms, seen = [], set()
        for f in e["full"]:
            k = form_key(f)
            if k in seen or len(owners[k]) > 1 or k in other_forms:
                continue
            seen.add(k)
            if _LATIN.search(f) and all(w in common or not w.isalpha()
                                        for w in normalize(f).split()):
                f = "=" + f  # "Military Production": a phrase of common words, as written
            forms.append(f)
        en = [f for f in forms if _LATIN.search(f)]
        ar = [f for f in forms if not _LATIN.search(f)]
        en.sort(key=lambda f: f.startswith("="))  # a case-insensitive name is the canonical one
        if not en or en[0].startswith("="):
            continue
        shorts = []
        for s in e["short"]:
            if form_key(s) not in {form_key(x) for x in shorts} and form_key(s) not in seen:
                shorts.append(s)
        ident = f"org/{e['base']}"
        n = 2
        while ident in used:
            ident = f"org/{e['base']}-{e['code'].lower() or n}"
            if ident in used:
                ident = f"org/{e['base']}-{n}"
                n += 1
        used.add(ident)
        code = e["code"] if f"country/{e['code']}" in known_ids else ""
        rows.append([ident, "ORGANIZATION", en[0], ar[0] if ar else "",
                     "|".join(en[1:] + ar[1:]), "|".join(shorts), PRIORITY,
                     f"country/{code}" if code else "", e["note"], e["source"], ""])

    with OUT.open("w", encoding="utf-8", newline="\n") as out:
        out.write("# Generated by scripts/gazetteer/gen_organizations_world.py; do not edit by hand.\n")
        out.write(f"# Football clubs: {OF_REPO}@{OF_COMMIT} (CC0 1.0).\n")
        out.write(f"# Universities: {UNI_REPO}@{UNI_COMMIT} (MIT, Copyright (c) 2014-2025 Hipo).\n")
        out.write("# Priority -2: every other list wins a shared form.\n")
        out.write("\t".join(HEADER) + "\n")
        for r in sorted(rows):
            out.write("\t".join(r) + "\n")
    nclub = sum(1 for r in rows if r[8] == "football club")
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} organizations ({nclub} football clubs, "
          f"{len(rows) - nclub} universities, {sum(1 for r in rows if r[3])} with an Arabic name)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
