#!/usr/bin/env python3
"""Generate rules/gazetteer/organizations_wikidata.tsv: brands, companies and operators with
their Wikidata ids, from the OpenStreetMap name-suggestion-index (NSI).

Source: github:osmlab/name-suggestion-index, data/brands/**.json and data/operators/**.json,
read at the pinned commit NSI_COMMIT from a git mirror (`--mirrors DIR` holds
`osmlab+name-suggestion-index/repo`, as the `fetch` tool lays it out). Licence: BSD 3-Clause
(LICENSE.md: "Copyright 2026, name-suggestion-index contributors"); the Wikidata ids are CC0.
Every NSI item is a brand or operator with `brand:wikidata` / `operator:wikidata`, its name
and, where its community writes them, names in other languages (`name:ar`, `brand:ar`).

What is kept (general filters; no single name is listed or removed by hand):

* items with a Wikidata id, merged by that id (one entity per Q id, the first item in path
  and id order gives the names, later items add variants);
* notable for news: the brand is present in at least MIN_REGIONS countries or regions
  (`locationSet.include`, "001" = the world), or has an Arabic name;
* names: English = `name:en` / `brand:en` / the Latin-script `brand`; Arabic = `name:ar` /
  `brand:ar` / the Arabic-script `brand`. Forms of fewer than 3 letters are dropped, and so are
  forms with no letter;
* a one-word form (letters of one-letter tokens such as the O of O'Neill not counted) that is
  a common word, a function word, a given name or a surname (rules/words/*.tsv: "Shell",
  "Target", "Ford", "نور"), or any word of the Debian dictionaries wamerican (SCOWL, also its
  capitalized proper nouns: places, people) and hunspell-ar (Ayaspell stems: "نفط") is
  dropped: such a name needs context that a list cannot give (`apt-get install wamerican
  hunspell-ar`); so is every one-word Latin-script form: a one-word brand is also a surname
  or a place somewhere (Fairmont, O'Neill) and fires only through a longer form; a form
  made only of such words is kept case-sensitive ("=Food City"); an all-capitals form (an acronym, "HSBC") is kept
  case-sensitive (`=HSBC`) and only when it has 3 letters or more;
* a form whose normalized text belongs to an entity of another gazetteer file (or of an
  earlier generated entity) is dropped, so the hand-made lists always win and no two entities
  share a form (the loader reports a tie of equal priority as an error); an entity left with
  no form is skipped. Generated entities have priority -1.

Output is sorted by id and byte-identical on every run; check_tsv.py then checks it with the
other gazetteer files.

Usage: python3 scripts/gazetteer/gen_organizations.py [--mirrors /work/.mirror]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_tsv import form_key, gazetteer_rows, normalize  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "rules/gazetteer/organizations_wikidata.tsv"
NSI_REPO = "osmlab/name-suggestion-index"
NSI_COMMIT = "c8b272ef0f882ee76c5ac8bd2912d5db4d63cf30"
MIN_REGIONS = 5
SCOWL = "/usr/share/dict/american-english"  # Debian wamerican 2020.12.07-2
AYASPELL = "/usr/share/hunspell/ar.dic"  # Debian hunspell-ar 3.2-1.2
PRIORITY = "-1"
HEADER = ["id", "type", "name_en", "name_ar", "variants", "short", "priority", "link", "note",
          "source", "wikidata"]
SOURCE = f"Wikidata {{qid}} names via osmlab/name-suggestion-index@{NSI_COMMIT[:12]} (BSD-3-Clause; Wikidata CC0)"

_LATIN = re.compile(r"[A-Za-z]")
_ARABIC = re.compile(r"[\u0621-\u064A]")
# Letters of Persian, Urdu and other languages written in Arabic script: a name with one of
# them is not an Arabic name.
_NOT_ARABIC = re.compile("[\u0679-\u06D5\u067E\u0686\u0698\u06AF\u06A9\u06CC\u06D2]")


def git(gitdir: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(gitdir), *args], check=True,
                          capture_output=True).stdout.decode("utf-8")


def words_of(path: Path) -> set[str]:
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("word\t"):
            continue
        out.add(normalize(line.split("\t")[0]))
    return out


def letters(s: str) -> int:
    return sum(1 for c in s if c.isalpha())


def slug(text: str) -> str:
    d = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in d if c.isascii() and (c.isalnum() or c in " -")).lower()
    return re.sub(r"[\s-]+", "-", s).strip("-")


def existing_forms() -> tuple[set[str], set[str]]:
    """Normalized forms (names, variants, short forms) and ids of the other gazetteer files."""
    forms, ids = set(), set()
    for row in gazetteer_rows(skip=(OUT,)):
        ids.add(row["id"])
        for f in [row["name_en"], row["name_ar"]] + row["variants"].split("|") \
                + row["short"].split("|"):
            if f:
                forms.add(form_key(f))
    return forms, ids


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    args = ap.parse_args()
    gitdir = args.mirrors / NSI_REPO.replace("/", "+") / "repo"
    files = sorted(f for f in git(gitdir, "ls-tree", "-r", "--name-only", NSI_COMMIT).split()
                   if re.match(r"data/(brands|operators)/.+\.json$", f))
    blocked = set()
    for name in ("common_words", "function_words", "given_names", "surnames"):
        blocked |= words_of(ROOT / f"rules/words/{name}.tsv")
    # Dictionaries: a one-word name that is any dictionary word (also a capitalized proper
    # noun of SCOWL: places, people) needs context: Debian wamerican (SCOWL) and hunspell-ar
    # (Ayaspell) word stems, consulted only.
    for w in Path(SCOWL).read_text(encoding="utf-8").split():
        blocked.add(normalize(w))
    for line in Path(AYASPELL).read_text(encoding="utf-8").splitlines()[1:]:
        blocked.add(normalize(line.split("/")[0].split("\t")[0]))
    taken, ids = existing_forms()

    # Q id -> {"en": [...], "ar": [...], "regions": set, "kind": str}
    ents: dict[str, dict] = {}
    for f in files:
        data = json.loads(git(gitdir, "show", f"{NSI_COMMIT}:{f}"))
        kind = f.split("/")[2] + "/" + f.split("/")[3][:-5]
        for item in sorted(data.get("items", []), key=lambda x: x.get("id", "")):
            tags = item.get("tags", {})
            prefix = "brand" if "brand:wikidata" in tags else "operator"
            qid = tags.get(f"{prefix}:wikidata", "")
            if not re.fullmatch(r"Q[1-9][0-9]*", qid):
                continue
            e = ents.setdefault(qid, {"en": [], "ar": [], "regions": set(), "kind": kind})
            main = tags.get(prefix, tags.get("name", ""))
            for v in (tags.get("name:en", ""), tags.get(f"{prefix}:en", ""), main,
                      tags.get("name", "")):
                v = v.strip()
                if v and _LATIN.search(v) and not _ARABIC.search(v) and v not in e["en"]:
                    e["en"].append(v)
            for v in (tags.get("name:ar", ""), tags.get(f"{prefix}:ar", ""), main):
                v = v.strip()
                if (v and _ARABIC.search(v) and not _LATIN.search(v)
                        and not _NOT_ARABIC.search(v) and v not in e["ar"]):
                    e["ar"].append(v)
            e["regions"] |= {r for r in item.get("locationSet", {}).get("include", [])
                             if isinstance(r, str)}

    rows = []
    used_ids = set(ids)
    for qid in sorted(ents, key=lambda q: int(q[1:])):
        e = ents[qid]
        if not (e["ar"] or "001" in e["regions"] or len(e["regions"]) >= MIN_REGIONS):
            continue
        forms = []
        for f in e["en"] + e["ar"]:
            if letters(f) < 3 or "\t" in f or "|" in f:
                continue
            key = form_key(f)
            if not key or key in taken:
                continue
            words = [w for w in key.split(" ") if sum(c.isalnum() for c in w) >= 2]
            if len(words) == 1 and (words[0] in blocked or _LATIN.search(f)):
                continue  # one Latin word: also a surname or a place somewhere (Fairmont)
            if f.isupper() and _LATIN.search(f):
                f = "=" + f
            elif all(w in blocked for w in words) and _LATIN.search(f):
                f = "=" + f  # "Food City": only as written, never "food city" in prose
            if key in {form_key(g) for g in forms}:
                continue
            forms.append(f)
        if not forms:
            continue
        for f in forms:
            taken.add(form_key(f))
        en = next((f for f in forms if not f.startswith("=") and _LATIN.search(f)), "")
        ar = next((f for f in forms if _ARABIC.search(f)), "")
        if not en and not ar:
            continue  # only case-sensitive forms: no canonical name to give
        variants = [f for f in forms if f not in (en, ar)]
        base = slug(en or (e["en"][0] if e["en"] else "")) or qid.lower()
        eid = f"org/{base}"
        if eid in used_ids:
            eid = f"org/{base}-{qid.lower()}"
        used_ids.add(eid)
        note = "brand or operator (" + e["kind"].replace("/", ": ").replace("_", " ") + ")"
        rows.append([eid, "ORGANIZATION", en, ar, "|".join(variants), "", PRIORITY, "", note,
                     SOURCE.format(qid=qid), qid])

    rows.sort(key=lambda r: r[0])
    lines = [
        "# Brands, companies and operators with their Wikidata ids, generated by",
        "# scripts/gazetteer/gen_organizations.py from the OpenStreetMap name-suggestion-index",
        f"# (github:{NSI_REPO}@{NSI_COMMIT}, BSD 3-Clause; Wikidata ids CC0).",
        "# Do not edit by hand: the hand-made gazetteers win every shared form (priority -1 here).",
        "\t".join(HEADER),
    ]
    lines += ["\t".join(r) for r in rows]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} organizations "
          f"({sum(1 for r in rows if r[3])} with an Arabic name)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
