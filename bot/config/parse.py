"""Reading the config's values: each checked, with a message naming the field and the fix."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config.model import (
    ASSESSMENT_METRICS,
    EXAMPLE_HINT,
    ROLE_ALIASES,
    AssessmentConfig,
    BackupConfig,
    ChatsConfig,
    ConfigError,
    MemberConfig,
    PartnersConfig,
    RemindersConfig,
    UnionConfig,
    WeChatConfig,
    did_you_mean,
    parse_role,
)
from storage.models import TEAMS, Role

__all__ = ["parse_values"]

logger = logging.getLogger(__name__)

_WEIGHT_LIMIT = 100.0


def _table(data: Mapping[str, Any], key: str, required: bool) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        if required:
            raise ConfigError(f"[{key}]", "缺失", f"请添加 [{key}] 一节。{EXAMPLE_HINT}")
        return {}
    if not isinstance(value, dict):
        raise ConfigError(key, "应当是一个表（[section]）", EXAMPLE_HINT)
    return value


def _bool(section: Mapping[str, Any], name: str, field: str, default: bool) -> bool:
    value = section.get(name, default)
    if not isinstance(value, bool):
        raise ConfigError(field, f"应当是 true 或 false，现在是 {value!r}", f"例如 {name} = true。")
    return value


def _chat_id(section: Mapping[str, Any], name: str, required: bool) -> int | None:
    value = section.get(name)
    field = f"chats.{name}"
    if value is None or value == 0:
        if required:
            raise ConfigError(
                field,
                "缺失",
                "请填写该群聊或频道的 chat id（整数，例如 -1001234567890；"
                "把机器人加入后可通过 getUpdates 或 @RawDataBot 查到）。",
            )
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(field, f"应当是整数 chat id，现在是 {value!r}", "例如 -1001234567890。")
    return value


def parse_values(data: Mapping[str, Any]) -> UnionConfig:
    """Each value of a parsed TOML document, checked and typed (keys are checked apart)."""
    union = _table(data, "union", required=False)
    name = union.get("name", "学生会")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("union.name", "应当是非空字符串", '例如 name = "某某大学学生会"。')
    tz_name = union.get("timezone", "Asia/Shanghai")
    try:
        timezone = ZoneInfo(str(tz_name))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            "union.timezone", f"不是已知的时区：{tz_name!r}", '例如 timezone = "Asia/Shanghai"。'
        ) from exc

    workflow = _table(data, "workflow", required=False)
    editing = _bool(workflow, "editing", "workflow.editing", True)
    auto_publish = _bool(workflow, "auto_publish", "workflow.auto_publish", True)
    telegram = _table(data, "telegram", required=False)
    rate_limit = _bool(telegram, "rate_limit", "telegram.rate_limit", True)
    retry_seconds = telegram.get("retry_seconds", 20)
    if (
        isinstance(retry_seconds, bool)
        or not isinstance(retry_seconds, int | float)
        or not (0.2 <= retry_seconds <= 3600)
    ):
        raise ConfigError(
            "telegram.retry_seconds",
            f"应当是 0.2 到 3600 之间的秒数，现在是 {retry_seconds!r}",
            "例如 retry_seconds = 20（发送失败的消息每隔多少秒重试）。",
        )

    chats_table = _table(data, "chats", required=True)
    chats = ChatsConfig(
        channel=_chat_id(chats_table, "channel", required=True) or 0,
        editors=_chat_id(chats_table, "editors", required=editing),
        tier1=_chat_id(chats_table, "tier1", required=False),
        tier2=_chat_id(chats_table, "tier2", required=False),
        tier3=_chat_id(chats_table, "tier3", required=False),
        admins=_chat_id(chats_table, "admins", required=False),
        inbox=_chat_id(chats_table, "inbox", required=False),
    )
    members = _members(data.get("members"))
    _check_roles_covered(members, chats, editing)
    reminders = _reminders(_table(data, "reminders", required=False))
    return UnionConfig(
        union_name=name.strip(),
        timezone=timezone,
        editing=editing,
        auto_publish=auto_publish,
        rate_limit=rate_limit,
        retry_seconds=float(retry_seconds),
        chats=chats,
        members=members,
        reminders=reminders,
        accounts=_accounts(union),
        assessment=_assessment(_table(data, "assessment", required=False)),
        partners=_partners(_table(data, "partners", required=False)),
        backup=_backup(_table(data, "backup", required=False)),
        wechat=_wechat(_table(data, "wechat", required=False)),
        reason_templates=_reason_templates(workflow),
    )


# A template is a button: short enough to read on a phone.
REASON_TEMPLATE_LIMIT = 30


def _reason_templates(workflow: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """``reasons_1`` .. ``reasons_3``: lists of short rejection reasons per criterion."""
    found: dict[str, tuple[str, ...]] = {}
    for criterion in ("1", "2", "3"):
        name = f"reasons_{criterion}"
        raw = workflow.get(name, [])
        fix = (
            f'例如 {name} = ["数据与来源不符", "时间地点有误"]'
            f"（每条不超过 {REASON_TEMPLATE_LIMIT} 字）。"
        )
        if not isinstance(raw, list):
            raise ConfigError(f"workflow.{name}", f"应当是字符串列表，现在是 {raw!r}", fix)
        texts: list[str] = []
        for item in raw:
            if not isinstance(item, str) or not item.strip():
                raise ConfigError(f"workflow.{name}", f"有一项不是非空字符串：{item!r}", fix)
            if len(item.strip()) > REASON_TEMPLATE_LIMIT:
                raise ConfigError(f"workflow.{name}", f"这一项太长：{item!r}", fix)
            if item.strip() not in texts:
                texts.append(item.strip())
        if texts:
            found[criterion] = tuple(texts)
    return found


def _accounts(union: Mapping[str, Any]) -> tuple[str, ...]:
    raw = union.get("accounts", [])
    fix = '例如 accounts = ["微信公众号「某某大学学生会」", "微博「某某大学学生会」"]。'
    if not isinstance(raw, list):
        raise ConfigError("union.accounts", "应当是账号名称的列表", fix)
    found: list[str] = []
    for item in raw:
        if not isinstance(item, str) or not item.strip() or len(item.strip()) > 60:
            raise ConfigError("union.accounts", f"含有无效的账号名称 {item!r}（1–60 字）", fix)
        if item.strip() not in found:
            found.append(item.strip())
    if len(found) > 20:
        raise ConfigError("union.accounts", f"最多 20 个账号，现在有 {len(found)} 个", fix)
    return tuple(found)


def _members(raw: object) -> tuple[MemberConfig, ...]:
    if raw is None:
        raise ConfigError(
            "[[members]]",
            "缺失",
            "请至少列出管理员、信息员和三级审核人，每人一个 [[members]] 表。" + EXAMPLE_HINT,
        )
    if not isinstance(raw, list):
        raise ConfigError("members", "应当写成 [[members]] 表的数组", EXAMPLE_HINT)
    members: list[MemberConfig] = []
    seen: set[int] = set()
    for index, entry in enumerate(raw, start=1):
        where = f"members 第 {index} 项"
        if not isinstance(entry, dict):
            raise ConfigError(where, "应当是一个表", EXAMPLE_HINT)
        user_id = entry.get("id")
        if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id <= 0:
            raise ConfigError(
                f"{where}.id",
                f"应当是成员的 Telegram 数字 ID（正整数），现在是 {user_id!r}",
                "成员给机器人发 /start 后，机器人的回复里会显示其 ID。",
            )
        if user_id in seen:
            raise ConfigError(f"{where}.id", f"与前面的成员重复（{user_id}）", "每人只写一次。")
        seen.add(user_id)
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{where}.name", "缺失或为空", '例如 name = "张三"。')
        username = entry.get("username")
        if username is not None and (not isinstance(username, str) or not username.strip("@ ")):
            raise ConfigError(
                f"{where}.username", "应当是 Telegram 用户名", '例如 username = "zhangsan"。'
            )
        team = entry.get("team")
        if team is not None and team not in TEAMS:
            raise ConfigError(
                f"{where}.team", f"不是已知的组：{team!r}", f"可选：{'、'.join(TEAMS)}。"
            )
        roles_raw = entry.get("roles", [])
        if not isinstance(roles_raw, list) or not roles_raw:
            raise ConfigError(
                f"{where}.roles",
                "应当是非空的角色列表",
                '例如 roles = ["officer"] 或 roles = ["信息员"]。',
            )
        roles: list[Role] = []
        for item in roles_raw:
            role = parse_role(str(item))
            if role is None:
                choices = "、".join(f"{key}（{r.value}）" for key, r in ROLE_ALIASES.items())
                raise ConfigError(f"{where}.roles", f"含有未知角色 {item!r}", f"可选：{choices}。")
            if role not in roles:
                roles.append(role)
        members.append(
            MemberConfig(
                user_id=user_id,
                name=name.strip(),
                username=username.strip("@ ") if isinstance(username, str) else None,
                team=team,
                roles=tuple(roles),
                volunteer_until=_volunteer_until(entry, where, roles),
            )
        )
    return tuple(members)


def _volunteer_until(entry: Mapping[str, Any], where: str, roles: list[Role]) -> date | None:
    raw = entry.get("volunteer_until")
    if Role.VOLUNTEER not in roles:
        if raw is not None:
            raise ConfigError(
                f"{where}.volunteer_until",
                "只对志愿者有意义",
                '在 roles 中加入 "volunteer"，或删去这一行。',
            )
        return None
    if raw is None:
        raise ConfigError(
            f"{where}.volunteer_until",
            "缺失：志愿者角色须有截止日期",
            '例如 volunteer_until = "2026-12-31"（志愿期的最后一天）。',
        )
    try:
        return raw if isinstance(raw, date) else date.fromisoformat(str(raw))
    except ValueError as exc:
        raise ConfigError(
            f"{where}.volunteer_until",
            f"不是日期：{raw!r}",
            '例如 volunteer_until = "2026-12-31"。',
        ) from exc


def _check_roles_covered(
    members: tuple[MemberConfig, ...], chats: ChatsConfig, editing: bool
) -> None:
    held = {role for member in members for role in member.roles}
    needed = [Role.ADMIN, Role.REVIEWER1, Role.REVIEWER2, Role.REVIEWER3]
    if editing:
        needed.append(Role.EDITOR)
    names = {value: key for key, value in ROLE_ALIASES.items()}
    for role in needed:
        if role not in held:
            raise ConfigError(
                "members",
                f"中没有人担任「{names[role]}」（{role.value}）",
                f'请给至少一位成员加上 roles = ["{role.value}"]，否则稿件无法走完流程。',
            )


def _clock(value: object, field: str) -> time:
    text = str(value).strip().replace("：", ":")
    try:
        hours, minutes = (int(part) for part in text.split(":"))
        return time(hours, minutes)
    except ValueError as exc:
        raise ConfigError(field, f"不是时刻：{value!r}", '例如 "07:30"。') from exc


def _hours(section: Mapping[str, Any], name: str, default: float) -> float:
    value = section.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigError(
            f"reminders.{name}",
            f"应当是正数（小时），现在是 {value!r}",
            f"例如 {name} = {default}。",
        )
    return float(value)


def _dates(section: Mapping[str, Any], name: str) -> list[date]:
    raw = section.get(name, [])
    if not isinstance(raw, list):
        raise ConfigError(f"reminders.{name}", "应当是日期列表", f'例如 {name} = ["2027-02-10"]。')
    found = []
    for item in raw:
        try:
            found.append(item if isinstance(item, date) else date.fromisoformat(str(item)))
        except ValueError as exc:
            raise ConfigError(
                f"reminders.{name}", f"含有无效日期 {item!r}", '例如 "2027-02-10"。'
            ) from exc
    return found


def _reminders(section: Mapping[str, Any]) -> RemindersConfig:
    quiet = str(section.get("quiet_hours", "23:00-07:30")).strip()
    quiet_start = quiet_end = None
    if quiet:
        if "-" not in quiet:
            raise ConfigError(
                "reminders.quiet_hours",
                f"格式不对：{quiet!r}",
                '例如 quiet_hours = "23:00-07:30"，或 "" 关闭。',
            )
        start, end = quiet.split("-", 1)
        quiet_start = _clock(start, "reminders.quiet_hours")
        quiet_end = _clock(end, "reminders.quiet_hours")
    clock = section.get("deadline_clock", "working")
    if clock not in ("working", "calendar"):
        raise ConfigError(
            "reminders.deadline_clock",
            f"只能是 working 或 calendar，现在是 {clock!r}",
            "working 按工作时间计算期限。",
        )
    max_nudges = section.get("max_nudges", 4)
    if isinstance(max_nudges, bool) or not isinstance(max_nudges, int) or not 1 <= max_nudges <= 20:
        raise ConfigError(
            "reminders.max_nudges",
            f"应当是 1 到 20 的整数，现在是 {max_nudges!r}",
            "例如 max_nudges = 4。",
        )
    overrides: dict[date, bool] = {d: False for d in _dates(section, "extra_holidays")}
    overrides.update({d: True for d in _dates(section, "extra_workdays")})
    return RemindersConfig(
        quiet_start=quiet_start,
        quiet_end=quiet_end,
        working_hours=clock == "working",
        workday_start=_clock(section.get("workday_start", "09:00"), "reminders.workday_start"),
        workday_end=_clock(section.get("workday_end", "18:00"), "reminders.workday_end"),
        review_deadline_hours=_hours(section, "review_deadline_hours", 9),
        original_deadline_hours=_hours(section, "original_deadline_hours", 18),
        nudge_interval_hours=_hours(section, "nudge_interval_hours", 4),
        max_nudges=max_nudges,
        calendar_overrides=overrides,
        ack_window_hours=_hours(section, "ack_window_hours", 2),
        promise_hours=_hours(section, "promise_hours", 9),
        open_questions_per_student=int(_hours(section, "open_questions_per_student", 3)),
        urgent_deadline_hours=_hours(section, "urgent_deadline_hours", 2),
        urgent_nudge_interval_hours=_hours(section, "urgent_nudge_interval_hours", 1),
    )


def _weights(section: Mapping[str, Any], where: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for key, value in section.items():
        if key not in ASSESSMENT_METRICS:
            raise ConfigError(
                f"{where}.{key}",
                "不是已知的考核项",
                did_you_mean(key, ASSESSMENT_METRICS) + f"可选：{'、'.join(ASSESSMENT_METRICS)}；"
                f"年度权重写在 [{where}.2026] 这样的表中。",
            )
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not -_WEIGHT_LIMIT <= value <= _WEIGHT_LIMIT
        ):
            raise ConfigError(
                f"{where}.{key}",
                f"应当是 -100 到 100 之间的数（每项得分），现在是 {value!r}",
                f"例如 {key} = {ASSESSMENT_METRICS[key]}；负数表示扣分，0 表示不计分。",
            )
        found[key] = float(value)
    return found


def _assessment(section: Mapping[str, Any]) -> AssessmentConfig:
    plain = {k: v for k, v in section.items() if not isinstance(v, dict)}
    default = {**ASSESSMENT_METRICS, **_weights(plain, "assessment")}
    years: dict[int, Mapping[str, float]] = {}
    for key, value in section.items():
        if not isinstance(value, dict):
            continue
        if not (key.isascii() and key.isdigit() and 2000 <= int(key) <= 2100):
            raise ConfigError(
                f"[assessment.{key}]",
                "不是年份",
                "年度权重的表名应为四位年份，例如 [assessment.2026]。",
            )
        years[int(key)] = _weights(value, f"assessment.{key}")
    return AssessmentConfig(default=default, years=years)


# Partner reposts (article 17) ----------------------------------------------------------------

_DIGEST_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


def _partners(section: Mapping[str, Any]) -> PartnersConfig:
    raw = section.get("digest", "周一 09:00")
    fix = '例如 digest = "周一 09:00"（每周一 9 点发送待转载周报），或 digest = "" 关闭。'
    if not isinstance(raw, str):
        raise ConfigError("partners.digest", f"应当是字符串，现在是 {raw!r}", fix)
    text = raw.strip()
    if not text:
        return PartnersConfig(digest_weekday=None)
    parts = text.split()
    head = parts[0].removeprefix("每") if parts else ""
    day = head.removeprefix("星期").removeprefix("周")
    if len(parts) != 2 or day not in _DIGEST_DAYS or len(head) == len(day):
        raise ConfigError("partners.digest", f"格式不对：{raw!r}", fix)
    clock = parts[1].replace("：", ":")
    try:
        pieces = [int(p) for p in clock.split(":")]
        if len(pieces) not in (2, 3):
            raise ValueError(clock)
        at = time(pieces[0], pieces[1], pieces[2] if len(pieces) == 3 else 0)
    except ValueError as exc:
        raise ConfigError("partners.digest", f"时刻不对：{parts[1]!r}", fix) from exc
    return PartnersConfig(digest_weekday=_DIGEST_DAYS[day], digest_time=at)


# Backups ------------------------------------------------------------------------------------


def _backup(section: Mapping[str, Any]) -> BackupConfig:
    raw_dir = section.get("dir", "")
    if not isinstance(raw_dir, str):
        raise ConfigError(
            "backup.dir",
            f"应当是文件夹路径，现在是 {raw_dir!r}",
            '例如 dir = "/var/backups/union-bot"。',
        )
    keep = section.get("keep", BackupConfig.keep)
    if isinstance(keep, bool) or not isinstance(keep, int) or not 1 <= keep <= 1000:
        raise ConfigError(
            "backup.keep",
            f"应当是 1 到 1000 的整数，现在是 {keep!r}",
            "例如 keep = 14（保留最近 14 份备份）。",
        )
    schedule = section.get("schedule", "03:30")
    if not isinstance(schedule, str):
        raise ConfigError(
            "backup.schedule",
            f"应当是时刻字符串，现在是 {schedule!r}",
            '例如 schedule = "03:30"（每天 3:30 备份），或 "" 关闭定时备份。',
        )
    return BackupConfig(
        dir=Path(raw_dir).expanduser() if raw_dir.strip() else None,
        keep=keep,
        daily_at=_clock(schedule, "backup.schedule") if schedule.strip() else None,
    )


# The 公众号 ------------------------------------------------------------------------------------


def _wechat(section: Mapping[str, Any]) -> WeChatConfig:
    def url(name: str, default: str) -> str:
        raw = section.get(name, default)
        if not isinstance(raw, str) or not raw.startswith(("https://", "http://")):
            raise ConfigError(
                f"wechat.{name}",
                f"应当是 http(s) 地址，现在是 {raw!r}",
                f'一般不用填写（默认 "{default}"），只有测试时才指向本机的模拟服务。',
            )
        return raw.rstrip("/")

    app_id = section.get("app_id", "")
    if not isinstance(app_id, str) or (app_id.strip() and not app_id.strip().isalnum()):
        raise ConfigError(
            "wechat.app_id",
            f"应当是公众号的 AppID（字母和数字），现在是 {app_id!r}",
            '在公众号后台「设置与开发 → 基本配置」复制 AppID，例如 app_id = "wx1234567890abcdef"；'
            "不用草稿箱就删掉这一行。",
        )
    return WeChatConfig(
        app_id=app_id.strip() or None,
        api_url=url("api_url", WeChatConfig.api_url),
        article_url=url("article_url", WeChatConfig.article_url),
    )
