#!/usr/bin/env python3
"""Generate the word lists under rules/words/ that the name grammar consults.

Outputs (format: rules/README.md "words/*.tsv"; `# source KEY: ...` header lines define every
source key, then the header `word<TAB>lang<TAB>source` and one row per word, sorted):

* rules/words/given_names.tsv     given names: English (US SSA baby names) and Arabic (the Arabic
                                  spellings of those names as Wikidata person labels write them)
* rules/words/surnames.tsv        family names: English (US Census 2000 top 1,000) and the name
                                  words of Wikidata person labels that are not given names, in
                                  English and in their Arabic spelling
* rules/words/function_words.tsv  Arabic and English stop words (prepositions, conjunctions,
                                  pronouns, particles, auxiliaries, frequent verbs)
* rules/words/common_words.tsv    the most frequent Arabic and English words that are not
                                  function words and not mainly names

Sources (each read from a git mirror at a pinned commit, so the output is byte-identical on
every run; `--mirrors DIR` holds `<owner>+<name>/repo`, as the `fetch` tool lays them out):

  WD   steveash/NETransliteration-COLING2018 data/wd_arabic.normalized.aligned.tokens: English
       name word -> Arabic name word pairs aligned from the English and Arabic labels of
       Wikidata people, with pair counts (Merhav & Ash, COLING 2018). CC0 1.0 (data/LICENSE).
  SSA  wesm/pydata-book datasets/babynames/yob1880.txt .. yob2010.txt: US Social Security
       Administration national baby-name counts. US government work, public domain.
  CEN  paulhendricks/surnames data/surnames.csv: US Census Bureau, 2000 census, the 1,000 most
       frequent surnames. US government work, public domain.
  ISO  stopwords-iso/stopwords-iso stopwords-iso.json ("ar", "en"). MIT licence.
  MT   mohataher/arabic-stop-words list.txt. MIT licence.
  FW   hermitdave/FrequencyWords content/2018/{ar,en}/{ar,en}_50k.txt: word frequencies of the
       OpenSubtitles 2018 corpus. Content CC BY-SA 4.0 (so common_words.tsv is CC BY-SA 4.0).
  SCOWL  Debian package wamerican 2020.12.07-2, /usr/share/dict/american-english (SCOWL size
       50; permissive SCOWL licence): only consulted, never copied, to tell whether an English
       word is also a lower-case common word (`apt-get install wamerican`).

Filters (general rules, never single words):

* Arabic words keep their letters as written by the source; diacritics and tatweel are
  removed (they do not take part in matching). Words of fewer than 3 letters are dropped from
  the name lists; only letters of one script are kept in a word (no digits, no mixed script).
* A WD pair is trusted when it was seen at least `MIN_PAIR` times and the English and Arabic
  words start with compatible sounds (FIRST_SOUNDS), which drops alignment slips such as
  "zahid -> عبد".
* Given names (en): SSA names with at least `MIN_SSA_BIRTHS` births over 1880-2010, 3 letters
  or more. Given names (ar): the Arabic spelling of every WD word whose English side is such a
  given name (and at least `MIN_SSA_BIRTHS_AR` births: names of immigrant communities, e.g.
  Mohammed, Fatima, Yusuf, are rarer in the US). A joined compound with عبد or أبو
  (عبدالرحمن) is also listed split (عبد الرحمن) and the other way round.
* Surnames: CEN names; and WD words whose English side is not an SSA given name (family names
  of Wikidata people of every country), with their Arabic spelling. Name particles (al, bin,
  abu, von, van, de ...) are not surnames: they are in NAME_PARTICLES and left to the grammar.
* Function words: ISO ar + MT + ISO en, lower case; dropped: name particles (أبو أم ابن بن بنت
  آل عبد: the grammar reads them as parts of names), words of one letter, English entries
  that are not words (digits, fragments such as "abst"): an English stop word is kept only
  when FW counts it among its 10,000 most frequent words.
* Common words: the `COMMON_TOP` most frequent FW words per language, minus function words,
  minus words of fewer than 2 letters or with digits, minus words that are mainly names.
  English: a word is mainly a name when it is a given name or surname here and SCOWL does
  not list it in lower case ("john" stays: SCOWL has "john"; "michael" goes). Arabic has no
  case: a word is mainly a name when it is the Arabic spelling of a WD given name seen
  `MAIN_NAME_AR` times or more (محمد, أحمد) and not listed by the Arabic stop or frequency
  lists as anything else; names that are also frequent common words (أمل، نور، سلام) stay,
  so the grammar demands context before reading them as names.

Usage:   python3 scripts/words/gen_words.py [--mirrors /work/.mirror] [--check]
         --check: regenerate in memory and exit 1 if a file differs from the one on disk.
Licence: the generator is part of khabar; each output file's header states its sources.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "rules/words"

# (repository, commit) of every mirror read.
PINS = {
    "WD": ("steveash/NETransliteration-COLING2018", "5d5f59e561ecea45a6d3602121e1049baa7a76c3"),
    "SSA": ("wesm/pydata-book", "d86d8056fa17b180e2a7dc1d9ae1cfb830967d50"),
    "CEN": ("paulhendricks/surnames", "ccf38af83211bd436bd24df15974e5439d5caca8"),
    "ISO": ("stopwords-iso/stopwords-iso", "6e8e9a2d1c019ad2a885bcbe157628dea624dfb6"),
    "MT": ("mohataher/arabic-stop-words", "767255429135eb8120818102cf97523b3c05c8bd"),
    "FW": ("hermitdave/FrequencyWords", "525f9b560de45753a5ea01069454e72e9aa541c6"),
}
SCOWL_PATH = Path("/usr/share/dict/american-english")
SCOWL_VERSION = "wamerican 2020.12.07-2"

MIN_PAIR = 3
MIN_SSA_BIRTHS = 2000
MIN_SSA_BIRTHS_AR = 500
COMMON_TOP = 20000
FUNCTION_EN_TOP = 10000
MAIN_NAME_AR = 20

# Name particles: parts of names that the grammar reads by structure, never names or
# function words on their own.
NAME_PARTICLES_AR = {"أبو", "أبا", "أبي", "أم", "ابن", "إبن", "بن", "بنت", "آل", "عبد", "ذو"}
NAME_PARTICLES_EN = {
    "al", "el", "bin", "ben", "ibn", "bint", "abu", "abou", "abd", "abdul", "abdel", "umm",
    "von", "van", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le",
    "mac", "mc", "st", "y", "bin", "binti", "ould",
}

# First letters of an English name word and the Arabic letters its Arabic spelling may start
# with (after stripping the article ال). Vowels may start with alef/ain/hamza/waw/ya.
_VOWEL_AR = set("اأإآعءؤئويه")
FIRST_SOUNDS = {
    "a": _VOWEL_AR, "e": _VOWEL_AR, "i": _VOWEL_AR, "o": _VOWEL_AR, "u": _VOWEL_AR,
    "y": set("يجاإأ"), "w": set("ووا"), "h": set("هحخ"), "b": set("بپ"), "p": set("بپ"),
    "c": set("كسشتقچ"), "k": set("كقخ"), "q": set("قك"), "g": set("غجقكگ"), "j": set("جيژه"),
    "d": set("دضذ"), "t": set("تطثش"), "s": set("سصشزث"), "z": set("زظذسژ"),
    "f": set("ف"), "v": set("فو"), "m": set("م"), "n": set("ن"), "l": set("ل"),
    "r": set("ر"), "x": set("إاكزش"), "ch": set("تشكچ"), "sh": set("ش"), "kh": set("خك"),
    "gh": set("غ"), "th": set("ثتذ"), "dh": set("ذضد"), "ph": set("ف"),
}

_AR_DIACRITICS = re.compile("[\u064B-\u065F\u0670\u0640]")
_AR_WORD = re.compile(r"^[\u0621-\u063A\u0641-\u064A]+( [\u0621-\u063A\u0641-\u064A]+)?$")
_EN_WORD = re.compile(r"^[a-z]+(?:'[a-z]+)?$")


def git_show(mirrors: Path, key: str, path: str) -> str:
    repo, commit = PINS[key]
    gitdir = mirrors / repo.replace("/", "+") / "repo"
    if not gitdir.exists():
        sys.exit(f"missing mirror {gitdir} (fetch github:{repo})")
    return subprocess.run(
        ["git", "-C", str(gitdir), "show", f"{commit}:{path}"],
        check=True, capture_output=True,
    ).stdout.decode("utf-8")


def clean_ar(word: str) -> str:
    return _AR_DIACRITICS.sub("", unicodedata.normalize("NFC", word.strip()))


def ar_letters(word: str) -> int:
    return sum(1 for c in word if c != " ")


def first_sound_ok(en: str, ar: str) -> bool:
    """Whether the Arabic word starts with a letter the English word's first sound allows."""
    a = ar[2:] if ar.startswith("ال") and len(ar) > 3 else ar
    for n in (2, 1):
        allowed = FIRST_SOUNDS.get(en[:n])
        if allowed is not None and a[:1] in allowed:
            return True
    return False


