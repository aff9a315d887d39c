#!/usr/bin/env python3
"""Generate rules/gazetteer/organizations_parties.tsv: political parties of the world
(ORGANIZATION) with their Wikidata ids, English names and, where a source gives one, the Arabic
name, from two public sources read at pinned commits from git mirrors (`--mirrors DIR` holds
`owner+name/repo`, as the `fetch` tool lays it out).

Sources:

* github:hdigital/partyfactsdata (Party Facts; MIT licence, LICENSE.md) at PF_COMMIT:
  `import/wikipedia/wikidata.csv` (country ISO 3166-1 alpha-3, partyfacts_id, wikidata_id,
  name = the English Wikipedia title, name_short, name_native) of about 4,100 parties, the
  "core parties" Party Facts links to Wikipedia, and
  `import/essprtv/archive/import-2015/country.csv` for the alpha-3 -> alpha-2 country codes;
* github:tijmenb/everypolitician-data at EP_COMMIT (the commit gen_people.py reads):
  `data/*/*/sources/wikidata/{groups,parties}.json`, the Wikidata labels (CC0 1.0) of the party
  groups of 36 legislatures: their English label (`lang` en) and Arabic label (`lang` ar). Only
  these Wikidata files are read, not the parliament-scraped files beside them.

What is kept (general filters; no party is listed or removed by hand):

* one entity per Wikidata id (Party Facts rows without one are skipped); the English name is
  Party Facts' name, else the EveryPolitician English label; a trailing parenthesized
  qualifier is removed ("Federal Party (1973)", "Justice Party (South Korea)"), typographic
  apostrophes become ASCII; a name must start with an upper-case letter ("independent
  politician" is no party);
* an English form is a full form when it has two words or more and at least one word that is
  no common word: not a lower-case SCOWL word (Debian wamerican), not in
  rules/words/common_words.tsv or function_words.tsv (English), case-insensitively, or that is
  a one-word name of a country or a nationality (countries.tsv, nationalities.tsv: "Afghan
  Social Democratic Party", though "afghan" is also a word), and that has a capital in every word
  of 4 letters or more that is no function word (a title in sentence case is a description:
  "Centre-left coalition"). A name made
  only of common words ("Labour Party", "People's Party", "Green Party", "The Independents",
  "National Front") is a kind of party in many countries, not a name: it is left out (the
  hand-made organizations.tsv lists the ones news means: "Labour Party" = the British one);
* a one-word English name is a full form only when it is distinctive: 5 letters or more, not
  all capitals, and in no word list (SCOWL words and capitalized names, rules/words/*.tsv
  English common, function, given and family names) and no form of another gazetteer file
  ("Kuomintang", "Fidesz" are names; "Heritage", "Justice", "Republic", "Unity" are not), and
  does not end in -ism, -ist(s), -ite(s) (a doctrine or its adherents: "Carlism");
* a two-word English form of a given name (rules/words/given_names.tsv) and a word, neither of
  them a common word or a nationality, is a person's name, not a party's (a party named after
  its leader);
* Party Facts' name_short: each `/`-separated acronym of 3 characters or more, with 2
  capitals or more and no lower-case SCOWL word, common word or name ("FLN", "MPLA"; not
  "Liberals", "LIBRA") is a `short` form: it names the party only in a document that names it
  in full, since one acronym names many things;
* Arabic forms: the EveryPolitician Arabic label of the same Wikidata id, and Party Facts'
  name_native when the party's country is an Arab League state (ARAB; also the former North
  and South Yemen) and the name is written in Arabic letters only (no Persian or Urdu letter:
  پ چ ژ گ ک ی ۀ; "حرکت اسلامی افغانستان" is Persian); what follows a spaced dash (" - ", " – ")
  is an alias and is cut off; a form needs two words or more, and a word that is no Arabic
  common or function word (rules/words) and no stem of Debian hunspell-ar, with or without
  the article, or is a one-word Arabic form of countries.tsv or nationalities.tsv ("الحزب الشيوعي
  العراقي") -- unless it has three words or more and the party has an English full form
  (a form made only of common words is a kind of party, "حزب ديمقراطي", "الحزب الوطني
  الديمقراطي", when its English name is one too); it may not start or end with a function
  word (a Wikidata label "روسيا فقط" is a phrase too); "و" is joined
  to the next word as Arabic writes it ("حزب الحرية و العدالة" -> "حزب الحرية والعدالة");
* a party already in another gazetteer file is left out: its Wikidata id is in another file's
  wikidata column, or its English name or its first Arabic form is a name, variant or short
  form of another file's entity. A form that is a name, variant or short form of another file,
  or that two parties of this file share (namesakes: "Democratic Party" of several
  countries), is dropped; a short form shared with another file's full form is dropped, one
  two parties share is kept on both (it counts only next to a full name); a party left with no
  full form is skipped;
* id `org/<slug of the English name>` (with the country code, then the Wikidata id, when taken);
  type ORGANIZATION; priority -1 (the hand-made lists win); link `country/<ISO alpha-2>` when
  countries.tsv has it; note "political party, <country code>"; every row's `source` names the
  repositories and commits it comes from; `wikidata` the item id.

Output is sorted by id and byte-identical on every run; check_tsv.py then checks it with the
other gazetteer files. This file drops every form another file has, so the other generators,
which drop forms this file has, give the same output whichever runs first.

Usage: python3 scripts/gazetteer/gen_organizations_parties.py [--mirrors /work/.mirror]
(needs `apt-get install wamerican hunspell-ar`)
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_tsv import (  # noqa: E402
    arabic_stems, form_key, gazetteer_rows, git, letters, normalize, slug, tsv_rows,
)

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "rules/gazetteer/organizations_parties.tsv"
WORDS = ROOT / "rules/words"
PF_REPO, PF_COMMIT = "hdigital/partyfactsdata", "764de8978f84ba41a1c88752d6a00b9a4d05f599"
PF_CSV = "import/wikipedia/wikidata.csv"
PF_COUNTRIES = "import/essprtv/archive/import-2015/country.csv"
EP_REPO, EP_COMMIT = "tijmenb/everypolitician-data", "0642e77ac8a13bcd8017b245825c3aba349d3e6a"
SCOWL = "/usr/share/dict/american-english"  # Debian wamerican
PRIORITY = "-1"
HEADER = ["id", "type", "name_en", "name_ar", "variants", "short", "priority", "link", "note",
          "source", "wikidata"]
# Member states of the Arab League (ISO 3166-1 alpha-3; Palestine PSE), and the two Yemens of
# before 1990 (YAR, YMD), whose parties' native names are Arabic.
ARAB = {"DZA", "BHR", "COM", "DJI", "EGY", "IRQ", "JOR", "KWT", "LBN", "LBY", "MRT", "MAR",
        "OMN", "PSE", "QAT", "SAU", "SOM", "SDN", "SYR", "TUN", "ARE", "YEM", "YAR", "YMD"}

_QID = re.compile(r"^Q[1-9][0-9]{0,11}$")
_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")
_ARABIC_ONLY = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u064B-\u0652\u0670 ]+$")
_ALIAS_DASH = re.compile(r"\s+[-–—]\s+")
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


def words_of(form: str) -> list[str]:
    """Normalized words (tokens with a letter) of a form."""
    return [w for w in normalize(form).split(" ") if any(c.isalpha() for c in w)]


def word_list(name: str, lang: str) -> set[str]:
    out = set()
    for row in tsv_rows(WORDS / f"{name}.tsv"):
        if row.get("lang") == lang:
            out.add(normalize(row["word"]))
    return out


def scowl() -> tuple[set[str], set[str]]:
    """(lower-case words, capitalized words) of wamerican, normalized; possessives skipped."""
    lower, proper = set(), set()
    for w in Path(SCOWL).read_text(encoding="utf-8").split():
        if w.endswith("'s"):
            continue
        (lower if w.islower() else proper).add(normalize(w))
    return lower, proper


def clean_en(name: str) -> str:
    name = name.replace("’", "'").replace("&nbsp;", " ").strip()
    name = _QUALIFIER.sub("", name).strip()
    return re.sub(r"\s+", " ", name)


def clean_ar(name: str) -> str:
    name = _ALIAS_DASH.split(name.strip())[0].strip()
    name = re.sub(r"\s+", " ", name)
    # "و العدالة": Arabic writes the conjunction joined to the next word
    name = re.sub(r"(^| )و (?=\S)", r"\1و", name)
    return name if _ARABIC_ONLY.match(name) else ""


def other_files() -> tuple[set[str], dict[str, str], set[str], set[str]]:
    """(ids, normalized full form -> id, normalized short forms, Wikidata ids) of every other
    gazetteer file."""
    ids, qids, shorts = set(), set(), set()
    forms: dict[str, str] = {}
    for row in gazetteer_rows(skip=(OUT,)):
        ids.add(row["id"])
        if row.get("wikidata"):
            qids.add(row["wikidata"])
        for f in [row["name_en"], row["name_ar"]] + row["variants"].split("|"):
            if f:
                forms.setdefault(form_key(f), row["id"])
        for f in row["short"].split("|"):
            if f:
                shorts.add(form_key(f))
    return ids, forms, shorts, qids


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mirrors", default="/work/.mirror")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    pf = Path(args.mirrors) / PF_REPO.replace("/", "+") / "repo"
    ep = Path(args.mirrors) / EP_REPO.replace("/", "+") / "repo"
    for repo, commit in ((pf, PF_COMMIT), (ep, EP_COMMIT)):
        git(repo, "cat-file", "-e", f"{commit}^{{commit}}")  # fails if the mirror lacks it
    licence = git(pf, "show", f"{PF_COMMIT}:LICENSE.md").decode("utf-8")
    if not licence.startswith("MIT License"):
        sys.exit(f"{PF_REPO} LICENSE.md is no longer the MIT licence: re-check")

    iso2: dict[str, str] = {}
    for r in csv.DictReader(io.StringIO(git(pf, "show", f"{PF_COMMIT}:{PF_COUNTRIES}").decode())):
        if r["iso3"] and r["iso2"]:
            iso2[r["iso3"]] = r["iso2"]

    # parties by Wikidata id: Party Facts first (rows in file order), EveryPolitician labels
    parties: dict[str, dict] = {}
    pf_src = f"{PF_REPO}@{PF_COMMIT[:12]} {PF_CSV} (MIT)"
    text = git(pf, "show", f"{PF_COMMIT}:{PF_CSV}").decode("utf-8")
    for r in csv.DictReader(io.StringIO(text)):
        qid = r["wikidata_id"].strip()
        if not _QID.match(qid):
            continue
        p = parties.setdefault(qid, {"en": [], "ar": [], "short": [], "country": r["country"],
                                     "src": [pf_src]})
        en = clean_en(r["name"])
        if en and en not in p["en"]:
            p["en"].append(en)
        for s in r["name_short"].split("/"):
            s = s.strip()
            if s and s not in p["short"]:
                p["short"].append(s)
        if r["country"] in ARAB:
            ar = clean_ar(r["name_native"])
            if ar and ar not in p["ar"]:
                p["ar"].append(ar)
    files = sorted(f for f in git(ep, "ls-tree", "-r", "--name-only", EP_COMMIT).decode().split()
                   if re.search(r"/sources/wikidata/(groups|parties)\.json$", f))
    for f in files:
        data = json.loads(git(ep, "show", f"{EP_COMMIT}:{f}"))
        for group in data.values():
            qids = [i["identifier"] for i in group.get("identifiers", [])
                    if i.get("scheme") == "wikidata"]
            if not qids or not _QID.match(qids[0]):
                continue
            qid = qids[0]
            labels: dict[str, str] = {}
            for n in group.get("other_names", []):
                labels.setdefault(n.get("lang", ""), n.get("name", ""))
            en = clean_en(labels.get("en", ""))
            ar = clean_ar(labels.get("ar", ""))
            if qid not in parties:
                if not en:
                    continue
                parties[qid] = {"en": [], "ar": [], "short": [], "country": "", "src": []}
            p = parties[qid]
            src = f"Wikidata {qid} labels (CC0) via {EP_REPO}@{EP_COMMIT[:12]} {f}"
            used = False
            if en and en not in p["en"]:
                p["en"].append(en)
                used = True
            if ar and ar not in p["ar"]:
                p["ar"].insert(0, ar)  # the Wikidata label first: the name Arabic media use
                used = True
            if used and not any(s.startswith(f"Wikidata {qid}") for s in p["src"]):
                p["src"].append(src)
            if not p["country"]:
                p["country"] = f.split("/")[1]

    scowl_lower, scowl_proper = scowl()
    common_function = word_list("function_words", "en")
    common_en = word_list("common_words", "en") | common_function
    given_en = word_list("given_names", "en")
    names_en = given_en | word_list("surnames", "en")
    function_ar = word_list("function_words", "ar")
    common_ar = word_list("common_words", "ar") | function_ar | arabic_stems()
    taken_ids, taken, taken_short, taken_qids = other_files()
    countries = {row["id"] for row in tsv_rows(ROOT / "rules/gazetteer/countries.tsv")}
    # one-word names of countries and nationalities ("Afghan", "Kurdish") mark a name even
    # when they are also lower-case words
    places = set()
    for name in ("countries.tsv", "nationalities.tsv"):
        for row in tsv_rows(ROOT / "rules/gazetteer" / name):
            for f in [row["name_en"], row["name_ar"]] + row["variants"].split("|"):
                if f and not f.startswith("=") and len(words_of(f)) == 1:
                    places.add(words_of(f)[0])

    def is_common_en(w: str) -> bool:
        return w in scowl_lower or w in common_en

    def en_full_ok(f: str) -> str:
        """'' if the English form may be a full form, else why not."""
        if not f[:1].isupper():
            return "not a name"
        ws = words_of(f)
        if not ws:
            return "no word"
        if len(ws) == 1:
            w = ws[0]
            if letters(f) < 5 or f.isupper():
                return "one short or all-capital word"
            if is_common_en(w) or w in scowl_proper or w in names_en:
                return "one word that is a word or a name"
            if re.search(r"(ism|ists?|ites?)$", w):
                return "one word naming a doctrine or its adherents"
            if form_key(f) in taken:
                return "one word of another list"
            return ""
        # a Wikipedia title in sentence case describes ("Centre-left coalition"): a name
        # capitalizes every word of 4 letters or more that is no function word
        for w in f.split(" "):
            w = w.strip("\"'()[],.:;")
            if (letters(w) >= 4 and not any(c.isupper() for c in w)
                    and normalize(w) not in common_function):
                return "a lower-case word: a description"
        if all(is_common_en(w) and w not in places for w in ws):
            return "only common words"
        if (len(ws) == 2 and ws[0] in given_en and not is_common_en(ws[0])
                and not is_common_en(ws[1]) and ws[1] not in places):
            return "a given name and one word: a person's name"
        return ""

    def ar_common(w: str) -> bool:
        bare = w[2:] if w.startswith("ال") and len(w) > 4 else w
        if w in places or bare in places:
            return False
        return w in common_ar or bare in common_ar

    def ar_full_ok(f: str, en_generic: bool) -> str:
        ws = words_of(f)
        if len(ws) < 2:
            return "one word"
        if ws[0] in function_ar or ws[-1] in function_ar:
            return "starts or ends with a function word"
        if all(ar_common(w) for w in ws) and (len(ws) == 2 or en_generic):
            return "only common words, and a generic English name"
        return ""

    def short_ok(s: str) -> bool:
        w = normalize(s)
        return (len(s) >= 3 and sum(c.isupper() for c in s) >= 2 and " " not in w
                and w not in scowl_lower and w not in common_en and w not in names_en)

    dropped: list[tuple[str, str]] = []
    skipped: list[tuple[str, str]] = []
    cands = []
    for qid in sorted(parties, key=lambda q: int(q[1:])):
        p = parties[qid]
        if not p["en"] and not p["ar"]:
            continue
        label = (p["en"] or p["ar"])[0]
        if qid in taken_qids:
            skipped.append((label, "Wikidata id in another file"))
            continue
        first_forms = [f for f in (p["en"][:1] + p["ar"][:1])]
        hit = next((f for f in first_forms if form_key(f) in taken or form_key(f) in taken_short),
                   None)
        if hit:
            skipped.append((label, f"{hit!r} is a form of {taken.get(form_key(hit), 'a short form')}"))
            continue
        full: list[str] = []
        for f in p["en"]:
            why = en_full_ok(f)
            if why:
                dropped.append((f, why))
            else:
                full.append(f)
        en_generic = not full
        for f in p["ar"]:
            why = ar_full_ok(f, en_generic)
            if why:
                dropped.append((f, why))
            else:
                full.append(f)
        shorts = [s for s in p["short"] if short_ok(s)]
        cands.append({"qid": qid, "full": full, "short": shorts, "country": p["country"],
                      "src": p["src"], "label": label})

    # forms two parties share are nobody's full form; forms of other files are theirs
    owners: dict[str, set[str]] = defaultdict(set)
    for c in cands:
        for f in c["full"]:
            owners[form_key(f)].add(c["qid"])
    rows = []
    used_ids = set(taken_ids)
    for c in cands:
        full, seen = [], set()
        for f in c["full"]:
            k = form_key(f)
            if k in seen:
                continue
            if k in taken or k in taken_short:
                dropped.append((f, f"form of {taken.get(k, 'another file (short)')}"))
                continue
            if len(owners[k]) > 1:
                dropped.append((f, "shared by two parties"))
                continue
            seen.add(k)
            full.append(f)
        if not full:
            skipped.append((c["label"], "no full form left"))
            continue
        shorts = []
        for s in c["short"]:
            k = form_key(s)
            if k in seen or k in taken or k in owners:
                dropped.append((s, "short form that is a full form somewhere"))
                continue
            seen.add(k)
            shorts.append(s)
        en = [f for f in full if re.search(r"[A-Za-z]", f)]
        ar = [f for f in full if not re.search(r"[A-Za-z]", f)]
        name_en = en[0] if en else ""
        name_ar = ar[0] if ar else ""
        variants = en[1:] + ar[1:]
        code = iso2.get(c["country"], "")
        base = slug((name_en or c["label"]).replace("&", " and ")) or c["qid"].lower()
        ident = f"org/{base}"
        if ident in used_ids and c["country"]:
            ident = f"org/{base}-{c['country'].lower()}"
        if ident in used_ids:
            ident = f"org/{base}-{c['qid'].lower()}"
        used_ids.add(ident)
        link = f"country/{code}" if f"country/{code}" in countries else ""
        note = "political party" + (f", {c['country']}" if c["country"] else "")
        rows.append([ident, "ORGANIZATION", name_en, name_ar, "|".join(variants),
                     "|".join(shorts), PRIORITY, link, note, "; ".join(c["src"]), c["qid"]])
    rows.sort(key=lambda r: r[0])

    lines = [
        "# Political parties of the world, one per Wikidata item.",
        "# Generated by scripts/gazetteer/gen_organizations_parties.py; do not edit by hand.",
        f"# Sources: github:{PF_REPO}@{PF_COMMIT} {PF_CSV} (Party Facts, MIT licence);",
        f"# Wikidata labels (CC0 1.0) of github:{EP_REPO}@{EP_COMMIT}"
        " data/*/*/sources/wikidata/{groups,parties}.json.",
        "# Names made only of common words (\"Labour Party\") and forms two parties or another"
        " file share are left out; acronyms are short forms; priority -1.",
        "\t".join(HEADER),
    ]
    lines += ["\t".join(r) for r in rows]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}: "
          f"{len(rows)} parties ({sum(1 for r in rows if r[3])} with an Arabic name) "
          f"of {len(parties)} in the sources")
    print(f"left out ({len(skipped)}):")
    for n, why in skipped:
        print(f"  {n}: {why}")
    print(f"forms dropped ({len(dropped)}):")
    for f, why in sorted(set(dropped)):
        print(f"  {f}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
