#!/usr/bin/env python3
"""Check rules/gazetteer/organizations.tsv (the ORGANIZATION gazetteer).

What it checks, reporting every problem as `path:line: message`:
  * the header line is exactly the one of rules/README.md and every line has 10 tab-separated columns;
  * ids are unique and look like `org/<lowercase-ascii-slug>`, type is ORGANIZATION;
  * name_en, name_ar and source are non-empty, priority is an integer, link (if any) is an id;
  * no variant is empty, a `=` (case-sensitive) form is plain ASCII;
  * no normalized surface form (name_en, name_ar, variants, short) belongs to two organizations,
    and no entry lists the same normalized form twice (a redundant variant).
With --others it also lists forms shared with the other gazetteer files of the same directory
(a shared form at equal priority is an error for the rule loader).

Normalization mirrors src/text/fold.rs: drop Arabic diacritics U+064B-U+065F, U+0670,
U+06D6-U+06ED, tatweel, Latin combining accents and invisible format characters; fold
أ إ آ ٱ -> ا, ى -> ي, ة -> ه, Persian/Urdu look-alikes, Arabic-Indic digits -> ASCII, quote and
dash variants; Latin letters lose accents and are lowercased; every punctuation character is a
token of its own. Input: the TSV files of this repository only. Licence: same as the repository.

Usage: python3 scripts/gazetteer/orgs_check.py [--others] [path/to/organizations.tsv]
Exit status 1 when an error is found.
"""
import re
import sys
import unicodedata
from pathlib import Path

HEADER = "id\ttype\tname_en\tname_ar\tvariants\tshort\tpriority\tlink\tnote\tsource"
ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "rules" / "gazetteer" / "organizations.tsv"
ID_RE = re.compile(r"^org/[a-z0-9]+(?:-[a-z0-9]+)*$")
LINK_RE = re.compile(r"^(country|city|place|person|org|norp)/[A-Za-z0-9-]+$")

SIMPLE = {}
for c in "أإآٱٲٳ":
    SIMPLE[c] = "ا"
for c in "ىیې":
    SIMPLE[c] = "ي"
for c in "ةۀەھ":
    SIMPLE[c] = "ه"
for c in "کڪ":
    SIMPLE[c] = "ك"
for i in range(10):
    SIMPLE[chr(0x0660 + i)] = str(i)
    SIMPLE[chr(0x06F0 + i)] = str(i)
SIMPLE.update({"،": ",", "؛": ";", "؟": "?", "٪": "%", "\u066B": ".", "\u066C": ","})
for c in "«»“”„‟″〝〞":
    SIMPLE[c] = '"'
for c in "‘’‚‛′`´":
    SIMPLE[c] = "'"
for c in "‐‑‒–—―−﹘﹣－":
    SIMPLE[c] = "-"


def dropped(c: str) -> bool:
    o = ord(c)
    return (0x064B <= o <= 0x065F or o == 0x0670 or 0x06D6 <= o <= 0x06ED or o == 0x0640
            or 0x0300 <= o <= 0x036F or 0x200B <= o <= 0x200F or o == 0x061C
            or 0x202A <= o <= 0x202E or o == 0x2060 or 0x2066 <= o <= 0x2069
            or o in (0xFEFF, 0x00AD))


def kept_mark(c: str) -> bool:
    o = ord(c)
    return any(a <= o <= b for a, b in ((0x0483, 0x0489), (0x0591, 0x05C7), (0x0610, 0x061A),
                                         (0x0900, 0x0DFF), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF),
                                         (0x20D0, 0x20FF), (0xFE00, 0xFE0F), (0xFE20, 0xFE2F)))


def char_class(c: str) -> str:
    if c.isascii():
        if c.isalnum():
            return "word"
        if c.isspace() or ord(c) < 32 or ord(c) == 127:
            return "space"
        return "punct"
    if dropped(c):
        return "drop"
    if c.isalnum() or kept_mark(c):
        return "word"
    if c.isspace() or unicodedata.category(c) == "Cc":
        return "space"
    return "punct"


