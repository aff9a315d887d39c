#!/usr/bin/env python3
"""Generate rules/gazetteer/organizations_companies.tsv: the companies of the S&P 500 index
(ORGANIZATION), from github:datasets/s-and-p-500-companies.

Source and licence: `data/constituents.csv` of github:datasets/s-and-p-500-companies (columns
Symbol, Security, GICS Sector, GICS Sub-Industry, Headquarters Location, Date added, CIK,
Founded). Its datapackage.json and README license all data under the Open Data Commons Public
Domain Dedication and License 1.0 (ODC-PDDL-1.0); the script reads datapackage.json and stops
unless it still says so. The list itself is compiled by that repository from Wikipedia's "List of
S&P 500 companies". Every row's `source` column names the repository and commit (12 hex digits).

What is written (mechanical; no name is added or removed by hand):

* one entity per company: share classes ("Alphabet Inc. (Class A)", "(Class C)") are dropped
  from the name and merged (same CIK); a trailing parenthesized word is moved to the front
  ("Hershey Company (The)" -> "The Hershey Company", "Lilly (Eli)" -> "Eli Lilly"). That is
  name_en; name_ar stays empty (no Arabic in the source);
* variants: the name without a leading "The" and without trailing legal suffixes (LEGAL: Inc.,
  Incorporated, Corporation, Corp., Company, Companies, Co., & Co., Limited, Ltd., plc,
  Holdings; "Group" is kept): "Ford Motor Company" -> "Ford Motor"; and the first word of a
  multi-word name ("Lockheed Martin" -> "Lockheed") only when it is distinctive: 4 letters or
  more, not followed by "&" ("Johnson & Johnson"), in no word list of rules/words/ (common,
  function, given names, surnames; English, case-insensitive) and no word of SCOWL (Debian
  wamerican: lower-case words and capitalized place and person names: "Everest", "Essex",
  "Apollo", "Micron"), not a GENERIC word of company
  names ("American", "General", "First", "Energy"...), not all capitals (a ticker-like acronym:
  "CVS Health" gives no "CVS") and the first word of no other company of the list;
* a one-word variant that is a GENERIC word is dropped ("News" of "News Corp", "Southern");
  "common word" below includes SCOWL's lower-case words ("=Mosaic", "=Coherent");
  a one-word variant that is a common word, a SCOWL place or person name or an acronym of
  fewer than 4 letters ("Target", "Dover", "Hartford", "HP") becomes a short form (`short`: it
  names the company only next to its full name, as in the other generated lists); one that is a
  function word, a given name or a surname is dropped ("Williams", "Cooper"; `--name-words`
  keeps them as short forms); one of fewer than 4 letters that is not all capitals or digits
  is dropped ("Dow"); a
  multi-word variant made only of common and function words is case-sensitive ("=Best Buy");
* a company whose name_en is made only of common and function words (rules/words only) and has no legal suffix
  and no "&" or "!" ("Best Buy", "Waste Management", "The Home Depot") is left out: name_en is
  always matched case-insensitively, so it would fire on "waste management" in prose
  ("Target Corporation" is kept: the suffix makes it a name). The script prints them;
  `--keep-prose-names` keeps them;
* a company is left out when its name_en is already a form (name or variant, compared after
  normalization, case-insensitively) of an entity of any other gazetteer file, or its
  suffix-stripped name or its first word is a form of an ORGANIZATION there: the hand-made
  lists and the other generated lists win ("Apple Inc.", "Goldman Sachs", "Palantir
  Technologies" = org/palantir). A variant that is a form of another (non-organization)
  entity ("Bristol", a city) or that two companies of this list share is dropped, so no form
  is shared and no tie can arise;
* id `org/<slug of name_en without "The">`, made unique across rules/gazetteer/ by adding the
  ticker when needed; type ORGANIZATION; priority -1; link: the country of the headquarters
  (the last part of "Headquarters Location": a US state of us_states_ap.tsv or D.C. ->
  country/US, "Atlanta, Georgia" included; else a country of countries.tsv, e.g. Dublin,
  Ireland -> country/IE; "none" -> no link); note
  "company (S&P 500, <GICS sector>)"; wikidata empty (the source has no Wikidata ids).

Output is sorted by id and byte-identical on every run from the same commit.

Usage:
    # 1. fetch the repository (the `fetch` tool, "github:datasets/s-and-p-500-companies");
    #    it leaves a bare git directory, e.g. /work/.mirror/datasets+s-and-p-500-companies/repo
    #    (or: git clone --bare https://github.com/datasets/s-and-p-500-companies DIR);
    #    needs `apt-get install wamerican` (SCOWL word list)
    # 2. generate, from HEAD of that git directory (or --commit SHA):
    python3 scripts/gazetteer/gen_companies.py /work/.mirror/datasets+s-and-p-500-companies/repo
    #    or from a checked-out copy of the CSV (then the commit must be given):
    python3 scripts/gazetteer/gen_companies.py path/to/constituents.csv --commit SHA
    # 3. check: python3 scripts/gazetteer/check_tsv.py rules/gazetteer/*.tsv
    #           target/release/khabar check-rules rules
Options: --out FILE (default rules/gazetteer/organizations_companies.tsv), --name-words,
--keep-prose-names (see above).
Licence of this script: same as the khabar repository.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_tsv import form_key, gazetteer_rows  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
GAZ = ROOT / "rules/gazetteer"
WORDS = ROOT / "rules/words"
OUT = GAZ / "organizations_companies.tsv"
REPO = "datasets/s-and-p-500-companies"
CSV_PATH = "data/constituents.csv"
LICENCE = "ODC-PDDL-1.0"
PRIORITY = "-1"
HEADER = ["id", "type", "name_en", "name_ar", "variants", "short", "priority", "link", "note",
          "source", "wikidata"]
# Trailing legal suffixes, stripped repeatedly (longest first); "Group" is part of the name.
LEGAL = ["& Company", "& Co.", "Incorporated", "Corporation", "Companies", "Company", "Holdings",
         "Limited", "Corp.", "Corp", "Inc.", "Inc", "Ltd.", "Ltd", "plc", "PLC", "Co."]
# Words that begin many company names and name no company alone (first-word variants only).
GENERIC = {"mid-america", "american", "general", "united", "national", "international", "global", "first",
           "southern", "northern", "western", "eastern", "central", "pacific", "atlantic",
           "consolidated", "universal", "public", "republic", "federal", "digital", "applied",
           "analog", "automatic", "advanced", "interactive", "intuitive", "principal",
           "constellation", "dollar", "texas", "illinois", "boston", "cincinnati", "las",
           "santa", "new", "old", "west", "east", "north", "south", "royal", "state", "capital",
           "energy", "health", "bank", "home", "best", "extra", "iron", "steel", "waste",
           "realty", "equity", "host", "live", "monster", "crown", "quest", "regency",
           "huntington", "norwegian", "charles", "expand",
           # alone, in news, mostly not the company: a political label, a kind of people or
           # event, the word "news"
           "progressive", "news", "travelers", "carnival", "intercontinental"}
SCOWL = "/usr/share/dict/american-english"  # Debian wamerican 2020.12.07-2
_CLASS = re.compile(r"\s*\(Class [A-Z]\)$")
_TRAIL = re.compile(r"^(.*\S)\s*\(([^()]+)\)$")
_FOOTNOTE = re.compile(r"\[\d+\]")


def read_source(src: Path, commit: str | None) -> tuple[str, str]:
    """(CSV text, commit) from a bare git directory or a CSV file; checks the licence."""
    if src.is_dir():
        git = ["git", "--git-dir", str(src)]
        commit = commit or subprocess.check_output(git + ["rev-parse", "HEAD"], text=True).strip()
        pkg = json.loads(subprocess.check_output(git + ["show", f"{commit}:datapackage.json"]))
        text = subprocess.check_output(git + ["show", f"{commit}:{CSV_PATH}"]).decode("utf-8")
    else:
        if not commit:
            sys.exit("a CSV file needs --commit (the repository commit it was read from)")
        pkg_path = src.parent.parent / "datapackage.json"
        pkg = json.loads(pkg_path.read_text(encoding="utf-8")) if pkg_path.exists() else None
        text = src.read_text(encoding="utf-8")
    if pkg is not None:
        names = [lic.get("name", "") for lic in pkg.get("licenses", [])]
        if names != [LICENCE]:
            sys.exit(f"datapackage.json licences are {names}, expected [{LICENCE!r}]: re-check")
    if not re.fullmatch(r"[0-9a-f]{40}", commit):
        sys.exit(f"commit {commit!r} is not a 40-digit hex sha")
    return text, commit


def word_lists() -> tuple[set[str], set[str], set[str]]:
    """(common words, function words, given names and surnames), English, lowercased."""
    out = []
    for names in (["common_words"], ["function_words"], ["given_names", "surnames"]):
        s: set[str] = set()
        for name in names:
            for line in (WORDS / f"{name}.tsv").read_text(encoding="utf-8").splitlines():
                if line.startswith("#") or line.startswith("word\t"):
                    continue
                cols = line.split("\t")
                if len(cols) >= 2 and cols[1] == "en":
                    s.add(cols[0].casefold())
        out.append(s)
    return out[0], out[1], out[2]


def other_files() -> tuple[set[str], dict[str, tuple[str, str]]]:
    """(ids, normalized form -> (id, type)) of every other gazetteer file (names and variants)."""
    ids: set[str] = set()
    forms: dict[str, str] = {}
    for row in gazetteer_rows(skip=(OUT,)):
        ids.add(row["id"])
        for f in [row["name_en"], row["name_ar"]] + row["variants"].split("|"):
            if f:
                forms.setdefault(form_key(f), (row["id"], row["type"]))
    return ids, forms


def strip_legal(name: str) -> str:
    s = re.sub(r"^The\s+", "", name)
    changed = True
    while changed:
        changed = False
        for suf in LEGAL:
            if s.endswith(" " + suf) or s.endswith("," + suf):
                s = s[: -len(suf)].rstrip(" ,")
                changed = True
                break
    return s


def slug(text: str) -> str:
    t = unicodedata.normalize("NFKD", text.replace("&", " and "))
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")


def tokens(form: str) -> list[str]:
    return [w for w in form_key(form).split(" ") if any(c.isalnum() for c in w)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", type=Path,
                    help="bare git dir of the fetched repository, or data/constituents.csv")
    ap.add_argument("--commit", help="commit to read (default HEAD of the git dir)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--name-words", action="store_true",
                    help="keep one-word variants that are given names/surnames, as =Word")
    ap.add_argument("--keep-prose-names", action="store_true",
                    help="keep companies whose name is made only of common words")
    args = ap.parse_args()
    text, commit = read_source(args.source, args.commit)
    source = f"{REPO}@{commit[:12]} {CSV_PATH} (ODC-PDDL-1.0)"
    common, function, names = word_lists()
    # SCOWL: lower-case words are common words; capitalized-only words are places and people
    scowl_lower: set[str] = set()
    scowl_proper: set[str] = set()
    for w in Path(SCOWL).read_text(encoding="utf-8").split():
        if w.endswith("'s"):
            continue
        (scowl_lower if w.islower() else scowl_proper).add(w.casefold())
    scowl_proper -= scowl_lower
    blocked_prose = common | function  # prose check: rules/words only
    common = common | scowl_lower
    taken_ids, taken = other_files()
    countries: dict[str, str] = {}
    for line in (GAZ / "countries.tsv").read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if line.startswith("#") or cols[0] == "id":
            continue
        for f in [cols[2]] + cols[4].split("|"):
            if f and not f.startswith("="):
                countries.setdefault(form_key(f), cols[0])

    us_states = {"D.C."}
    for line in (Path(__file__).resolve().parent / "us_states_ap.tsv").read_text(
            encoding="utf-8").splitlines():
        cols = line.split("\t")
        if not line.startswith("#") and cols[0] != "code":
            us_states.add(cols[1])

    # one record per company (share classes share the CIK)
    companies: dict[str, dict] = {}
    for r in csv.DictReader(io.StringIO(text)):
        name = _CLASS.sub("", r["Security"].strip())
        m = _TRAIL.match(name)
        if m:
            name = f"{m.group(2)} {m.group(1)}"
        key = r["CIK"].strip() or name
        c = companies.setdefault(key, {"name": name, "tickers": [], "sector": r["GICS Sector"],
                                       "hq": r["Headquarters Location"]})
        if c["name"] != name:
            sys.exit(f"CIK {key}: two names {c['name']!r} / {name!r}")
        c["tickers"].append(r["Symbol"].strip())

    def is_prose(form: str) -> bool:
        toks = tokens(form)
        return bool(toks) and all(t in blocked_prose for t in toks)

    # first words shared by several companies are nobody's
    first_count: dict[str, int] = {}
    for c in companies.values():
        w = strip_legal(c["name"]).split(" ")[0].casefold()
        first_count[w] = first_count.get(w, 0) + 1

    skipped_present: list[tuple[str, str]] = []
    skipped_prose: list[str] = []
    dropped: list[tuple[str, str]] = []
    entities = []
    for c in sorted(companies.values(), key=lambda c: c["name"]):
        name = c["name"]
        core = strip_legal(name)
        # already listed: the name is a form of another file, or the stripped name or the
        # first word is a form of another file's organization
        hits = [taken[form_key(name)]] if form_key(name) in taken else []
        hits += [taken[k] for k in (form_key(core), form_key(core.split(" ")[0]))
                 if k in taken and taken[k][1] == "ORGANIZATION"]
        if hits:
            skipped_present.append((name, hits[0][0]))
            continue
        if is_prose(name) and core == re.sub(r"^The\s+", "", name) \
                and not re.search(r"[&!]", name) and not args.keep_prose_names:
            skipped_prose.append(name)
            continue
        cands: list[tuple[str, str]] = []  # (form, kind)
        if core != name:
            cands.append((core, "core"))
        words = core.split(" ")
        if len(words) > 1:
            w = words[0]
            # accents off for the word-list lookups ("Estée" is the given name Estee)
            wl = "".join(ch for ch in unicodedata.normalize("NFKD", w.casefold())
                         if not unicodedata.combining(ch))
            if (sum(ch.isalpha() for ch in w) >= 4 and words[1] != "&" and not w.isupper()
                    and wl not in common and wl not in function and wl not in names
                    and wl not in scowl_proper and wl not in GENERIC
                    and first_count.get(wl, 0) == 1):
                cands.append((w, "first"))
        variants: list[str] = []
        shorts: list[str] = []
        seen = {form_key(name)}
        for f, kind in cands:
            toks = tokens(f)
            if not toks:
                continue
            if form_key(f) in taken:
                dropped.append((f, f"form of {taken[form_key(f)][0]}"))
                continue
            if len(toks) == 1:
                t = toks[0]
                letters = sum(ch.isalnum() for ch in f)
                if t in function:
                    dropped.append((f, "function word"))
                    continue
                if t in GENERIC:
                    dropped.append((f, "generic word"))
                    continue
                if t in names and not args.name_words:
                    dropped.append((f, "given name or surname"))
                    continue
                if letters < 4 and not all(ch.isupper() or ch.isdigit()
                                           for ch in f if ch.isalnum()):
                    dropped.append((f, "short, not an acronym"))
                    continue
                # A one-word form that is also a word, a name, a place or an acronym ("Target",
                # "Dover", "Hartford", "HP") names the company only next to its full name: a
                # short form, as in the other generated lists.
                if letters < 4 or t in common or t in names or t in scowl_proper:
                    if form_key(f) not in seen:
                        seen.add(form_key(f))
                        shorts.append(f)
                    continue
            elif is_prose(f):
                f = "=" + f
            if form_key(f) in seen:
                continue
            seen.add(form_key(f))
            variants.append(f)
        hq = _FOOTNOTE.sub("", c["hq"]).strip()
        last = hq.split(",")[-1].strip()
        if hq.casefold() == "none":
            link = ""
        elif last in us_states:
            link = "country/US"
        else:
            link = countries.get(form_key(last), "country/US")
        base = slug(re.sub(r"^The\s+", "", name))
        entities.append({"base": base, "tickers": c["tickers"], "name": name,
                         "variants": variants, "shorts": shorts, "link": link,
                         "note": f"company (S&P 500, {c['sector']})"})

    # forms two companies of this list share are dropped from both
    owners: dict[str, set[int]] = {}
    for i, e in enumerate(entities):
        for f in [e["name"]] + e["variants"] + e["shorts"]:
            owners.setdefault(form_key(f), set()).add(i)
    for i, e in enumerate(entities):
        for col in ("variants", "shorts"):
            keep = []
            for f in e[col]:
                if len(owners[form_key(f)]) > 1:
                    dropped.append((f, "shared by two companies"))
                else:
                    keep.append(f)
            e[col] = keep
    name_keys = [form_key(e["name"]) for e in entities]
    names_shared = sorted({k for k in name_keys if name_keys.count(k) > 1})
    if names_shared:
        sys.exit(f"two companies share a name: {names_shared}")

    rows = []
    used = set(taken_ids)
    for e in sorted(entities, key=lambda e: (e["base"], e["tickers"])):
        eid = f"org/{e['base']}"
        if eid in used:
            eid = f"org/{e['base']}-{slug(e['tickers'][0])}"
        if eid in used:
            sys.exit(f"id {eid} is taken")
        used.add(eid)
        rows.append([eid, "ORGANIZATION", e["name"], "", "|".join(e["variants"]), "|".join(e["shorts"]), PRIORITY,
                     e["link"], e["note"], source, ""])
    rows.sort(key=lambda r: r[0])

    lines = [
        "# Companies of the S&P 500 index (well-known US-listed companies), one per company"
        " (share classes merged).",
        "# Generated by scripts/gazetteer/gen_companies.py; do not edit by hand.",
        f"# Source: github:{REPO}@{commit} {CSV_PATH} (compiled there from Wikipedia's"
        " \"List of S&P 500 companies\"),",
        "# licensed ODC-PDDL-1.0 (Open Data Commons Public Domain Dedication and License,"
        " datapackage.json and README).",
        "# Variants: the name without legal suffixes and a distinctive first word; a one-word form"
        " that is also a word, a name, a place or an acronym is a short form (it counts next to"
        " the full name); priority -1: companies another gazetteer file already lists are left out.",
        "\t".join(HEADER),
    ]
    lines += ["\t".join(r) for r in rows]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")

    print(f"{args.out}: {len(rows)} companies from {len(companies)} in the source")
    print(f"left out, already in another gazetteer file ({len(skipped_present)}):")
    for n, i in skipped_present:
        print(f"  {n} -> {i}")
    print(f"left out, name made only of common words ({len(skipped_prose)}): "
          + "; ".join(skipped_prose))
    print(f"variants dropped ({len(dropped)}):")
    for f, why in sorted(dropped):
        print(f"  {f}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
