#!/usr/bin/env python3
"""Generate rules/gazetteer/countries.tsv and rules/gazetteer/nationalities.tsv.

countries.tsv: one LOCATION entity per ISO 3166-1 alpha-2 code (249 codes), plus Kosovo
under the user-assigned code XK, id ``country/<alpha-2>``, priority 10 (so a country wins
over a city of the same name, e.g. الكويت, تونس, الجزائر, سنغافورة).  Canonical English and
Arabic names come from the Unicode CLDR territory names, read through the ``babel`` package
(``Locale('en').territories``, ``Locale('ar').territories``).  The ISO code list is CLDR's
two-letter territory codes minus CLDR's non-ISO codes (NON_ISO below), checked to number 249.

nationalities.tsv: one NORP entity per country whose nationality adjective makes the news,
id ``norp/<alpha-2>``, link ``country/<alpha-2>``, priority 5 (above cities, places and
people spelled the same, e.g. the adjective الهندية vs the Iraqi town al-Hindiya; below
countries).  CLDR has no demonyms, so these are
curated: Arabic nisba stems and English demonyms in countries_curated.toml; the regular
Arabic inflection (feminine, sound plurals, duals, with and without the article) is
generated here.

Hand curation (media spellings, ambiguity decisions, overrides) lives in
scripts/gazetteer/countries_curated.toml, merged deterministically; output is sorted by id.
After writing, the files are checked with check_tsv.py (format, ids, form collisions).

Usage:   python3 scripts/gazetteer/gen_countries.py
Needs:   Python >= 3.11 (tomllib), babel (pip install babel; written with babel 2.18.0 =
         CLDR 47 -- another version may change the CLDR names and hence the output).
Licence: CLDR data is Copyright (c) Unicode, Inc., Unicode License v3
         (https://www.unicode.org/license.txt); the curated data is part of khabar.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import babel
from babel import Locale
from babel.core import get_global

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_tsv import HEADER, check, normalize  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CURATED = HERE / "countries_curated.toml"
OUT_COUNTRIES = ROOT / "rules/gazetteer/countries.tsv"
OUT_NORP = ROOT / "rules/gazetteer/nationalities.tsv"

PINNED_BABEL = "2.18.0"
# CLDR two-letter territory codes that are not ISO 3166-1 alpha-2 country codes:
# exceptional reservations (AC Ascension, CP Clipperton, DG Diego Garcia, EA Ceuta & Melilla,
# IC Canary Islands, TA Tristan da Cunha), CQ Sark, EU/EZ/UN groupings, QO Outlying
# Oceania, XA/XB pseudo-locales, XK Kosovo (handled in EXTRA), ZZ unknown.
NON_ISO = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN",
           "XA", "XB", "XK", "ZZ"}
# Not ISO 3166-1 but used as a country code (EU, IMF, CLDR) and in the news.
EXTRA = {"XK"}
ISO_COUNT = 249

COUNTRY_PRIORITY = "10"
NORP_PRIORITY = "5"


def cldr_label() -> str:
    return f"CLDR {get_global('cldr')['version']} (babel {babel.__version__})"


def dedup(forms: list[str], taken: set[str]) -> list[str]:
    """Keep forms whose normalized text is new; `taken` is updated in place."""
    out = []
    for f in forms:
        key = normalize(f[1:] if f.startswith("=") else f)
        if key and key not in taken:
            taken.add(key)
            out.append(f)
    return out


def english_forms(name: str) -> list[str]:
    """CLDR English short names use '&' and 'St.'; add the spelled-out forms."""
    out = []
    if " & " in name:
        name = name.replace(" & ", " and ")
        out.append(name)
    if name.startswith("St. "):
        out.append("Saint " + name[4:])
    return out


def build_countries(cur: dict) -> list[list[str]]:
    en, ar = Locale("en").territories, Locale("ar").territories
    codes = sorted(c for c in en if len(c) == 2 and c.isalpha() and c not in NON_ISO)
    if len(codes) != ISO_COUNT:
        sys.exit(f"expected {ISO_COUNT} ISO 3166-1 codes from CLDR, got {len(codes)}")
    codes = sorted(set(codes) | EXTRA)
    unknown = set(cur) - set(codes)
    if unknown:
        sys.exit(f"curated countries with unknown codes: {sorted(unknown)}")
    base_src = f"{cldr_label()} ar/en"
    rows = []
    for code in codes:
        c = cur.get(code, {})
        cldr_en, cldr_ar = en[code], ar[code]
        drop = set(c.get("drop", []))
        for d in drop:
            if d not in (cldr_en, cldr_ar):
                sys.exit(f"{code}: drop {d!r} is not a CLDR name")
        spelled = english_forms(cldr_en)
        name_en = c.get("name_en") or (spelled[0] if " & " in cldr_en else cldr_en)
        name_ar = c.get("name_ar", cldr_ar)
        if name_en in drop or name_ar in drop:
            sys.exit(f"{code}: canonical name is dropped; give name_en/name_ar")
        taken: set[str] = set()
        dedup([name_en, name_ar], taken)
        ar_forms = [f for f in [cldr_ar] if f not in drop] + c.get("ar", [])
        en_forms = [f for f in [cldr_en] + spelled if f not in drop] + c.get("en", [])
        variants = dedup(ar_forms, taken) + dedup(en_forms, taken)
        src = base_src
        if code in EXTRA:
            src += f" (user-assigned code {code}, not in ISO 3166-1)"
        if "name_en" in c or "name_ar" in c:
            src += "; canonical name: media usage (CLDR name kept as variant unless ambiguous)"
        if c.get("ar"):
            src += "; variants: Arabic media usage"
        if c.get("en"):
            src += "; variants: English usage"
        rows.append([f"country/{code}", "LOCATION", name_en, name_ar, "|".join(variants), "",
                     COUNTRY_PRIORITY, "", c.get("note", ""), src])
    return rows


def inflect(stem: str, sound_pl: bool, masc_sg: bool, indef_masc: bool) -> list[str]:
    """Regular forms of an Arabic nisba adjective (stem = indefinite masc. singular in ي)."""
    if not stem.endswith("ي"):
        sys.exit(f"nisba stem must end in ي: {stem}")
    indef = []
    if masc_sg:
        indef.append(stem)
    indef.append(stem + "ة")                       # feminine singular
    if sound_pl:
        indef += [stem + "ون", stem + "ين"]         # masc. plural nom./obl. (obl. = dual obl.)
    indef.append(stem + "ات")                      # feminine plural
    indef.append(stem + "ان")                      # masc. dual nominative
    indef += [stem + "تان", stem + "تين"]           # feminine dual
    out = ["ال" + f for f in indef]
    out += [f for f in indef if indef_masc or f != stem]
    return out


def inflect_compound(adj: str, qual: str) -> list[str]:
    """Two-word nisba (كوري شمالي): both words agree; singular, feminine, plurals, dual."""
    pairs = [("", ""), ("ة", "ة"), ("ين", "ين"), ("ون", "ون")]
    out = []
    for sa, sq in pairs:
        out.append(f"ال{adj}{sa} ال{qual}{sq}")
        out.append(f"{adj}{sa} {qual}{sq}")
    out.append(f"ال{adj}ان ال{qual}ان")             # masc. dual nominative, definite
    return out


def build_norps(cur: dict, country_ids: set[str]) -> list[list[str]]:
    rows = []
    for code in sorted(cur):
        n = cur[code]
        if f"country/{code}" not in country_ids:
            sys.exit(f"norp/{code}: no country/{code}")
        gen: list[str] = []
        stems = n.get("ar", [])
        for i, stem in enumerate(stems):
            gen += inflect(stem, n.get("sound_pl", True),
                           i == 0 or n.get("masc_sg", True), n.get("indef_masc", True))
        for adj, qual in n.get("compound", []):
            gen += inflect_compound(adj, qual)
        for s in n.get("skip", []):
            if s not in gen:
                sys.exit(f"norp/{code}: skip {s!r} is not a generated form")
        gen = [f for f in gen if f not in n.get("skip", [])]
        arabic = gen + n.get("forms", [])
        name_ar = arabic[0]
        name_en = n["en"][0]
        if name_en.startswith("="):
            name_en = name_en[1:]
        taken: set[str] = set()
        dedup([name_en, name_ar], taken)
        variants = dedup(arabic[1:], taken) + dedup(n["en"], taken)
        parts = []
        if stems or n.get("compound"):
            parts.append("Arabic nisba adjective, regular inflection of curated stems")
        if n.get("forms"):
            parts.append("curated " + ("broken plurals" if stems else "compound forms"))
        src = "; ".join(parts) + "; Arabic media usage; English demonyms"
        rows.append([f"norp/{code}", "NORP", name_en, name_ar, "|".join(variants), "",
                     NORP_PRIORITY, f"country/{code}", n.get("note", ""), src])
    return rows


def write(path: Path, comments: list[str], rows: list[list[str]]) -> None:
    for r in rows:
        assert len(r) == len(HEADER) and all("\t" not in x and "\n" not in x for x in r), r
    lines = [f"# {c}" for c in comments] + ["\t".join(HEADER)] + ["\t".join(r) for r in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    if babel.__version__ != PINNED_BABEL:
        print(f"warning: babel {babel.__version__} (output was reviewed with {PINNED_BABEL})",
              file=sys.stderr)
    cur = tomllib.loads(CURATED.read_text(encoding="utf-8"))
    countries = build_countries(cur.get("country", {}))
    norps = build_norps(cur.get("norp", {}), {r[0] for r in countries})
    gen = "Generated by scripts/gazetteer/gen_countries.py; edit countries_curated.toml, not this file."
    lic = ("CLDR territory names: Copyright (c) Unicode, Inc., Unicode License v3, "
           "https://www.unicode.org/license.txt")
    write(OUT_COUNTRIES, [gen, f"Base names: {cldr_label()}. " + lic,
                          "Priority 10: a country wins over a city or place of the same name."],
          countries)
    write(OUT_NORP, [gen, "Nationality adjectives (NORP), curated (CLDR has no demonyms).",
                     "Priority 5: outranks cities/places/people spelled the same, never a country."],
          norps)
    print(f"wrote {len(countries)} countries, {len(norps)} nationalities", file=sys.stderr)
    return check([OUT_COUNTRIES, OUT_NORP])


if __name__ == "__main__":
    sys.exit(main())
