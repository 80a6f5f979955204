#!/usr/bin/env python3
"""Build screening test pairs (pairs.csv) for the dualuse name matcher.

Inputs
  bis_entity_list.json (argument)   US Entity List, 2026-07-09 extraction (the shared reference)
                                                      (phagehunter/nsfreg@02787e87, data f77a4b98)
  src/dualuse/lists/data/native_names.yaml           hand-curated, sourced native-script names
  negatives_curated.py                                hand-curated real, unlisted companies

Output
  pairs.csv  columns: query,query_country,expected_entry,expected_country,category,how

Categories
  latin_variant  mechanical variants of real list names/aliases (seeded, reproducible)
  hans / hant    simplified / traditional Chinese names from native_names.yaml + variants
  hang           Hangul press renderings from native_names.yaml + spacing variants
  negative       real companies not on the list (checked against every name and alias)

Run:  python3 make_pairs.py PATH/TO/bis_entity_list.json   (needs PyYAML and opencc-python-reimplemented or opencc)
The script is deterministic: SEED fixes every random choice, and rows are emitted in a fixed order.
"""
import csv
import json
import random
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import yaml

try:
    import opencc
except ImportError:  # pragma: no cover
    sys.exit("pip install opencc-python-reimplemented")

HERE = Path(__file__).resolve().parent
LIST_JSON = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "bis_entity_list.json"
NATIVE_YAML = HERE.parent.parent / "src/dualuse/lists/data/native_names.yaml"
OUT_CSV = HERE / "pairs.csv"
SEED = 20260709

sys.path.insert(0, str(HERE))
from negatives_curated import NEGATIVES  # noqa: E402

S2TW = opencc.OpenCC("s2tw")   # character-level conversion only (no TW vocabulary like 積體電路)
T2S = opencc.OpenCC("t2s")

# ---------------------------------------------------------------- normalisation helpers
LEGAL_FORMS = [
    "co., ltd.", "co., ltd", "co ltd", "co. ltd.", "co. ltd", "co., limited", "company limited",
    "company, limited", "corporation limited", "corp. ltd.", "limited", "ltd.", "ltd", "corporation",
    "corp.", "corp", "inc.", "inc", "pte. ltd.", "pte ltd", "private limited", "company", "co.",
    "llc", "group co., ltd.", "s.a.l.",
]
LEGAL_RE = re.compile(
    r"\b(?:co\.?,?\s*ltd\.?|co\.?,?\s*limited|company,?\s+limited|corporation\s+limited|corp\.?\s*ltd\.?|"
    r"pte\.?\s*ltd\.?|private\s+limited|limited|ltd\.?|corporation|corp\.?|inc\.?|company|co\.?)(?=\W|$)",
    re.I,
)
TRAILING_LEGAL_RE = re.compile(
    r"[\s,]*\b(?:co\.?,?\s*ltd\.?|co\.?,?\s*limited|company,?\s+limited|corporation\s+limited|corp\.?\s*ltd\.?|"
    r"pte\.?\s*ltd\.?|private\s+limited|limited|ltd\.?|corporation|corp\.?|inc\.?|company|co\.)\s*$",
    re.I,
)
CN_LEGAL_RE = re.compile(r"(股份有限公司|有限责任公司|有限責任公司|有限公司|集团|集團)$")


def norm(s: str) -> str:
    """Case/punctuation/space-insensitive key (NFKC, so full-width brackets fold too)."""
    s = unicodedata.normalize("NFKC", s).lower()
    return re.sub(r"[\W_]+", "", s)


def core(s: str) -> str:
    """norm() after removing Latin legal forms and a trailing Chinese legal form."""
    s = unicodedata.normalize("NFKC", s)
    s = LEGAL_RE.sub(" ", s)
    s = CN_LEGAL_RE.sub("", s.strip())
    return norm(s)