def fold_en(word: str) -> str:
    """Lower case without accents: 'José' -> 'jose'."""
    d = unicodedata.normalize("NFD", word)
    return "".join(c for c in d if unicodedata.category(c) != "Mn").lower()


# ---------------------------------------------------------------- sources


def load_wd(mirrors: Path) -> list[tuple[str, str, int]]:
    """(English word, Arabic word, count) pairs that pass the alignment filters."""
    text = git_show(mirrors, "WD", "data/wd_arabic.normalized.aligned.tokens")
    out = []
    for line in text.splitlines():
        cols = line.split("\t")
        if len(cols) != 3:
            continue
        en, ar, count = fold_en(cols[0]), clean_ar(cols[1].replace(" ", "")), int(cols[2])
        if count < MIN_PAIR or not _EN_WORD.match(en) or "'" in en or len(en) < 3:
            continue
        if not _AR_WORD.match(ar) or ar_letters(ar) < 3 or not first_sound_ok(en, ar):
            continue
        out.append((en, ar, count))
    return out


def load_ssa(mirrors: Path) -> Counter:
    births: Counter = Counter()
    for year in range(1880, 2011):
        text = git_show(mirrors, "SSA", f"datasets/babynames/yob{year}.txt")
        for line in text.splitlines():
            name, _sex, n = line.split(",")
            births[name] += int(n)
    return births