def fold_char(c: str) -> str:
    if c.isascii():
        return c.lower()
    if c in SIMPLE:
        return SIMPLE[c]
    o = ord(c)
    if 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF or 0xFF00 <= o <= 0xFFEF:
        return "".join(fold_char(x) for x in unicodedata.normalize("NFKC", c) if not dropped(x))
    if 0x00C0 <= o <= 0x024F or 0x1E00 <= o <= 0x1EFF:
        base = "".join(x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))
        return base.lower()
    return c.lower()


def normalize(form: str) -> tuple:
    """The token sequence a surface form is matched as."""
    tokens, word = [], []
    for c in form:
        cls = char_class(c)
        if cls == "drop":
            continue
        if cls == "word":
            word.append(fold_char(c))
            continue
        if word:
            tokens.append("".join(word))
            word = []
        if cls == "punct":
            tokens.append(fold_char(c))
    if word:
        tokens.append("".join(word))
    return tuple(tokens)


def forms_of(cols):
    """(raw form, case-sensitive?) for every surface form of a row."""
    out = [(cols[2], False), (cols[3], False)]
    for field in (cols[4], cols[5]):
        if field:
            for v in field.split("|"):
                out.append((v[1:], True) if v.startswith("=") else (v, False))
    return out


def read(path: Path, errors: list):
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if n == 1:
            if line != HEADER:
                errors.append(f"{path}:{n}: header line differs from rules/README.md")
            continue
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            errors.append(f"{path}:{n}: {len(cols)} columns, expected 10")
            continue
        rows.append((n, cols))
    return rows


def main(argv):
    others = "--others" in argv
    args = [a for a in argv if not a.startswith("--")]
    path = Path(args[0]) if args else DEFAULT
    errors, warnings = [], []
    rows = read(path, errors)
    ids, owner = {}, {}
    for n, cols in rows:
        id_, typ, en, ar, variants, short, prio, link, note, source = cols
        if not ID_RE.match(id_):
            errors.append(f"{path}:{n}: bad id {id_!r}")
        if id_ in ids:
            errors.append(f"{path}:{n}: duplicate id {id_} (first on line {ids[id_]})")
        ids.setdefault(id_, n)
        if typ != "ORGANIZATION":
            errors.append(f"{path}:{n}: type {typ!r}, expected ORGANIZATION")
        if not en.strip() or not ar.strip():
            errors.append(f"{path}:{n}: empty name_en or name_ar")
        if not source.strip():
            errors.append(f"{path}:{n}: empty source")
        if not re.fullmatch(r"-?\d+", prio or "0"):
            errors.append(f"{path}:{n}: priority {prio!r} is not an integer")
        if link and not LINK_RE.match(link):
            errors.append(f"{path}:{n}: bad link {link!r}")
        seen = {}
        for form, cs in forms_of(cols):
            if not form.strip():
                errors.append(f"{path}:{n}: empty surface form")
                continue
            if cs and not form.isascii():
                errors.append(f"{path}:{n}: case-sensitive form {form!r} is not ASCII")
            key = normalize(form)
            if key in seen:
                warnings.append(f"{path}:{n}: {form!r} normalizes like {seen[key]!r} (redundant)")
                continue
            seen[key] = form
            if key in owner and owner[key][0] != id_:
                errors.append(f"{path}:{n}: form {form!r} of {id_} normalizes like a form of "
                              f"{owner[key][0]} (line {owner[key][1]})")
            owner.setdefault(key, (id_, n, int(prio or 0)))
    if others:
        for other in sorted(path.parent.glob("*.tsv")):
            if other.resolve() == path.resolve():
                continue
            for n, cols in read(other, []):
                for form, _ in forms_of(cols):
                    key = normalize(form)
                    if form.strip() and key in owner:
                        mine = owner[key]
                        oprio = int(cols[6] or 0) if re.fullmatch(r"-?\d+", cols[6] or "0") else 0
                        msg = (f"{other}:{n}: {form!r} ({cols[0]}, priority {oprio}) is also a form "
                               f"of {mine[0]} ({path.name}:{mine[1]}, priority {mine[2]})")
                        (errors if oprio == mine[2] else warnings).append(msg)
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print(e)
    print(f"{path.name}: {len(rows)} entries, {len(owner)} distinct forms, "
          f"{len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