CITIES = [
    "Beijing", "Shanghai", "Shenzhen", "Guangzhou", "Hangzhou", "Tianjin", "Wuhan", "Chengdu", "Nanjing",
    "Suzhou", "Wuxi", "Hefei", "Xi'an", "Xiamen", "Qingdao", "Shenyang", "Zhuhai", "Dongguan", "Kunshan",
    "Jinan", "Changsha", "Zhengzhou", "Dalian", "Guiyang", "Haining", "Jiangyin", "Ningbo", "Chongqing",
    "Hong Kong", "HK", "Xiong'an", "Taiyuan", "Changzhou", "Jinjiang",
]
CITY_RE = re.compile(r"\b(" + "|".join(re.escape(c) for c in CITIES) + r")\b")

CN_CITY_PREFIXES = ["北京市", "上海市", "深圳市", "天津市", "北京", "上海", "深圳", "杭州", "天津", "武汉", "沈阳",
                    "成都", "合肥", "无锡", "青岛", "浙江", "福建省", "福建", "苏州", "南京", "西安", "廣州", "广州"]

# Which list entries to vary: China/HK/Singapore/Taiwan entries in AI, semiconductors, computing, supercomputing.
TOPIC = [
    "huawei", "hisilicon", "haisi", "smic", "semiconductor", "integrated circuit", "microelectron", "chip",
    "cambricon", "biren", "moore thread", "sophgo", "suanneng", "zhipu", "inspur", "sugon", "dawning",
    "hygon", "higon", "haiguang", "phytium", "sunway", "jiangnan", "supercomput", "computing", "naura",
    "piotech", "sicarrier", "xinkailai", "iflytek", "sensetime", "megvii", "hikvision", "hikmicro", "dahua",
    "yitu", "cloudwalk", "loongson", "kingsemi", "xinyuan", "jinhua", "intellifusion", "deepglint",
    "yangtze memory", "skyverse", "empyrean", "huada jiutian", "kaishitong", "fudan micro", "hwa tsing",
    "quantum", "artificial intelligence", "beijing academy of artificial", "keda", "acm research",
    "shengmei", "sevenstar", "zhichun", "core storage", "memory", "xinsheng", "zhongke",
]


def topical(entity: dict) -> bool:
    if entity["country"] not in ("China", "Singapore", "Taiwan"):
        return False
    text = (entity["name"] + " " + " ".join(entity.get("aliases") or [])).lower()
    return any(k in text for k in TOPIC)


# ---------------------------------------------------------------- Latin variant generators
LEGAL_SWAPS = [
    (r"Pte\. Ltd\.$", ["Pte Ltd", "Private Limited"]),
    (r"Co\., Ltd\.?$", ["Company Limited", "Co Ltd", "Co. Ltd", "Co., Limited", "Limited"]),
    (r"Co\., Limited$", ["Co., Ltd.", "Company Limited", "Co Ltd"]),
    (r"Company Limited$", ["Co., Ltd.", "Co Ltd", "Limited"]),
    (r"Corporation Limited$", ["Corp. Ltd.", "Corporation Ltd", "Co., Ltd."]),
    (r"Co\., Ltd$", ["Co., Ltd.", "Company Limited"]),
    (r"Corporation$", ["Corp.", "Corp", "Co., Ltd."]),
    (r"Limited$", ["Ltd.", "Ltd"]),
    (r"Ltd\.$", ["Limited", "Ltd"]),
    (r"Co\.$", ["Co., Ltd.", "Company"]),
]


def v_legal(name, rng):
    out = []
    for pat, repls in LEGAL_SWAPS:
        m = re.search(pat, name)
        if m:
            r = rng.choice(repls)
            out.append((name[: m.start()] + r, f"legal form '{m.group(0)}'->'{r}'"))
            break
    # legal form dropped entirely (very common in free-text counterparty fields)
    # only TRAILING legal forms are dropped ("... Group Corporation 13th Research Institute" keeps its words)
    stripped = name
    while True:
        s2 = TRAILING_LEGAL_RE.sub("", stripped).strip(" ,")
        if s2 == stripped:
            break
        stripped = s2
    stripped = re.sub(r"\s{2,}", " ", stripped)
    if stripped and stripped != name and len(stripped.split()) >= 2:
        out.append((stripped, "legal form dropped"))
    return out