def load_census(mirrors: Path) -> list[str]:
    text = git_show(mirrors, "CEN", "data/surnames.csv").replace("\r", "\n")
    out = []
    for line in text.splitlines():
        cols = line.split(",")
        if len(cols) > 2 and cols[1].isdigit() and cols[0].isalpha():
            out.append(cols[0].capitalize())
    return out


def load_fw(mirrors: Path, lang: str) -> list[str]:
    text = git_show(mirrors, "FW", f"content/2018/{lang}/{lang}_50k.txt")
    return [line.split(" ")[0] for line in text.splitlines() if line.strip()]


def load_stopwords(mirrors: Path) -> tuple[list[str], list[str], list[str]]:
    iso = json.loads(git_show(mirrors, "ISO", "stopwords-iso.json"))
    mt = git_show(mirrors, "MT", "list.txt").splitlines()
    return iso["ar"], mt, iso["en"]


# ---------------------------------------------------------------- lists


def compounds(words: set[str]) -> set[str]:
    """Joined and split forms of compounds with عبد and أبو: عبدالرحمن <-> عبد الرحمن."""
    out = set(words)
    for w in words:
        for head in ("عبد", "أبو"):
            rest = w[len(head):]
            if w.startswith(head + " ") and " " not in w[len(head) + 1:]:
                out.add(head + w[len(head) + 1:])
            elif w.startswith(head + "ال") and len(rest) >= 4 and " " not in w:
                out.add(head + " " + rest)
    return out


