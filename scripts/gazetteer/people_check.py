#!/usr/bin/env python3
"""Check rules/gazetteer/people.tsv, the hand-curated list of people in the news.

What it checks (errors make the exit status 1, warnings are only printed):
  * the header line is exactly the 10 gazetteer columns and every line has 10 fields;
  * ids are unique and look like ``person/<ascii-slug>``; type is PERSON;
  * name_en, name_ar and source are non-empty; priority is an integer; link is empty or
    ``country/<ISO alpha-2>``;
  * no normalized full form (name_en, name_ar, variants) belongs to two people with the same
    priority (khabar reports such a tie as an error);
  * no short form of one person is a full form of another person;
  * warnings: a form repeated within one entry after normalization, a short form equal to the
    entry's own full form, and (when other gazetteer files exist) full or short forms that another
    gazetteer file lists as a full form.

Normalization follows rules/README.md and src/text/fold.rs: drop Arabic diacritics
(U+064B-U+065F, U+0670), tatweel and zero-width/bidi marks; fold أ إ آ ٱ -> ا, ى -> ي, ة -> ه,
Persian ک ی -> ك ي, Arabic-Indic digits -> ASCII; lowercase Latin and strip accents; unify
quotes and dashes; every punctuation character is a token of its own.

Usage: python3 scripts/gazetteer/people_check.py [rules/gazetteer/people.tsv]
Data: the file checked is original work of the khabar project. No third-party data is read.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

HEADER = ["id", "type", "name_en", "name_ar", "variants", "short", "priority", "link", "note", "source"]
ID_RE = re.compile(r"^person/[a-z0-9]+(?:-[a-z0-9]+)*$")
LINK_RE = re.compile(r"^country/[A-Z]{2}$")

_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ة": "ه", "ک": "ك", "ی": "ي",
    "‘": "'", "’": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"', "«": '"', "»": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
}
for _i in range(10):
    _FOLD[chr(0x0660 + _i)] = str(_i)
    _FOLD[chr(0x06F0 + _i)] = str(_i)
_DROP = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670", "\u0640"}
_DROP |= {"\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff"}
_DROP |= {chr(c) for c in range(0x202A, 0x202F)} | {chr(c) for c in range(0x2066, 0x206A)}


def normalize(form: str) -> str:
    """Return the token sequence of ``form`` as khabar's matcher sees it, joined by spaces."""
    if form.startswith("="):  # case-sensitive acronym marker; compared case-insensitively here
        form = form[1:]
    out = []
    for ch in form:
        if ch in _DROP:
            continue
        ch = _FOLD.get(ch, ch)
        if "A" <= ch <= "z" or ord(ch) in range(0xC0, 0x250):
            base = unicodedata.normalize("NFD", ch)
            ch = "".join(c for c in base if not unicodedata.combining(c)).lower()
        out.append(ch)
    tokens: list[str] = []
    word = ""
    for ch in "".join(out):
        cat = unicodedata.category(ch)
        if ch.isspace():
            if word:
                tokens.append(word)
            word = ""
        elif cat.startswith("P") or cat.startswith("S"):
            if word:
                tokens.append(word)
            word = ""
            tokens.append(ch)
        else:
            word += ch
    if word:
        tokens.append(word)
    return " ".join(tokens)


def split_forms(field: str) -> list[str]:
    return [f.strip() for f in field.split("|") if f.strip()]


def check(path: Path) -> int:
    errors: list[str] = []
    warnings: list[str] = []
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header_seen = False
    ids: dict[str, int] = {}
    full_owner: dict[str, list[tuple[str, int, int]]] = defaultdict(list)  # form -> (id, prio, line)
    shorts: list[tuple[str, str, int]] = []
    count = 0
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if not header_seen:
            header_seen = True
            if cols != HEADER:
                errors.append(f"{path}:{n}: header must be: {' '.join(HEADER)}")
            continue
        if len(cols) != 10:
            errors.append(f"{path}:{n}: {len(cols)} columns, expected 10")
            continue
        pid, typ, name_en, name_ar, variants, short, prio, link, _note, source = cols
        count += 1
        if not ID_RE.match(pid):
            errors.append(f"{path}:{n}: bad id {pid!r}")
        if pid in ids:
            errors.append(f"{path}:{n}: duplicate id {pid} (first on line {ids[pid]})")
        ids.setdefault(pid, n)
        if typ != "PERSON":
            errors.append(f"{path}:{n}: type must be PERSON, got {typ!r}")
        for col, val in (("name_en", name_en), ("name_ar", name_ar), ("source", source)):
            if not val.strip():
                errors.append(f"{path}:{n}: empty {col}")
        try:
            p = int(prio or "0")
        except ValueError:
            errors.append(f"{path}:{n}: priority {prio!r} is not an integer")
            p = 0
        if link and not LINK_RE.match(link):
            errors.append(f"{path}:{n}: link {link!r} is not country/<ISO alpha-2>")
        seen: dict[str, str] = {}
        for form in [name_en, name_ar, *split_forms(variants)]:
            key = normalize(form)
            if not key:
                errors.append(f"{path}:{n}: form {form!r} is empty after normalization")
                continue
            if key in seen:
                warnings.append(f"{path}:{n}: {form!r} repeats {seen[key]!r} after normalization")
                continue
            seen[key] = form
            full_owner[key].append((pid, p, n))
        for form in split_forms(short):
            key = normalize(form)
            if key in seen:
                warnings.append(f"{path}:{n}: short form {form!r} is also a full form of the entry")
            shorts.append((key, pid, n))
    for key, owners in sorted(full_owner.items()):
        people = {o[0] for o in owners}
        if len(people) > 1:
            top = max(o[1] for o in owners)
            if sum(1 for o in owners if o[1] == top) > 1:
                where = ", ".join(f"{o[0]} (line {o[2]})" for o in owners)
                errors.append(f"{path}: form {key!r} shared with equal priority by {where}")
    for key, pid, n in shorts:
        others = [o for o in full_owner.get(key, []) if o[0] != pid]
        if others:
            errors.append(f"{path}:{n}: short form {key!r} of {pid} is a full form of {others[0][0]}")
    # cross-file: full forms that other gazetteer files also list (warning only)
    for other in sorted(path.parent.glob("*.tsv")):
        if other.resolve() == path.resolve():
            continue
        for n, line in enumerate(other.read_text(encoding="utf-8").split("\n"), 1):
            cols = line.split("\t")
            if len(cols) < 6 or line.startswith("#") or cols[0] == "id":
                continue
            for form in [cols[2], cols[3], *split_forms(cols[4])]:
                key = normalize(form)
                if key in full_owner:
                    warnings.append(f"{other}:{n}: {form!r} ({cols[0]}) is also a form of "
                                    f"{full_owner[key][0][0]}")
                for skey, spid, sn in shorts:
                    if skey == key:
                        warnings.append(f"{path}:{sn}: short form {form!r} of {spid} is a full "
                                        f"form of {cols[0]} in {other.name}")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("error:", e)
    print(f"{path}: {count} people, {len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[2] / "rules" / "gazetteer" / "people.tsv"
    sys.exit(check(Path(sys.argv[1]) if len(sys.argv) > 1 else default))
