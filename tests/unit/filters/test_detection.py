"""Table-driven detection: evasions caught, boundary traps passed, severities, spans."""

from __future__ import annotations

import pytest

from filters import Hit, Screener, Term, Verdict

# (draft, term, severity, found_by, the original stretch the hit must span)
CAUGHT = [
    ("本文件绝密，请妥善保管", "绝密", "block", "exact", "绝密"),
    ("请代 开-发*票，价格优惠", "代开发票", "block", "normalised", "代 开-发*票"),
    ("严禁赌\u200b博", "赌博", "warn", "normalised", "赌\u200b博"),
    ("欢迎约🔥炮", "约炮", "block", "normalised", "约🔥炮"),
    ("约👨\u200d👩\u200d👧炮", "约炮", "block", "normalised", "约👨\u200d👩\u200d👧炮"),
    ("这是機密文件", "机密文件", "block", "normalised", "機密文件"),
    ("提供代開發票服務", "代开发票", "block", "normalised", "代開發票"),
    ("请加ＶＸ：abc123", "加vx", "warn", "normalised", "加ＶＸ"),
    ("请加VX：abc123", "加vx", "warn", "normalised", "加VX"),
    ("内部·资料", "内部资料", "block", "normalised", "内部·资料"),
    ("兼 職·刷單，日结", "兼职刷单", "warn", "normalised", "兼 職·刷單"),
    ("约\u3000炮", "约炮", "block", "normalised", "约\u3000炮"),
    ("约\ufe0f炮", "约炮", "block", "normalised", "约\ufe0f炮"),
    ("约\u0301炮", "约炮", "block", "normalised", "约\u0301炮"),
    ("约\u200f炮", "约炮", "block", "normalised", "约\u200f炮"),
    ("约\u2060炮", "约炮", "block", "normalised", "约\u2060炮"),
    ("约\u3164炮", "约炮", "block", "normalised", "约\u3164炮"),
    ("⽹络赌博", "网络赌博", "warn", "normalised", "⽹络赌博"),
    ("网络赌博平台", "网络赌博", "warn", "exact", "网络赌博"),
    ("内部资料，不得外传", "不得外传", "block", "exact", "不得外传"),
    ("去日本旅游", "日本", "block", "exact", "日本"),
    ("反对台独", "台独", "block", "exact", "台独"),
    ("城管执法", "城管", "warn", "exact", "城管"),
    ("加 qq 12345", "qq", "block", "exact", "qq"),
    ("加ＱＱ：12345", "qq", "block", "normalised", "ＱＱ"),
    # a word of its own inside a longer word (its head): keeps its severity
    ("台独分子", "台独", "block", "exact", "台独"),
    # glued inside a longer Latin word: downgraded to warn
    ("qqmusic", "qq", "warn", "exact", "qq"),
    # pinyin and initials, always warn
    ("一起来玩dubo吧", "赌博", "warn", "pinyin", "dubo"),
    ("一起来玩DUBO吧", "赌博", "warn", "pinyin", "DUBO"),
    ("一起来玩 dǔ bó 吧", "赌博", "warn", "pinyin", "dǔ bó"),
    ("一起 d.u.b.o", "赌博", "warn", "pinyin", "d.u.b.o"),
    ("联系 dkfp", "代开发票", "warn", "pinyin", "dkfp"),
    ("联系 D K F P", "代开发票", "warn", "pinyin", "D K F P"),
    ("是 𝐝𝐮𝐛𝐨 吗", "赌博", "warn", "pinyin", "𝐝𝐮𝐛𝐨"),
]

# Drafts that contain a term's characters across a word edge, or nothing at all.
PASSED = [
    "今日本店开业，欢迎光临",
    "我在讲台独自发言",
    "长城管理处发布通知",
    "他用手机密码登录",
    "我们拒绝密切接触",
    "飞机密封性能良好",
    "学生会将于本周五举办迎新晚会，欢迎同学们踊跃参加。",
    "",
    "dubois",  # pinyin must be a whole piece, not part of an English word
    "the and you",  # three-letter initials with vowels are not used
]


def _hit_for(verdict: Verdict, term: str, found_by: str) -> Hit:
    matching = [h for h in verdict.hits if h.term == term and h.found_by == found_by]
    assert matching, f"{term!r} ({found_by}) not among {verdict.hits}"
    return matching[0]