def build(mirrors: Path) -> dict[str, str]:
    wd = load_wd(mirrors)
    ssa = load_ssa(mirrors)
    census = load_census(mirrors)
    iso_ar, mt_ar, iso_en = load_stopwords(mirrors)
    fw = {lang: load_fw(mirrors, lang) for lang in ("ar", "en")}
    scowl_lower = {w for w in SCOWL_PATH.read_text(encoding="utf-8").split() if w.islower()}

    # given names
    given_en = {n for n, b in ssa.items() if b >= MIN_SSA_BIRTHS and len(n) >= 3 and n.isalpha()}
    given_en_ar_ok = {n.lower() for n, b in ssa.items() if b >= MIN_SSA_BIRTHS_AR and len(n) >= 3}
    given_ar_count: Counter = Counter()
    for en, ar, count in wd:
        if en in given_en_ar_ok and " " not in ar and ar not in NAME_PARTICLES_AR:
            given_ar_count[ar] += count
    given_ar = compounds(set(given_ar_count))
    given_en_lower = {n.lower() for n in given_en} | given_en_ar_ok

    # surnames
    particles_en = NAME_PARTICLES_EN
    sur_en: dict[str, str] = {}
    for n in census:
        if len(n) >= 3:
            sur_en[n] = "CEN"
    sur_ar: set[str] = set()
    for en, ar, _count in wd:
        if en in given_en_lower or en in particles_en or ar in NAME_PARTICLES_AR:
            continue
        sur_en.setdefault(en.capitalize(), "WD")
        if " " not in ar:
            sur_ar.add(ar)
    sur_ar -= given_ar

    # Arabic has no case; a frequent given name is mainly a name when the frequency list does
    # not have it with the article (النور، الأمل، العمر are common words; المحمد is not).
    fw_ar_all = {clean_ar(w) for w in fw["ar"]}
    main_names_ar = {a for a, c in given_ar_count.items()
                     if c >= MAIN_NAME_AR and "ال" + a not in fw_ar_all}

    # function words
    fw_en_top = set(fw["en"][:FUNCTION_EN_TOP])
    func: dict[tuple[str, str], str] = {}
    for key, words in (("ISO", iso_ar), ("MT", mt_ar)):
        for w in words:
            w = clean_ar(w)
            if not _AR_WORD.match(w) or ar_letters(w) < 2 or w in NAME_PARTICLES_AR:
                continue
            if w in main_names_ar:
                continue  # e.g. علي listed for على: a name cut there would be wrong
            func.setdefault((w, "ar"), key)
    for w in iso_en:
        w = w.strip().lower()
        if not _EN_WORD.match(w) or w not in fw_en_top or w in particles_en:
            continue
        if len(w) < 2 and w not in ("a", "i"):
            continue
        func.setdefault((w, "en"), "ISO")
    func_words = {w for w, _ in func}

    # common words
    common: dict[tuple[str, str], str] = {}
    for w in fw["en"][:COMMON_TOP]:
        if not _EN_WORD.match(w) or len(w) < 2 or w in func_words or w in particles_en:
            continue
        if w not in scowl_lower:
            continue  # not a lower-case dictionary word: mainly a name (michael), or no word
        common[(w, "en")] = "FW"
    for w in fw["ar"][:COMMON_TOP]:
        w = clean_ar(w)
        if not _AR_WORD.match(w) or " " in w or ar_letters(w) < 2 or w in func_words:
            continue
        if w in NAME_PARTICLES_AR or w in main_names_ar or w.startswith("عبدال"):
            continue
        if (w in given_ar or w in sur_ar) and "ال" + w not in fw_ar_all:
            continue  # a name word that never takes the article: mainly a name
        common.setdefault((w, "ar"), "FW")

    rows = {
        "given_names": sorted(
            [(n, "en", "SSA") for n in given_en] + [(a, "ar", "WD") for a in given_ar],
            key=sort_key),
        "surnames": sorted(
            [(n, "en", k) for n, k in sur_en.items()] + [(a, "ar", "WD") for a in sur_ar],
            key=sort_key),
        "function_words": sorted([(w, l, k) for (w, l), k in func.items()], key=sort_key),
        "common_words": sorted([(w, l, k) for (w, l), k in common.items()], key=sort_key),
    }
    return {name: render(name, r) for name, r in rows.items()}