def v_word_order(name):
    """'X (City) Rest' <-> 'City X Rest'."""
    m = re.match(r"^(.*?)\s*\(([^()]+)\)\s*(.*)$", name)
    if m and m.group(2) in CITIES:
        x, city, rest = m.group(1).strip(), m.group(2), m.group(3).strip()
        return [(f"{city} {x} {rest}".strip(), f"word order: '({city})' moved to front")]
    m = re.match(r"^(" + "|".join(re.escape(c) for c in CITIES) + r")\s+(.+?)\s+((?:Co\.|Company|Corporation|Limited|Ltd).*)$", name)
    if m and "(" not in name:
        city, x, rest = m.groups()
        return [(f"{x} ({city}) {rest}", f"word order: leading '{city}' moved into brackets")]
    return []


def v_punct(name, rng):
    choices = []
    choices.append((name.upper(), "case: upper-cased"))
    p = re.sub(r"[.,()'’]", "", name)
    p = re.sub(r"\s{2,}", " ", p).strip()
    if p != name:
        choices.append((p, "punctuation removed"))
    if ", " in name:
        choices.append((name.replace(", ", ","), "spacing: space after comma removed"))
    if "&" in name:
        choices.append((name.replace("&", "and"), "punctuation: '&'->'and'"))
    if " and " in name:
        choices.append((name.replace(" and ", " & "), "punctuation: 'and'->'&'"))
    choices.append((name.lower(), "case: lower-cased"))
    rng.shuffle(choices)
    return choices[:2]


def v_city(entity, name, rng):
    out = []
    m = CITY_RE.search(name)
    if m:
        dropped = (name[: m.start()] + name[m.end():])
        dropped = re.sub(r"\(\s*\)", "", dropped)
        dropped = re.sub(r"\s{2,}", " ", dropped).strip(" ,")
        if len(dropped.split()) >= 2:
            out.append((dropped, f"city/region '{m.group(0)}' dropped"))
    else:
        addr = entity.get("address") or ""
        am = CITY_RE.search(addr)
        if am and am.group(0) not in ("HK",):
            out.append((f"{am.group(0)} {name}", f"city '{am.group(0)}' (from JSON address) added in front"))
    return out


def v_typo(name, rng):
    generic = {"technology", "technologies", "information", "limited", "corporation", "company",
               "electronic", "electronics", "equipment", "international", "development", "industry",
               "research", "institute", "semiconductor", "semiconductors", "microelectronics",
               "integrated", "circuit", "intelligent", "intelligence", "manufacturing", "computing",
               "national", "laboratory", "science", "sciences", "academy", "chinese", "center", "centre",
               "digital", "investment", "software", "services", "service", "holdings", "material",
               "materials", "precision", "optoelectronic", "supercomputing"}
    generic |= {c.lower().replace("'", "") for c in CITIES}
    alltoks = re.findall(r"[A-Za-z]{6,}", name)
    toks = [t for t in alltoks if t.lower() not in generic] or alltoks
    if not toks:
        return []
    tok = max(toks, key=len)
    i = rng.randrange(1, len(tok) - 2)
    if rng.random() < 0.5:
        t2 = tok[:i] + tok[i + 1] + tok[i] + tok[i + 2:]
        how = f"typo: transposed '{tok[i]}{tok[i+1]}' in '{tok}'"
    else:
        t2 = tok[:i] + tok[i + 1:]
        how = f"typo: dropped '{tok[i]}' in '{tok}'"
    if t2 == tok:
        return []
    return [(name.replace(tok, t2, 1), how)]


