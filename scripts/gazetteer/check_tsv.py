#!/usr/bin/env python3
"""Check khabar gazetteer TSV files (rules/gazetteer/*.tsv) for format and collisions.

What it verifies, for every file given on the command line (default: the countries and
nationalities lists written by gen_countries.py):

* the header line (after optional ``#`` comment lines) is exactly
  ``id type name_en name_ar variants short priority link note source`` (tab-separated);
* every entity line has exactly 10 tab-separated columns, a known type, an integer
  priority, a non-empty name and a non-empty ``source``;
* ids are unique across all the files checked;
* no surface form (name or variant) appears twice with the same normalized text and the
  *same priority* on two different entities, within a file or across the files checked
  (rules/README.md: "a tie is an error").  `short` forms are context-dependent (they refer
  to an entity only in a document that names it in full), so a short form shared with
  other entities is not an error; with ``--verbose`` it is listed;
* a ``link`` points to an id that exists, when the linked file is among those checked;
* forms are not empty and have no stray surrounding spaces.

Redundant forms on one entity (two variants that normalize the same) are reported as
warnings.  Cross-entity collisions with different priorities are counted, not reported,
unless ``--verbose`` is given.

Normalization mirrors rules/README.md ("How matching reads a surface form"): drop Arabic
diacritics (U+064B-U+065F, U+0670), tatweel and zero-width/bidi marks; fold
أ إ آ ٱ -> ا, ى -> ي, ة -> ه, Persian ک ی -> ك ي; Arabic-Indic digits -> ASCII; Latin
case and accents; unify quotes and dashes; every punctuation or symbol character is a
token of its own.  A form written ``=X`` is case-sensitive in matching; for collision
checking it is compared case-insensitively (conservative: a case-insensitive form would
match the same text).

Usage: python3 scripts/gazetteer/check_tsv.py [--verbose] [FILE.tsv ...]
Exit status 1 if any error is found.  Licence: same as the khabar repository.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Iterator

HEADER = ["id", "type", "name_en", "name_ar", "variants", "short",
          "priority", "link", "note", "source"]
TYPES = {"PERSON", "LOCATION", "ORGANIZATION", "NORP"}

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FILES = [ROOT / "rules/gazetteer/countries.tsv",
                 ROOT / "rules/gazetteer/nationalities.tsv"]

_DROP = set(range(0x064B, 0x0660)) | {0x0670, 0x0640}
# zero-width and bidi controls
_DROP |= {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF}
_DROP |= set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي", "ة": "ه", "ۀ": "ه", "ە": "ه", "ھ": "ه", "ک": "ك", "ڪ": "ك",
    # Arabic punctuation (as in src/text/fold.rs)
    "،": ",", "؛": ";", "؟": "?", "٪": "%", "\u066B": ".", "\u066C": ",",
    # quotes
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "ʼ": "'", "′": "'", "`": "'", "´": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
    # dashes and hyphens
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "﹘": "-", "﹣": "-",
    "－": "-", "〝": '"', "〞": '"', "ـ": "",
}
for _i in range(10):
    _MAP[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _MAP[chr(0x06F0 + _i)] = str(_i)  # Extended (Persian) digits


def git(gitdir: Path, *args: str) -> bytes:
    """The output of `git -C gitdir args...` (the generators read pinned commits of mirrors)."""
    return subprocess.run(["git", "-C", str(gitdir), *args], check=True,
                          capture_output=True).stdout


def letters(s: str) -> int:
    """Number of letters in `s`."""
    return sum(1 for c in s if c.isalpha())


def slug(text: str) -> str:
    """An id slug: ASCII letters and digits of the NFKD form, lowercased, runs of spaces and
    hyphens as one hyphen."""
    d = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in d if c.isascii() and (c.isalnum() or c in " -")).lower()
    return re.sub(r"[\s-]+", "-", s).strip("-")


# Debian hunspell-ar (Ayaspell): Arabic words and stems, for telling names from words.
AYASPELL = "/usr/share/hunspell/ar.dic"


def arabic_stems() -> set[str]:
    """The normalized words of the Ayaspell dictionary (AYASPELL)."""
    out = set()
    for line in Path(AYASPELL).read_text(encoding="utf-8").splitlines()[1:]:
        w = line.split("/")[0].strip()
        if w:
            out.add(normalize(w))
    return out


def _is_arabic(ch: str) -> bool:
    o = ord(ch)
    return (0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F
            or 0x08A0 <= o <= 0x08FF or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF)


def normalize(text: str) -> str:
    """Return the normalized token string of a surface form (tokens joined by one space)."""
    chars: list[str] = []
    for ch in text:
        if ord(ch) in _DROP:
            continue
        ch = _MAP.get(ch, ch)
        if not ch:
            continue
        if _is_arabic(ch):
            chars.append(ch)
            continue
        # Latin and others: strip accents, fold case
        for d in unicodedata.normalize("NFD", ch):
            if unicodedata.category(d) == "Mn":
                continue
            chars.append(d.casefold())
    tokens: list[str] = []
    cur: list[str] = []
    for ch in "".join(chars):
        cat = unicodedata.category(ch)
        if ch.isspace():
            if cur:
                tokens.append("".join(cur))
                cur = []
        elif cat[0] in "PS":
            if cur:
                tokens.append("".join(cur))
                cur = []
            tokens.append(ch)
        else:
            cur.append(ch)
    if cur:
        tokens.append("".join(cur))
    return " ".join(tokens)


def forms_of(row: dict[str, str]) -> list[tuple[str, bool]]:
    """All matched surface forms of an entity as (raw form, is_short)."""
    out = [(row["name_en"], False), (row["name_ar"], False)]
    for col in ("variants", "short"):
        if row[col]:
            out.extend((f, col == "short") for f in row[col].split("|"))
    return [(f, short) for f, short in out if f != ""]


def tsv_rows(path: Path) -> Iterator[dict[str, str]]:
    """The rows of one gazetteer-style TSV file (``#`` comments and blank lines skipped), as
    dicts keyed by its header."""
    header = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t")
        if header is None:
            header = cols
            continue
        yield dict(zip(header, cols))


def gazetteer_rows(skip: tuple[Path, ...] = ()) -> Iterator[dict[str, str]]:
    """Every entity row of rules/gazetteer/*.tsv (files in `skip` left out), in file-name order:
    what the generators compare their output with."""
    for path in sorted((Path(__file__).resolve().parents[2] / "rules/gazetteer").glob("*.tsv")):
        if path not in skip:
            yield from tsv_rows(path)


def form_key(form: str) -> str:
    return normalize(form[1:] if form.startswith("=") else form)


def check(paths: list[Path], verbose: bool = False) -> int:
    errors: list[str] = []
    warnings: list[str] = []
    ids: dict[str, str] = {}
    links: list[tuple[str, str]] = []
    # normalized form -> list of (priority, id, where, raw form, is_short)
    index: dict[str, list[tuple[int, str, str, str, bool]]] = defaultdict(list)
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
        except OSError as exc:
            errors.append(f"{path}: cannot read: {exc}")
            continue
        if lines and lines[-1] == "":
            lines.pop()
        header_seen = False
        for n, line in enumerate(lines, 1):
            where = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{n}"
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if not header_seen:
                if cols not in (HEADER, HEADER + ["wikidata"]):
                    errors.append(f"{where}: header must be: {chr(9).join(HEADER)}"
                                  " (optionally followed by a wikidata column)")
                ncols = len(cols)
                header_seen = True
                continue
            if not line.strip():
                errors.append(f"{where}: empty line")
                continue
            if len(cols) != ncols:
                errors.append(f"{where}: {len(cols)} columns, expected {ncols}")
                continue
            row = dict(zip(HEADER, cols))
            eid = row["id"]
            if eid in ids:
                errors.append(f"{where}: duplicate id {eid} (first at {ids[eid]})")
            ids[eid] = where
            if row["type"] not in TYPES:
                errors.append(f"{where}: unknown type {row['type']!r}")
            if not row["source"].strip():
                errors.append(f"{where}: empty source")
            if not (row["name_en"] or row["name_ar"]):
                errors.append(f"{where}: no name")
            try:
                prio = int(row["priority"]) if row["priority"] else 0
            except ValueError:
                errors.append(f"{where}: priority {row['priority']!r} is not an integer")
                prio = 0
            if row["link"]:
                links.append((row["link"], where))
            seen_here: dict[str, str] = {}
            for col in ("variants", "short"):
                if row[col] and any(p == "" for p in row[col].split("|")):
                    errors.append(f"{where}: empty form in {col}")
            for form, short in forms_of(row):
                if form != form.strip() or "  " in form:
                    errors.append(f"{where}: stray spaces in form {form!r}")
                key = form_key(form)
                if not key:
                    errors.append(f"{where}: form {form!r} normalizes to nothing")
                    continue
                if key in seen_here:
                    warnings.append(f"{where}: redundant form {form!r} (= {seen_here[key]!r})")
                    continue
                seen_here[key] = form
                index[key].append((prio, eid, where, form, short))
        if not header_seen:
            errors.append(f"{path}: no header line")
    checked_prefixes = {i.split("/")[0] for i in ids}
    for link, where in links:
        if link.split("/")[0] in checked_prefixes and link not in ids:
            errors.append(f"{where}: link {link} does not exist")
    other = 0
    for key, entries in sorted(index.items()):
        if len({e[1] for e in entries}) < 2:
            continue
        if any(e[4] for e in entries):
            if verbose:
                desc = ", ".join(f"{e[1]}@{e[0]} {e[3]!r}{' (short)' if e[4] else ''}"
                                 for e in entries)
                warnings.append(f"form {key!r} is a short form shared with: {desc}")
        by_prio: dict[int, list] = defaultdict(list)
        for e in entries:
            if not e[4]:
                by_prio[e[0]].append(e)
        for prio, same in by_prio.items():
            if len({e[1] for e in same}) > 1:
                desc = ", ".join(f"{e[1]} {e[3]!r} ({e[2]})" for e in same)
                errors.append(f"form {key!r}: same priority {prio} on several entities: {desc}")
        if len(by_prio) > 1 and not any(e[4] for e in entries):
            other += 1
            if verbose:
                desc = ", ".join(f"{e[1]}@{e[0]} {e[3]!r}" for e in entries)
                warnings.append(f"form {key!r} shared, resolved by priority: {desc}")
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    print(f"checked {len(paths)} file(s): {len(ids)} entities, {len(index)} distinct "
          f"normalized forms, {other} shared forms resolved by priority, "
          f"{len(warnings)} warning(s), {len(errors)} error(s)", file=sys.stderr)
    return 1 if errors else 0


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    paths = [Path(a).resolve() for a in argv if a != "--verbose"] or DEFAULT_FILES
    return check(paths, verbose)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