def sort_key(row: tuple[str, str, str]) -> tuple[str, str]:
    return (row[1], row[0])


SOURCE_LINES = {
    "WD": "English/Arabic name words aligned from the labels of Wikidata people (pairs seen >= 3 times), CC0 1.0, steveash/NETransliteration-COLING2018@{c}/data/wd_arabic.normalized.aligned.tokens",
    "SSA": "US Social Security Administration baby names 1880-2010 (>= 2,000 births), public domain, wesm/pydata-book@{c}/datasets/babynames/yob*.txt",
    "CEN": "US Census Bureau 2000 census, 1,000 most frequent surnames, public domain, paulhendricks/surnames@{c}/data/surnames.csv",
    "ISO": "stopwords-iso, MIT licence, stopwords-iso/stopwords-iso@{c}/stopwords-iso.json",
    "MT": "Arabic stop words by Mohamed Taher Alrefaie, MIT licence, mohataher/arabic-stop-words@{c}/list.txt",
    "FW": "OpenSubtitles 2018 word frequencies (20,000 most frequent per language), CC BY-SA 4.0, hermitdave/FrequencyWords@{c}/content/2018/{{ar,en}}/*_50k.txt",
}

DESCRIPTIONS = {
    "given_names": "Given names: English (US SSA baby names) and Arabic (the Arabic spelling of those names in the labels of Wikidata people; compounds with عبد / أبو joined and split).",
    "surnames": "Family names: English (US Census 2000 top 1,000) and the non-given-name words of the labels of Wikidata people, in English and in their Arabic spelling.",
    "function_words": "Function words (prepositions, conjunctions, pronouns, particles, auxiliaries, frequent verbs), name particles (أبو ابن بن آل عبد, al, bin, von ...) removed.",
    "common_words": "Frequent words that are not function words and not mainly names; a name that is also a common word (Will, Hope, أمل، نور) stays here so that it needs context. This file is CC BY-SA 4.0 (FW).",
}


def render(name: str, rows: list[tuple[str, str, str]]) -> str:
    keys = sorted({r[2] for r in rows})
    lines = [f"# {DESCRIPTIONS[name]}",
             "# Generated by scripts/words/gen_words.py; do not edit by hand."]
    for k in keys:
        lines.append(f"# source {k}: " + SOURCE_LINES[k].format(c=PINS[k][1][:12]))
    if name == "common_words":
        lines.append(f"# (English names told from common words with SCOWL, {SCOWL_VERSION}; consulted, not copied)")
    lines.append("word\tlang\tsource")
    seen = set()
    for w, lang, key in rows:
        if (w, lang) in seen:
            continue
        seen.add((w, lang))
        lines.append(f"{w}\t{lang}\t{key}")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    files = build(args.mirrors)
    OUT.mkdir(parents=True, exist_ok=True)
    bad = 0
    for name, text in files.items():
        path = OUT / f"{name}.tsv"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                print(f"{path.relative_to(ROOT)} is out of date", file=sys.stderr)
                bad = 1
            continue
        path.write_text(text, encoding="utf-8")
        counts = Counter(line.split("\t")[1] for line in text.splitlines()
                         if not line.startswith("#") and not line.startswith("word\t"))
        print(f"{path.relative_to(ROOT)}: {dict(sorted(counts.items()))}")
    return bad


if __name__ == "__main__":
    sys.exit(main())
