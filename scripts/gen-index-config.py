#!/usr/bin/env python3
"""Regenerates the generated parts of index-config/ from the lexicon folder.

Usage: scripts/gen-index-config.py [LEXICON_DIR]   (default ../shared/lexicon)

Writes countries.toml, ministries.toml, acronyms.toml, stopwords.txt and words.txt. topics.toml,
furniture.toml and glossary.toml are written by hand and left alone. Run it only to start over from the
sources; after that, index-config/ is edited by hand.
"""
import os
import sys

LEX = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "lexicon")
OUT = os.path.join(os.path.dirname(__file__), "..", "index-config")


def rows(path):
    with open(os.path.join(LEX, path), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            yield line.split("\t")


def split(cell):
    return [x.strip() for x in cell.split("|") if x.strip()]


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def lst(xs):
    return "[" + ", ".join(q(x) for x in xs) + "]"


def uniq(xs):
    seen, out = set(), []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


# Countries: merged ISO/CLDR names + curated aliases.
aliases = {r[0]: (split(r[1]), split(r[2]) if len(r) > 2 else []) for r in rows("curated/countries-aliases.tsv")}
# Official transliterations the press uses (Nhân Dân, QĐND style) that the curated list lacks.
HISTORICAL = [
    ("Liên Xô", "SU", ["Liên bang Xô viết", "Liên bang Xô-viết", "Soviet Union", "USSR"]),
    ("Nam Tư", "YU", ["Yugoslavia"]),
    ("Tiệp Khắc", "CS", ["Czechoslovakia"]),
    ("Đông Đức", "DD", ["Cộng hòa Dân chủ Đức", "East Germany"]),
]
EXTRA_ALIASES = {"LY": ["Li-bi"], "ML": ["Ma-li"], "SY": ["Xy-ri", "Xi-ri"], "JO": ["Gioóc-đa-ni"], "YE": ["Y-ê-men"], "LB": ["Liban"]}
with open(os.path.join(OUT, "countries.toml"), "w", encoding="utf-8") as f:
    f.write("""# Countries: the canonical Vietnamese name and every alias that names the country in text or queries.
# Source: ../lexicon/curated/countries.merged.tsv (i18n-iso-countries MIT + CLDR Unicode-3.0 + CC0 aliases);
# see SOURCES.md. Edit freely; `hoptac index` picks changes up.
#
# Matching (indexer/src/extract/country.rs): aliases are matched on normalised syllables and are
# case-sensitive on the first letter, so `Pháp` (France) is not `pháp luật` (law); a single-syllable alias
# next to another capitalised word (a person's name such as `Mạnh Đức`) does not count; aliases listed
# in `needs_cue` count only after one of the `cues` (`nước Anh`, not `anh Tuấn`).
# `acronym_aliases` are matched only as whole upper-case tokens (`USA`, `UAE`).

cues = ["nước", "Vương quốc", "Chính phủ", "Thủ tướng", "Đại sứ", "Đại sứ quán", "Nữ hoàng", "Hoàng gia", "phía", "thăm", "sang", "tại", "với", "và", "của", "người", "Bộ Ngoại giao", "Tổng thống", "giới chức", "cảnh sát"]
needs_cue = ["Anh", "Ý", "Nhật", "Mã Lai", "Nam Dương", "Trung Hoa"]
# The corpus's own country: one side of nearly every story, so search does not demand it (see
# crates/search/src/coverage.rs).
home = "Việt Nam"
# A country mentioned once in the body still counts when an `actor_cues` word comes right before it
# (`Tổng thống Ai Cập`, `người đồng cấp Pháp`): it acts in the story rather than being listed.
actor_cues = ["Tổng thống", "Thủ tướng", "Chủ tịch", "Chủ tịch nước", "Quốc vương", "Nhà vua", "Nữ hoàng", "đồng cấp", "Chính phủ", "Bộ Ngoại giao", "Ngoại trưởng", "Bộ trưởng Ngoại giao", "Bộ trưởng Quốc phòng", "Đại sứ", "Đại sứ quán", "phía", "đoàn", "lãnh đạo", "quân đội", "Quốc hội", "giới chức", "cảnh sát"]
# Names that contain a country's name but are something else: an ocean, a region.
not_countries = ["Ấn Độ Dương", "Ấn Độ Dương-Thái Bình Dương", "Ấn Độ-Thái Bình Dương", "Ấn Độ - Thái Bình Dương", "Mỹ Latinh", "Mỹ La-tinh"]

""")
    for r in rows("curated/countries.merged.tsv"):
        code, vi, en = r[0], split(r[3]), split(r[4]) if len(r) > 4 else []
        extra_vi, extra_en = aliases.get(code, ([], []))
        names = uniq(extra_vi + vi) if extra_vi else vi
        if not names:
            continue
        # The facet value is the name the press uses: not an official hyphenated transliteration
        # (`Hung-ga-ri`) nor a formal long form (`Vương quốc Anh`, `Cộng hòa Pháp`).
        plain = [n for n in names if "-" not in n and not n.lower().startswith(("cộng hòa", "cộng hoà", "vương quốc", "liên bang", "hợp chủng quốc"))]
        canonical = plain[0] if plain else names[0]
        other = uniq([n for n in names if n != canonical] + EXTRA_ALIASES.get(code, []) + en + extra_en)
        acr = [a for a in other if a.replace(".", "").isupper() and len(a.replace(".", "")) <= 4]
        other = [a for a in other if a not in acr and a.lower() != canonical.lower()]
        f.write("[[country]]\n")
        f.write(f"name = {q(canonical)}\ncode = {q(code)}\n")
        f.write(f"aliases = {lst(other)}\n")
        if acr:
            f.write(f"acronym_aliases = {lst(acr)}\n")
        f.write("\n")
    # Former states that history articles name as actors; ISO 3166-1 lists current countries only.
    f.write("# Former states (ISO 3166-3), for history articles.\n\n")
    for name, code, al in HISTORICAL:
        f.write(f"[[country]]\nname = {q(name)}\ncode = {q(code)}\naliases = {lst(al)}\n\n")

# Ministries.
# Spellings the press uses that the curated list lacks (each seen dozens of times in the corpus).
EXTRA_MINISTRY_ALIASES = {"Bộ Văn hóa, Thể thao và Du lịch": ["Bộ VHTT&DL", "Bộ VH-TT-DL", "Bộ VH,TT&DL"]}
SKIP_ACRONYMS = {"MOD", "MOT", "MOC", "GI", "GO", "MND", "OOG", "MAE"}
with open(os.path.join(OUT, "ministries.toml"), "w", encoding="utf-8") as f:
    f.write("""# Ministries and ministerial-level agencies: canonical name, aliases, and acronyms.
# Source: ../lexicon/curated/ministries.tsv (CC0, hand-compiled; not verified against an official
# source) plus a few foreign ministries that press releases name often. See SOURCES.md.
#
# `aliases` are matched on normalised syllables (case- and tone-placement-insensitive, diacritics kept);
# `acronyms` only as whole tokens written exactly so (`MIC`, `MOPAS`). A Vietnamese ministry name
# directly followed by a foreign country (`Bộ Ngoại giao Nhật Bản`) is that country's ministry, named
# `Bộ Ngoại giao (Nhật Bản)` — see indexer/src/extract/ministry.rs.

""")
    for r in rows("curated/ministries.tsv"):
        name, short, en, en_acr = r[0], split(r[1]), r[2], split(r[3])
        al = [s for s in short if " " in s or s.startswith("Bộ")]
        al = uniq(al + [en] + EXTRA_MINISTRY_ALIASES.get(name, []))
        acr = [a for a in en_acr if a not in SKIP_ACRONYMS and len(a) >= 3]
        acr += [s for s in short if " " not in s and not s.startswith("Bộ") and s.isupper() and len(s) >= 4]
        f.write("[[ministry]]\n")
        f.write(f"name = {q(name)}\ncountry = \"Việt Nam\"\naliases = {lst(al)}\nacronyms = {lst(uniq(acr))}\n\n")
    foreign = [
        ("Bộ Hành chính và An ninh công cộng", "Hàn Quốc", ["Bộ Hành chính và An ninh Công cộng", "Ministry of Public Administration and Security"], ["MOPAS"]),
        ("Bộ An ninh và Nội vụ", "Hàn Quốc", ["Ministry of the Interior and Safety"], ["MOIS"]),
        ("Bộ Khoa học và ICT", "Hàn Quốc", ["Bộ Khoa học Công nghệ, Truyền thông", "Bộ Khoa học, Công nghệ và Truyền thông", "Ministry of Science and ICT"], ["MSIT"]),
        ("Bộ Phát triển quốc gia", "Hungary", ["Bộ Phát triển Hungary", "Ministry of National Development"], []),
        ("Bộ Nội vụ và Truyền thông", "Nhật Bản", ["Ministry of Internal Affairs and Communications"], ["MIC Japan"]),
    ]
    f.write("# Foreign ministries named with their own acronyms.\n\n")
    for name, country, al, acr in foreign:
        f.write(f"[[ministry]]\nname = {q(name)}\ncountry = {q(country)}\naliases = {lst(al)}\nacronyms = {lst(acr)}\n\n")

# Acronyms. Short forms with another common meaning in news text are marked ambiguous: they are not
# expanded, and not offered as alternatives of their expansion.
AMBIGUOUS = {"CQĐT"}

# Acronyms.
with open(os.path.join(OUT, "acronyms.toml"), "w", encoding="utf-8") as f:
    f.write("""# Acronyms and their expansions; a query for one finds the other (ATTT <-> an toàn thông tin).
# Source: ../lexicon/curated/acronyms.tsv (CC0, hand-compiled). See SOURCES.md.
# `variants` are other spellings of the acronym; `english` are English expansions, so an English
# query (`information security`) reaches the Vietnamese documents too.

""")
    for r in rows("curated/acronyms.tsv"):
        acr, var, vi = r[0], split(r[1]), split(r[2])
        en = [e.split(" (")[0].strip() for e in split(r[3])] if len(r) > 3 else []
        f.write(f"[[acronym]]\nacronym = {q(acr)}\nvariants = {lst(var)}\nexpansions = {lst(vi)}\nenglish = {lst(en)}\n")
        # CQĐT is far more often `cơ quan điều tra` (investigators) than `chính quyền điện tử` in news.
        if (len(r) > 4 and "ambiguous" in r[4]) or acr in AMBIGUOUS:
            f.write("ambiguous = true\n")
        f.write("\n")

# International organisations and agreements: their acronyms expand like any other.
EXTRA_ORGS = [
    # (acronym, Vietnamese name, English name): trade agreements the press names by acronym.
    ("TPP", "Hiệp định Đối tác xuyên Thái Bình Dương", "Trans-Pacific Partnership"),
    ("RCEP", "Hiệp định Đối tác Kinh tế Toàn diện Khu vực", "Regional Comprehensive Economic Partnership"),
    ("EVFTA", "Hiệp định Thương mại tự do Việt Nam - EU", "EU-Vietnam Free Trade Agreement"),
    ("EVIPA", "Hiệp định Bảo hộ đầu tư Việt Nam - EU", "EU-Vietnam Investment Protection Agreement"),
    ("AEC", "Cộng đồng Kinh tế ASEAN", "ASEAN Economic Community"),
    ("EU", "Liên minh châu Âu", "European Union"),
    ("UN", "Liên hợp quốc", "United Nations"),
]
with open(os.path.join(OUT, "acronyms.toml"), "a", encoding="utf-8") as f:
    f.write("# International organisations and agreements (curated/organisations.tsv, CC0, plus a few trade\n")
    f.write("# agreements added by hand).\n\n")
    known = {r[0] for r in rows("curated/acronyms.tsv")}
    orgs = [(r[0], split(r[1]), split(r[2]) if len(r) > 2 else []) for r in rows("curated/organisations.tsv")]
    orgs += [(a, [vi], [en]) for a, vi, en in EXTRA_ORGS]
    for acr, vi, en in orgs:
        if acr in known or not vi:
            continue
        known.add(acr)
        f.write(f"[[acronym]]\nacronym = {q(acr)}\nvariants = []\nexpansions = {lst(vi)}\nenglish = {lst(en)}\n\n")

# Stop words.
with open(os.path.join(LEX, "stopwords/stopwords-core.vi.txt"), encoding="utf-8") as src, open(os.path.join(OUT, "stopwords.txt"), "w", encoding="utf-8") as f:
    f.write("# Vietnamese function words, ignored as single query terms (never at indexing, never inside phrases).\n")
    f.write("# Source: ../lexicon/stopwords/stopwords-core.vi.txt (MIT/CC0). See SOURCES.md.\n")
    for line in src:
        if line.strip() and not line.startswith("#"):
            f.write(line.strip() + "\n")

# Segmentation word list.
words = []
with open(os.path.join(LEX, "pyvi-words/words.txt"), encoding="utf-8") as src:
    words += [w.strip() for w in src if " " in w.strip()]
with open(os.path.join(LEX, "curated/domain-terms.txt"), encoding="utf-8") as src:
    words += [w.strip() for w in src if " " in w.strip() and not w.startswith("#")]
words = sorted(set(w.lower() for w in words))
with open(os.path.join(OUT, "words.txt"), "w", encoding="utf-8") as f:
    f.write("# Multi-syllable Vietnamese words for segmentation, one per line.\n")
    f.write("# Source: ../lexicon/pyvi-words/words.txt (MIT) + ../lexicon/curated/domain-terms.txt (CC0). See SOURCES.md.\n")
    for w in words:
        f.write(w + "\n")
print("ok", len(words), "words")