# ---------------------------------------------------------------- main
def main():
    rng = random.Random(SEED)
    data = json.loads(LIST_JSON.read_text())
    ents = data["entities"]
    assert data["count"] == len(ents) == 3409

    # index of every name/alias -> set of entity indices (by norm and by core)
    by_norm, by_core, by_citycore = defaultdict(set), defaultdict(set), defaultdict(set)
    for i, e in enumerate(ents):
        for n in [e["name"]] + list(e.get("aliases") or []):
            by_norm[norm(n)].add(i)
            c = core(n)
            if c:
                by_core[c].add(i)
            cc = core(CITY_RE.sub(" ", n))
            if cc:
                by_citycore[cc].add(i)
    # entity identity for expected_entry: (name, country) -- a few names repeat across countries
    name_country_idx = defaultdict(set)
    for i, e in enumerate(ents):
        name_country_idx[e["name"]].add(i)

    def same_name(i):
        return {j for j in name_country_idx[ents[i]["name"]]}

    def unambiguous(query, i):
        """query must not (after normalisation) equal a name/alias of an entity with a different name."""
        own = same_name(i)
        # also compare with cities stripped: 'Skyverse Technology Co., Ltd.' must not be generated from
        # 'Zhuhai Skyverse Technology Co., Ltd.' while Beijing/Chengdu/Xiamen Skyverse Technology exist
        for key, index in ((norm(query), by_norm), (core(query), by_core),
                           (core(CITY_RE.sub(" ", query)), by_citycore)):
            hit = index.get(key, set())
            if hit - own:
                return False
        return True

    rows, seen = [], set()

    def add(query, qc, entry, ec, cat, how):
        key = query  # one row per distinct query string (first, i.e. best-labelled, wins)
        if not query or key in seen:
            return False
        seen.add(key)
        rows.append({"query": query, "query_country": qc, "expected_entry": entry,
                     "expected_country": ec, "category": cat, "how": how})
        return True

    # ---------------- latin_variant ----------------
    native = yaml.safe_load(NATIVE_YAML.read_text())
    native_entries = {x["entry_name"] for x in native}
    targets = [i for i, e in enumerate(ents) if topical(e) or e["name"] in native_entries]
    # aliases shared by >1 distinct entry name are ambiguous -> not used
    alias_owner = defaultdict(set)
    for i in targets:
        for a in ents[i].get("aliases") or []:
            alias_owner[norm(a)].add(ents[i]["name"])
    latin_count = 0
    for i in targets:
        e = ents[i]
        name, ctry = e["name"], e["country"]
        dup = [ents[j]["country"] for j in same_name(i) if j != i]
        dup_note = f"; same name also listed under {', '.join(sorted(set(dup)))}" if dup else ""
        cands = []
        cands += v_legal(name, rng)
        cands += v_word_order(name)
        cands += v_punct(name, rng)[:1]
        cands += v_city(e, name, rng)
        cands += v_typo(name, rng)
        for a in (e.get("aliases") or [])[:4]:
            if len(alias_owner[norm(a)]) == 1 and len(a) >= 4 and norm(a) != norm(name):
                cands.append((a, "alias from JSON"))
                # a legal-form variant of the alias, when it has one
                for q, how in v_legal(a, rng)[:1]:
                    cands.append((q, "alias from JSON + " + how))
        kept = []
        for q, how in cands:
            q = re.sub(r"\s{2,}", " ", q).strip()
            if norm(q) == norm(name) and how not in ("case: upper-cased", "case: lower-cased") and not how.startswith(("punctuation", "spacing")):
                continue  # no visible change
            if q == name:
                continue
            if not unambiguous(q, i):
                continue
            kept.append((q, how))
        # cap: keep at most 2 alias-based rows and 4 others per entity (seeded choice)
        al = [c for c in kept if c[1].startswith("alias")][:2]
        ot = [c for c in kept if not c[1].startswith("alias")]
        if len(ot) > 4:
            ot = rng.sample(ot, 4)
        for q, how in al + ot:
            if add(q, ctry, name, ctry, "latin_variant", how + dup_note):
                latin_count += 1

    # ---------------- native scripts ----------------
    # map every native name -> set of entries, to keep variants unambiguous across entries
    native_owner = defaultdict(set)
    for x in native:
        for n in x["names"]:
            native_owner[norm(n["name"])].add(x["entry_name"])

    def native_ok(q, entry):
        return native_owner.get(norm(q), {entry}) <= {entry}

    def country_of(entry_name):
        return next(ents[j]["country"] for j in name_country_idx[entry_name])

    for x in native:
        entry = x["entry_name"]
        sourced_here = {n["name"] for n in x["names"] if "(derived)" not in n["source"]}
        ec = country_of(entry)
        hk = any("Hong Kong" in (ents[j].get("address") or "") for j in name_country_idx[entry])
        qc = "Hong Kong" if hk else ec
        for n in x["names"]:
            script, q, src = n["script"], n["name"], n["source"]
            derived = "(derived)" in src
            if script == "hang":
                add(q, "Korea", entry, ec, "hang", "hang from native_names source (Korean press rendering)")
                if " " in q:
                    q2 = q.replace(" ", "")
                    if native_ok(q2, entry):
                        add(q2, "Korea", entry, ec, "hang", "spacing: spaces removed from sourced Hangul")
                else:
                    q2 = re.sub(r"(?<=\S)(테크놀로지|마이크로일렉트로닉스|메모리|반도체|기술|전자)", r" \1", q, count=1)
                    if q2 != q and native_ok(q2, entry):
                        add(q2, "Korea", entry, ec, "hang", "spacing: space inserted before generic word of sourced Hangul")
                continue
            how0 = f"{script} from native_names source" + (" (OpenCC-derived, not seen in a source)" if derived else "")
            add(q, qc, entry, ec, script, how0)
            # cross-script conversion of sourced names
            if script == "hans" and not derived:
                t = S2TW.convert(q)
                if t != q and t not in sourced_here and native_ok(t, entry):
                    add(t, qc, entry, ec, "hant", "OpenCC s2tw of sourced hans name (derived)")
            if script == "hant" and not derived:
                s = T2S.convert(q)
                if s != q and s not in sourced_here and native_ok(s, entry):
                    add(s, qc, entry, ec, "hans", "OpenCC t2s of sourced hant name (derived)")
            # bracket width
            if "(" in q or "（" in q:
                q2 = q.replace("(", "（").replace(")", "）") if "(" in q else q.replace("（", "(").replace("）", ")")
                add(q2, qc, entry, ec, script, "brackets: half-width <-> full-width")
            # legal form
            if q.endswith("股份有限公司"):
                add(q[:-6] + "有限公司", qc, entry, ec, script, "legal form 股份有限公司->有限公司 (pre-conversion style)")
            elif q.endswith(("有限责任公司", "有限責任公司")):
                add(q[:-6] + "有限公司", qc, entry, ec, script, "legal form 有限责任公司->有限公司")
            elif q.endswith("有限公司") and not derived:
                alt = "股份有限公司"
                add(q[:-4] + alt, qc, entry, ec, script, "legal form 有限公司->股份有限公司")
            elif len(q) >= 4 and not re.search(r"(公司|中心|研究所|研究院|集团|集團)$", q) and not derived:
                add(q + "有限公司", qc, entry, ec, script, "legal form 有限公司 appended to sourced short name")
            # city prefix dropped
            for p in CN_CITY_PREFIXES:
                if q.startswith(p) and len(q) - len(p) >= 6:
                    rest = q[len(p):]
                    clash = any(norm(rest) in norm(m["name"]) and y["entry_name"] != entry
                                for y in native for m in y["names"])
                    if not clash and native_ok(rest, entry):
                        add(rest, qc, entry, ec, script, f"city prefix '{p}' dropped")
                    break

    # ---------------- negatives ----------------
    native_norms = set(native_owner)
    neg_count = 0
    for q, qc, src, note in NEGATIVES:
        k, c = norm(q), core(q)
        if k in by_norm or (c and c in by_core) or k in native_norms:
            hits = {ents[j]["name"] for j in by_norm.get(k, set()) | by_core.get(c, set())}
            sys.exit(f"NEGATIVE HITS THE LIST: {q!r} -> {hits or 'native name'}")
        how = (f"negative: real company, source {src}; not on list (checked: no normalised or "
               f"legal-form-stripped match among 3,409 names/aliases or positive native names)")
        if note:
            how += f"; {note}"
        if add(q, qc, "", "", "negative", how):
            neg_count += 1

    with OUT_CSV.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["query", "query_country", "expected_entry", "expected_country",
                                           "category", "how"])
        w.writeheader()
        w.writerows(rows)

    from collections import Counter
    cnt = Counter(r["category"] for r in rows)
    print(f"wrote {len(rows)} rows to {OUT_CSV}")
    for k in ("latin_variant", "hans", "hant", "hang", "negative"):
        print(f"  {k:14s} {cnt[k]}")
    print(f"  target entities for latin variants: {len(targets)}")


if __name__ == "__main__":
    main()