@pytest.mark.parametrize(("text", "term", "severity", "found_by", "stretch"), CAUGHT)
def test_caught(
    screener: Screener, text: str, term: str, severity: str, found_by: str, stretch: str
) -> None:
    verdict = screener.screen(text)
    hit = _hit_for(verdict, term, found_by)
    assert hit.severity == severity
    assert text[hit.start : hit.end] == stretch
    assert verdict.verdict in ("block", "warn")


@pytest.mark.parametrize("text", PASSED)
def test_passed(screener: Screener, text: str) -> None:
    assert screener.screen(text) == Verdict("pass", ())


def test_verdict_is_the_worst_severity(screener: Screener) -> None:
    assert screener.screen("严禁赌博").verdict == "warn"
    assert screener.screen("严禁赌博，本文件绝密").verdict == "block"
    assert screener.screen("天气很好").verdict == "pass"


def test_hits_are_sorted_and_every_span_indexes_the_original(screener: Screener) -> None:
    text = "绝密：请代 开-发*票，严禁赌\u200b博，联系 dkfp 或 13800138000"
    verdict = screener.screen(text)
    assert [h.term for h in verdict.hits] == ["绝密", "代开发票", "赌博", "代开发票", "手机号"]
    assert [text[h.start : h.end] for h in verdict.hits] == [
        "绝密",
        "代 开-发*票",
        "赌\u200b博",
        "dkfp",
        "13800138000",
    ]
    assert verdict.hits == tuple(sorted(verdict.hits, key=lambda h: (h.start, h.end, h.term)))


def test_anywhere_terms_count_across_word_edges() -> None:
    anchored = Screener([Term("日本", "block", "政治敏感")])
    anywhere = Screener([Term("日本", "block", "政治敏感", anywhere=True)])
    assert anchored.screen("今日本店开业").verdict == "pass"
    assert anywhere.screen("今日本店开业").verdict == "block"
    # and are not downgraded inside longer words either
    assert Screener([Term("台独", "block", "政治敏感", anywhere=True)]).screen("台独分子").hits[
        0
    ].severity == ("block")


def test_contained_hit_of_lower_or_equal_severity_is_folded_into_the_longer_one() -> None:
    screener = Screener([Term("发票", "warn", "欺诈/广告"), Term("代开发票", "block", "欺诈/广告")])
    assert [h.term for h in screener.screen("可以代开发票").hits] == ["代开发票"]
    # but a stronger short hit is kept next to a weaker long one ("anywhere", or the longer
    # term, being a word too, would make it a hit inside a longer word: a warn)
    stronger = Term("发票", "block", "欺诈/广告", anywhere=True)
    screener = Screener([stronger, Term("代开发票", "warn", "欺诈/广告")])
    assert {h.term for h in screener.screen("可以代开发票").hits} == {"发票", "代开发票"}


def test_whitelist_suppresses_the_hits_it_covers() -> None:
    terms = [Term("日本", "block", "政治敏感"), Term("赌博", "warn", "不良/低俗")]
    screener = Screener(terms, whitelist=["日本料理", "13800138000", "jimi"])
    assert screener.whitelist == ("日本料理", "13800138000", "jimi")
    assert screener.screen("我爱吃日本料理").verdict == "pass"
    assert screener.screen("我爱吃日 本 料 理").verdict == "pass"
    assert screener.screen("我去日本吃日本料理").verdict == "block"
    assert screener.screen("电话 13800138000").verdict == "pass"
    assert screener.screen("电话 13900139000").verdict == "warn"
    # a whitelist entry that only touches a hit does not suppress it
    assert screener.screen("日本料理和赌博").hits[0].term == "赌博"


def test_pinyin_hits_are_warn_even_for_block_terms(screener: Screener) -> None:
    verdict = screener.screen("jue mi")
    assert [(h.term, h.severity, h.found_by) for h in verdict.hits] == [("绝密", "warn", "pinyin")]


def test_polyphonic_characters_are_indexed_by_every_reading() -> None:
    screener = Screener([Term("长城", "warn", "政治敏感")])
    assert screener.screen("去 changcheng").verdict == "warn"
    assert screener.screen("去 zhangcheng").verdict == "warn"


def test_hit_quote_marks_the_stretch_in_context() -> None:
    text = "第一段。\n请代 开-发*票，价格优惠，欢迎联系"
    hit = Screener([Term("代开发票", "block", "欺诈/广告")]).screen(text).hits[0]
    assert hit.quote(text, width=4) == "…段。 请【代 开-发*票】，价格优…"
    assert hit.context(text, width=2) == ("\n请", "代 开-发*票", "，价")
    assert hit.to_dict() == {
        "term": "代开发票",
        "category": "欺诈/广告",
        "severity": "block",
        "start": 6,
        "end": 13,
        "found_by": "normalised",
    }


