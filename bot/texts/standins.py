"""Stand-ins for reviewers who are away (代审): /away, and /handover of one draft's tier."""

from __future__ import annotations

from collections.abc import Mapping

# Stand-ins (代审): /away and /handover
AWAY_USAGE = (
    "用法：\n"
    "• /away 12-20 @代审人 —— 从今天到 12 月 20 日（含）我不在，由代审人代我审核\n"
    "• /away 12-15 12-20 @代审人 —— 指定起止日期（含首尾两天，也可写 12-15至12-20）\n"
    "• /away —— 查看所有代审安排\n"
    "• /away off —— 提前结束我的代审安排\n"
    "管理员可为他人安排：/away @审核人 12-20 @代审人；/away off @审核人\n"
    "代审期间，原本私聊发给你的审核卡片和提醒改发给代审人；审核群照常。"
    "代审人不能审核自己投稿或排版的稿件，也不能同一稿件审两级。"
)
AWAY_SET = (
    "✅ 已安排代审：{reviewer} 在 {first} 至 {last}（含首尾两天）不在，"
    "由 {standin} 代为审核第 {tiers} 级。\n"
    "期间原本私聊发给 {reviewer} 的审核卡片和提醒改发给 {standin}；"
    "审计记录会同时记下代审人和被代审人。"
)
AWAY_GROUP_NOTE = "\n第 {tiers} 级的卡片仍发到该级审核群，请确认 {standin} 在群里。"
AWAY_REPLACED = "\n（已替换之前与这段时间重叠的 {count} 项安排。）"
AWAY_TOLD_STANDIN = (
    "📌 {by} 安排你在 {first} 至 {last}（含首尾两天）代 {reviewer} 审核第 {tiers} 级。"
    "期间审核卡片会发给你；可发送 /pending 查看等待审核的稿件。"
)
AWAY_LIST_HEADER = "<b>代审安排</b>"
AWAY_LIST_LINE = "• {reviewer}：{first} 至 {last}，由 {standin} 代审{now}"
AWAY_LIST_NOW = "（进行中）"
AWAY_LIST_EMPTY = "目前没有代审安排。外出时可发送 /away 12-20 @代审人 安排。"
AWAY_ENDED = "已结束 {reviewer} 的 {count} 项代审安排，审核卡片和提醒恢复发给本人。"
AWAY_BAD_DATE = (
    "看不懂日期「{text}」。请写成 12-20 或 2026-12-20；起止日期用空格或「至」隔开，"
    "例如 /away 12-15 12-20 @代审人。"
)
AWAY_UNKNOWN_USER = "找不到 {who}：请对方先私聊机器人发送 /start，再用 @用户名 或数字 ID 指定。"
AWAY_NEEDS_STANDIN = "请指定代审人，例如 /away 12-20 @代审人。"
AWAY_PROBLEMS: Mapping[str, str] = {
    "not_reviewer": "{who} 不担任任何一级审核，无需安排代审。",
    "not_admin": "只有管理员可以为他人安排或结束代审，或转交稿件。",
    "self": "代审人不能是审核人本人。",
    "not_member": (
        "{who} 不是学生会新媒体成员。请选一位成员代审，"
        "或请管理员安排（管理员可以指定其他老师代审）。"
    ),
    "ended": "结束日期 {last} 已经过去。",
    "backwards": "结束日期 {last} 早于开始日期 {first}。",
    "too_long": "代审安排最长 {days} 天；更长时间不在，请管理员用 /role 调整审核人。",
    "standin_away": "{who} 在这段时间也有代审安排（本人不在），不能代审。",
    "nothing": "{who} 目前没有代审安排。",
    "not_found": "找不到稿件 #{id}。",
    "not_waiting": "稿件 #{id} 现在{state}，没有等待审核的一级。",
    "cannot_decide": (
        "{who} 不能审核稿件 #{id} 的第 {tier} 级：既不是该级审核人，也不是该级审核人的代审人。"
    ),
    "own_draft": "{who} 是稿件 #{id} 的投稿人，不能审核它。",
    "edited_it": "{who} 排版了稿件 #{id}，不能审核它。",
    "decided_other": "{who} 已审核过稿件 #{id} 的另一级，不能再代审第 {tier} 级。",
}
HANDOVER_USAGE = (
    "用法：/handover 稿件编号 @审核人（仅管理员）\n"
    "把稿件当前等待的这一级交给指定的人（该级审核人或其代审人），单独给对方发一张审核卡片，"
    "之后的催办提醒也发给对方。其他审核人仍可审核。"
)
HANDOVER_DONE = (
    "✅ 已把稿件 #{id}《{title}》第 {tier} 级（{tier_name}）交给 {who}{behalf}，"
    "审核卡片已单独发给对方，之后的提醒也发给对方。"
)
ON_BEHALF = "（代 {reviewer}）"
HISTORY_ON_BEHALF = " · 代 {reviewer} 审核"
HISTORY_HANDED_TO = " · 交给 {who}"
HELP_AWAY = "• 代审：外出时 /away 12-20 @代审人 请他人代审；/away 查看安排，/away off 提前结束"
HELP_AWAY_ADMIN = (
    "• /away @审核人 12-20 @代审人 为他人安排代审；"
    "/handover 编号 @审核人 把一份稿件当前的一级交给指定的人"
)
