"""The grammar of ``/meeting set``: the admin's words become a :class:`MeetingSchedule`.

``第2个周三 19:00 提前3天,1小时``, ``15日 19:00``, ``最后一个周五 18:00 群=-100…``, ``不顺延``:
keywords are read first, so the numbers after 提前 are never taken for a day of the month.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta

from bot.meetings.rules import (
    DEFAULT_REMIND_BEFORE,
    EXAMPLE,
    MAX_REMIND_BEFORE,
    MAX_SPEC_LENGTH,
    WEEKDAY_NAMES,
    MeetingDay,
    MeetingSchedule,
    MeetingSpecError,
    time_spec,
)

__all__ = ["parse_spec"]

logger = logging.getLogger(__name__)

# --- parsing ------------------------------------------------------------------------------------

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_WEEKDAYS = {
    "一": 0,
    "二": 1,
    "三": 2,
    "四": 3,
    "五": 4,
    "六": 5,
    "日": 6,
    "天": 6,
    "1": 0,
    "2": 1,
    "3": 2,
    "4": 3,
    "5": 4,
    "6": 5,
    "7": 6,
}
_UNIT_MINUTES = {"d": 24 * 60, "h": 60, "m": 1}

_NUM = r"(?:[0-9]+|[零〇一二两三四五六七八九十]+)"
_EVERY_MONTH = r"(?:每个?月(?:的)?\s*)?"
_WEEK = r"(?:周|星期|礼拜)"
_PERIOD = r"(?P<period>上午|早上|早晨|凌晨|中午|下午|傍晚|晚上|晚间)?\s*"

# "周3" is Wednesday, but in "第2个周19:00" the digits belong to the time.
_WEEKDAY = r"(?P<weekday>[1-7](?![0-9:.点时])|[^\s0-9:]?)"
_NTH_RE = re.compile(_EVERY_MONTH + rf"第\s*(?P<nth>{_NUM})\s*个?\s*{_WEEK}{_WEEKDAY}")
_LAST_RE = re.compile(_EVERY_MONTH + rf"最后\s*(?:一|1)?\s*个?\s*{_WEEK}{_WEEKDAY}")
# A bare number is a day only when nothing after it makes it part of a time or a duration.
_DAY_RE = re.compile(
    _EVERY_MONTH
    + r"(?:(?P<digits>[0-9]+)(?:\s*(?:日|号)|(?![0-9:.点时天小分hdm]))"
    + r"|(?P<cn>[零〇一二两三四五六七八九十]+)\s*(?:日|号))"
)
_CLOCK_RE = re.compile(_PERIOD + r"(?P<hour>[0-9]+)\s*:\s*(?P<minute>[0-9]+)")
_DIAN_RE = re.compile(
    _PERIOD + rf"(?P<hour>{_NUM})\s*(?:点|时)钟?(?:(?P<half>半)|(?P<minute>{_NUM})分?|整)?"
)
_REMIND_RE = re.compile(r"提前|(?:remind(?:ers?)?|提醒)\s*[=:]")
_LEAD_RE = re.compile(
    rf"(?P<count>{_NUM})\s*(?P<unit>"
    # Not 日: "提前3天 15日" must leave "15日" to be the day of the month.
    r"days?|天|d"
    r"|hours?|hrs?|个?小时|个?钟头|h"
    r"|minutes?|mins?|分钟|分|m)(?![a-z])"
)
_BAD_LEAD_RE = re.compile(rf"(?P<count>{_NUM})\s*(?P<unit>[^\s0-9,、;/]{{0,4}})")
_LIST_SEP_RE = re.compile(r"\s*(?:[,、;/和及]|以及)\s*")
_REMIND_TAIL_RE = re.compile(r"\s*提醒(?!\s*[=:])")
_CHATS_RE = re.compile(r"(?:群号|群组|群|chats?|chat_ids?)\s*[=:]\s*")
_CHAT_RE = re.compile(r"-?[0-9]+")
_SHIFT_RE = re.compile(r"(?P<no>不要?顺延|不延后)|顺延")
_SKIP_RE = re.compile(r"[\s,、;]+")
_WORD_RE = re.compile(r"\S{1,20}")


def _number(text: str) -> int | None:
    """``"15"``, ``"十五"``, ``"二十一"``, ``"两"`` → int; None for anything else (or huge)."""
    if text.isascii():
        # int() refuses very long digit strings; nothing this module reads is that long anyway.
        return int(text) if text.isdigit() and len(text) <= 9 else None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 and text in _CN_DIGITS else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or (tens and tens not in _CN_DIGITS):
        return None
    if ones and ones not in _CN_DIGITS:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _normalize(text: str) -> str:
    # NFKC folds full-width digits, colons, commas, equals signs and spaces to ASCII.
    folded = unicodedata.normalize("NFKC", text)
    return folded.replace("−", "-").replace("—", "-").replace("：", ":").lower().strip()


@dataclass
class _Parts:
    day: MeetingDay | None = None
    day_text: str = ""
    time: time | None = None
    time_text: str = ""
    remind: tuple[timedelta, ...] | None = None
    chats: tuple[int, ...] | None = None
    shift: bool | None = None
    shift_text: str = ""


def _day_spec(day: MeetingDay) -> str:
    """Arguments that parse back to ``day``; used to build examples from what the admin wrote."""
    if day.kind == "day":
        return f"{day.day}日"
    assert day.weekday is not None
    if day.kind == "nth_weekday":
        return f"第{day.nth}个{WEEKDAY_NAMES[day.weekday]}"
    return f"最后一个{WEEKDAY_NAMES[day.weekday]}"


def _set_day(parts: _Parts, day: MeetingDay, text: str) -> None:
    if parts.day is not None:
        raise MeetingSpecError(
            f"写了两个日子「{parts.day_text}」和「{text}」，筹划会每月只开一次，只能写一个",
            f"{_day_spec(parts.day)} 19:00",
        )
    parts.day, parts.day_text = day, text


def _weekday(text: str, matched: str) -> int:
    if matched not in _WEEKDAYS:
        problem = f"「{text}」没写星期几" if not matched else f"不认识「{text}」"
        raise MeetingSpecError(
            f"{problem}：星期要写成 周一…周日 或 星期一…星期日", "最后一个周五 18:00"
        )
    return _WEEKDAYS[matched]


def _take_nth(text: str, pos: int, parts: _Parts) -> int | None:
    match = _NTH_RE.match(text, pos)
    if match is None:
        return None
    fragment = match.group(0)
    nth = _number(match["nth"])
    weekday = _weekday(fragment, match["weekday"])
    if nth is None or not 1 <= nth <= 5:
        raise MeetingSpecError(
            f"「{fragment}」不对：第几个只能是 1–5（没有第5个的月份取最后一个）",
            f"第2个{WEEKDAY_NAMES[weekday]} 19:00",
        )
    _set_day(parts, MeetingDay.on_nth_weekday(nth, weekday), fragment)
    return match.end()


def _take_last(text: str, pos: int, parts: _Parts) -> int | None:
    match = _LAST_RE.match(text, pos)
    if match is None:
        return None
    fragment = match.group(0)
    _set_day(parts, MeetingDay.on_last_weekday(_weekday(fragment, match["weekday"])), fragment)
    return match.end()


def _take_day(text: str, pos: int, parts: _Parts) -> int | None:
    match = _DAY_RE.match(text, pos)
    if match is None:
        return None
    fragment = match.group(0)
    day = _number(match["digits"] or match["cn"])
    if day is None or not 1 <= day <= 31:
        raise MeetingSpecError(
            f"日期「{fragment}」不对：每月第几天要在 1–31 之间（写 31 表示月末，"
            "没有这一天的月份取当月最后一天）",
            "每月15日 19:00",
        )
    _set_day(parts, MeetingDay.on_day(day), fragment)
    return match.end()


def _clock(fragment: str, period: str | None, hour: int | None, minute: int | None) -> time:
    # "中午11点" is still morning; "中午1点" and "晚上7点" are afternoon/evening.
    later = period in ("下午", "傍晚", "晚上", "晚间") or (period == "中午" and hour != 11)
    if hour is not None and later and 1 <= hour < 12:
        hour += 12
    elif hour == 12 and later and period != "中午":
        # "晚上12点" is midnight, the start of the day rather than the evening; make them say so.
        hour = None
    elif hour is not None and period in ("上午", "早上", "早晨", "凌晨") and hour > 12:
        hour = None
    if hour is None or minute is None or not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise MeetingSpecError(
            f"时间「{fragment}」不对：小时要在 0–23、分钟要在 0–59 之间", "15日 19:00"
        )
    return time(hour, minute)


def _take_time(text: str, pos: int, parts: _Parts) -> int | None:
    match = _CLOCK_RE.match(text, pos) or _DIAN_RE.match(text, pos)
    if match is None:
        return None
    fragment = match.group(0).strip()
    hour = _number(match["hour"])
    if match.groupdict().get("half"):
        minute: int | None = 30
    elif match["minute"]:
        minute = _number(match["minute"])
    else:
        minute = 0
    clock = _clock(fragment, match["period"], hour, minute)
    if parts.time is not None:
        raise MeetingSpecError(
            f"写了两个时间「{parts.time_text}」和「{fragment}」，只能写一个",
            f"{_day_spec(parts.day or MeetingDay.on_day(15))} {time_spec(parts.time)}",
        )
    parts.time, parts.time_text = clock, fragment
    return match.end()


def _bad_lead(text: str, pos: int) -> MeetingSpecError:
    bad = _BAD_LEAD_RE.match(text, pos)
    if bad is None:
        problem = "「提前」后面要写提前多久"
    elif not bad["unit"]:
        problem = f"提醒时间「{bad['count']}」缺少单位：要写 天、小时 或 分钟（也可以写 d、h、m）"
    else:
        problem = f"提醒时间「{bad.group(0)}」的单位不对：只能用 天、小时、分钟（也可以写 d、h、m）"
    return MeetingSpecError(problem, "第2个周三 19:00 提前3天,1小时")


def _take_remind(text: str, pos: int, parts: _Parts) -> int | None:
    keyword = _REMIND_RE.match(text, pos)
    if keyword is None:
        return None
    if parts.remind is not None:
        raise MeetingSpecError("提醒时间写了两次，请写在一起", "第2个周三 19:00 提前3天,1小时")
    leads: list[timedelta] = []
    pos = keyword.end()
    first = True
    while True:
        # Commas also separate the parts of the spec ("提前3天，19:00"), so after one the list
        # may end; only something that looks like a lead with a wrong unit is an error there.
        separator = None if first else _LIST_SEP_RE.match(text, pos)
        start = _skip_spaces(text, pos if separator is None else separator.end())
        lead = _LEAD_RE.match(text, start)
        if lead is None:
            if first or (separator is not None and _looks_like_lead(text, start)):
                raise _bad_lead(text, start)
            break
        count = _number(lead["count"])
        minutes = None if count is None else count * _UNIT_MINUTES[_unit_key(lead["unit"])]
        if minutes is None or not 0 < minutes <= MAX_REMIND_BEFORE // timedelta(minutes=1):
            raise MeetingSpecError(
                f"提醒时间「{lead.group(0)}」不对：要提前 1 分钟到 30 天",
                "第2个周三 19:00 提前3天,1小时",
            )
        leads.append(timedelta(minutes=minutes))
        pos = lead.end()
        first = False
    tail = _REMIND_TAIL_RE.match(text, pos)
    if tail is not None:
        pos = tail.end()
    # Farthest first, so describe() and reminders() read in the order they happen.
    parts.remind = tuple(sorted(set(leads), reverse=True))
    return pos


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _looks_like_lead(text: str, pos: int) -> bool:
    """A number with a unit that is not one of ours ("2周"), as opposed to a day or a time."""
    bad = _BAD_LEAD_RE.match(text, pos)
    return bad is not None and bad["unit"] != "" and bad["unit"][0] not in "日号点时:"


def _unit_key(unit: str) -> str:
    if unit == "天" or unit.startswith("d"):
        return "d"
    if unit.endswith(("小时", "钟头")) or unit.startswith("h"):
        return "h"
    return "m"


def _take_chats(text: str, pos: int, parts: _Parts) -> int | None:
    keyword = _CHATS_RE.match(text, pos)
    if keyword is None:
        return None
    example = "最后一个周五 18:00 群=-1001234567890,-1009876543210"
    if parts.chats is not None:
        raise MeetingSpecError("群号写了两次，请用逗号隔开写在一起", example)
    chats: list[int] = []
    pos = keyword.end()
    while True:
        chat = _CHAT_RE.match(text, pos)
        value = None if chat is None else chat.group(0)
        digits = (value or "").lstrip("-")
        # Telegram ids fit in 52 bits, i.e. at most 16 digits; longer is a typo.
        if chat is None or value is None or not 0 < len(digits) <= 16 or int(value) == 0:
            word = _WORD_RE.match(text, pos)
            shown = word.group(0) if word else ""
            raise MeetingSpecError(
                f"群号「{shown}」不对：群号是数字，群组一般以 -100 开头，多个群用逗号隔开", example
            )
        if int(value) not in chats:
            chats.append(int(value))
        pos = chat.end()
        separator = _LIST_SEP_RE.match(text, pos)
        if separator is None:
            break
        pos = separator.end()
    parts.chats = tuple(chats)
    return pos


def _take_shift(text: str, pos: int, parts: _Parts) -> int | None:
    match = _SHIFT_RE.match(text, pos)
    if match is None:
        return None
    shift = match["no"] is None
    if parts.shift is not None and parts.shift != shift:
        raise MeetingSpecError(
            f"「{parts.shift_text}」和「{match.group(0)}」矛盾，只能写一个", "15日 19:00 不顺延"
        )
    parts.shift, parts.shift_text = shift, match.group(0)
    return match.end()


# Keywords first, so that e.g. the numbers after "提前" are never read as a day of the month.
_TAKERS: tuple[Callable[[str, int, _Parts], int | None], ...] = (
    _take_remind,
    _take_chats,
    _take_shift,
    _take_nth,
    _take_last,
    _take_time,
    _take_day,
)


def parse_spec(text: str, default_chat: int) -> MeetingSchedule:
    """Parse ``/meeting set`` arguments, e.g. ``第2个周三 19:30 提前3天,1小时 群=-1001``.

    Parts (any order, with or without spaces, full-width or half-width characters; numbers in
    digits or Chinese numerals):

    * day, required: ``15`` / ``15日`` / ``15号`` / ``每月15日`` (1–31); ``第2个周三`` /
      ``第二个星期三`` / ``第2周三`` / ``第1个礼拜天`` (1–5); ``最后一个周五``;
    * time, required: ``19:00`` / ``19：00`` / ``19点`` / ``19点30`` / ``19点半`` /
      ``晚上7点`` (上午 早上 凌晨 中午 下午 傍晚 晚上);
    * reminders: ``提前3天,1小时`` / ``提前 3天 1小时`` / ``remind=3d,1h`` (天/d, 小时/h,
      分钟/m; each lead is its own reminder; default 3 days and 1 hour);
    * chats: ``群=-100123,-100456`` / ``chats=...`` (default ``default_chat``, where the
      command was given);
    * ``不顺延`` keeps a meeting on a day off instead of moving it.

    Raises :class:`MeetingSpecError` with a Chinese explanation and a working example.
    """
    normalized = _normalize(text)
    if not normalized:
        raise MeetingSpecError("请写上每月哪天开会、几点开", EXAMPLE)
    if len(normalized) > MAX_SPEC_LENGTH:
        raise MeetingSpecError(f"写得太长了（超过 {MAX_SPEC_LENGTH} 个字）", EXAMPLE)
    parts = _Parts()
    pos = 0
    while True:
        skip = _SKIP_RE.match(normalized, pos)
        if skip is not None:
            pos = skip.end()
        if pos >= len(normalized):
            break
        for take in _TAKERS:
            end = take(normalized, pos, parts)
            if end is not None:
                pos = end
                break
        else:
            word = _WORD_RE.match(normalized, pos)
            logger.debug("meeting spec not understood at %d: %r", pos, normalized)
            raise MeetingSpecError(
                f"看不懂「{word.group(0) if word else normalized[pos:]}」", EXAMPLE
            )
    if parts.day is None:
        raise MeetingSpecError(
            "缺少开会的日子（每月哪天），可以写 15日、第2个周三 或 最后一个周五",
            f"第2个周三 {time_spec(parts.time or time(19))}",
        )
    if parts.time is None:
        raise MeetingSpecError(
            "缺少开会时间（几点开），可以写 19:00、19点 或 19点30", f"{_day_spec(parts.day)} 19:00"
        )
    return MeetingSchedule(
        day=parts.day,
        time=parts.time,
        chats=parts.chats or (default_chat,),
        remind_before=parts.remind or DEFAULT_REMIND_BEFORE,
        shift_holidays=True if parts.shift is None else parts.shift,
    )