def test_screener_exposes_its_lexicon(screener: Screener) -> None:
    assert any(t.text == "日本" for t in screener.terms)
    assert screener.whitelist == ()


# Terms for the sub-word cases below: markers and heads of longer dictionary words, and
# character pairs that only sit inside such words without being a word there.
_SUBWORD_TERMS = [
    Term("绝密", "block", "涉密"),
    Term("机密", "block", "涉密"),
    Term("秘密", "block", "涉密"),
    Term("日本", "block", "政治敏感"),
    Term("台独", "block", "政治敏感"),
    Term("中国", "block", "政治敏感"),
    Term("传销", "block", "欺诈/广告"),
    Term("家机", "block", "涉密"),
    Term("独分", "block", "政治敏感"),
    Term("速转", "block", "谣言"),
    Term("京大", "block", "政治敏感"),
]

# (draft, term): the term is one of the words a longer word splits into, so it keeps its
# severity (block) although jieba reads the longer word as one token.
SUBWORDS = [
    ("本文件为绝密级，请勿外传", "绝密"),
    ("绝密件请妥善保管", "绝密"),
    ("本文件为秘密级", "秘密"),
    ("本文件为机密件", "机密"),
    ("严禁泄露国家机密", "机密"),
    ("机密性要求", "机密"),
    ("台独分子", "台独"),
    ("反对台独运动", "台独"),
    ("严厉打击非法传销活动", "传销"),
    ("日本东京大学", "日本"),
]

# (draft, term): the term sits inside a longer word without being one of the words it
# splits into, so it is downgraded to warn.
INSIDE_ONLY = [
    ("严禁泄露国家机密", "家机"),  # 国家 机密
    ("台独分子", "独分"),  # 台独 分子
    ("匀速转动", "速转"),  # 匀速 转动
    ("发展中国家", "中国"),  # 发展 中 国家: jieba's search mode alone would cut out 中国
    ("日本东京大学", "京大"),  # 东京大学 → 东京 大学
]

# Drafts where a term's characters straddle two words: no hit at all.
STRADDLING = [
    ("今日本店开业", "日本"),
    ("节日本来就该休息", "日本"),
    ("司机密切关注路况", "机密"),
    ("拒绝密谋", "绝密"),
    ("我在讲台独自发言", "台独"),
]


@pytest.fixture(scope="module")
def subword_screener() -> Screener:
    return Screener(_SUBWORD_TERMS)


def _severities(verdict: Verdict, term: str) -> list[str]:
    return [h.severity for h in verdict.hits if h.term == term and h.found_by == "exact"]


@pytest.mark.parametrize(("text", "term"), SUBWORDS)
def test_a_word_inside_a_longer_word_keeps_its_severity(
    subword_screener: Screener, text: str, term: str
) -> None:
    verdict = subword_screener.screen(text)
    assert _severities(verdict, term) == ["block"]
    assert verdict.verdict == "block"


@pytest.mark.parametrize(("text", "term"), INSIDE_ONLY)
def test_characters_inside_a_word_without_being_one_are_downgraded(
    subword_screener: Screener, text: str, term: str
) -> None:
    assert _severities(subword_screener.screen(text), term) == ["warn"]


@pytest.mark.parametrize(("text", "term"), STRADDLING)
def test_a_term_across_two_words_is_not_a_hit(
    subword_screener: Screener, text: str, term: str
) -> None:
    assert _severities(subword_screener.screen(text), term) == []


def test_anywhere_terms_and_aligned_terms_are_unaffected_by_the_sub_word_rule() -> None:
    screener = Screener([Term("家机", "block", "涉密", anywhere=True), *_SUBWORD_TERMS[:2]])
    assert _severities(screener.screen("国家机密"), "家机") == ["block"]
    assert _severities(screener.screen("这是绝密。"), "绝密") == ["block"]


def test_hits_from_one_expanded_character_are_all_reported() -> None:
    # 株式 and 株式会社 both come from the single character ㍿, so neither lies inside the
    # other in the original text and neither is folded away.
    screener = Screener(
        [Term("株式", "block", "欺诈/广告"), Term("株式会社", "block", "欺诈/广告")]
    )
    assert {h.term for h in screener.screen("这是一家㍿。").hits} == {"株式", "株式会社"}
