"""Account-change notices: /account_change, /account_changes (article 16)."""

from __future__ import annotations

from collections.abc import Mapping

# Account-change notices: /account_change, /account_changes (article 16)
AC_KIND_NAMES: Mapping[str, str] = {
    "name": "名称变更",
    "managers": "管理人员变更",
    "close": "停用关闭",
    "other": "其他",
}
# What a member may write for the change type in the one-line form.
AC_KIND_WORDS: Mapping[str, str] = {
    "名称变更": "name",
    "名称": "name",
    "改名": "name",
    "更名": "name",
    "管理人员变更": "managers",
    "管理人员": "managers",
    "管理员变更": "managers",
    "管理员": "managers",
    "停用关闭": "close",
    "停用": "close",
    "关闭": "close",
    "注销": "close",
    "其他": "other",
}
AC_DETAIL_LABELS: Mapping[str, str] = {
    "name": "新名称",
    "managers": "新的管理人员",
    "other": "具体变更内容",
}
AC_FIELD_LABELS: Mapping[str, str] = {
    "account": "账号名称",
    "detail": "变更内容",
    "reason": "变更理由",
}
AC_ABORT_WORDS = ("取消", "放弃", "/cancel")
AC_NOT_STAFF = "只有学生会新媒体成员可以报备账号变更。如需权限，请联系管理员。"
AC_LIST_NOT_STAFF = "只有学生会新媒体成员可以查看账号变更报备。"
AC_PRIVATE_ONLY = "账号变更报备请私聊机器人发送 /account_change。"
AC_HEAD = "📮 <b>新媒体账号变更报备</b> · {step}\n"
AC_STEP_NAMES: Mapping[str, str] = {
    "account": "账号",
    "change": "变更类型",
    "detail": "变更内容",
    "date": "生效日期",
    "reason": "变更理由",
    "confirm": "确认",
}
AC_ASK_ACCOUNT_BUTTONS = (
    "按《重要信息发布管理办法》第 16 条，账号名称、管理人员等信息变更或停用关闭，"
    "须提前至少 7 个工作日报备。\n\n"
    "哪个账号？请点选，或<b>回复本消息</b>写出账号名称。"
)
AC_ASK_ACCOUNT_TEXT = (
    "按《重要信息发布管理办法》第 16 条，账号名称、管理人员等信息变更或停用关闭，"
    "须提前至少 7 个工作日报备。\n\n"
    "哪个账号？请<b>回复本消息</b>写出账号名称（例如：微信公众号「某某学院学生会」）。"
    "回复「取消」可放弃。"
)
AC_ASK_ACCOUNT_TYPED = (
    "请<b>回复本消息</b>写出账号名称（例如：微信公众号「某某学院学生会」）。回复「取消」可放弃。"
)
AC_ASK_CHANGE = "{so_far}\n变更什么？请点选。"
AC_ASK_DETAIL = "{so_far}\n请<b>回复本消息</b>写出{label}。回复「取消」可放弃。"
AC_ASK_DATE = (
    "{so_far}\n请<b>回复本消息</b>写出生效日期，例如 {example}、{short}。\n"
    "须提前至少 7 个工作日（不计报备当天和生效当天，按法定节假日和调休计算）：今天报备，"
    "最早可在 <b>{earliest}</b> 生效。{unknown}"
)
AC_ASK_REASON = "{so_far}\n请<b>回复本消息</b>写明变更理由。回复「取消」可放弃。"
AC_ASK_AGAIN = "\n\n请<b>回复本消息</b>重新填写。"
AC_CONFIRM = "{summary}{unknown}\n\n确认无误请点「确认提交」。"
AC_LINE_ACCOUNT = "账号：{account}\n"
AC_LINE_CHANGE = "变更：{change}\n"
AC_LINE_DETAIL = "{label}：{detail}\n"
AC_LINE_DATE = "生效日期：{date}（提前 {days} 个工作日）\n"
AC_LINE_REASON = "理由：{reason}\n"
AC_DAY = "{date}（周{weekday}）"
AC_SHORT_DATE = "{month}月{day}日"
AC_BUTTON_TYPE_ACCOUNT = "✏️ 其他账号"
AC_BUTTON_CONFIRM = "✅ 确认提交"
AC_BUTTON_ABORT = "✖️ 取消"
AC_BUTTON_CANCEL_NOTICE = "撤销 #{id}"
AC_CHOSEN = "{so_far}\n✔️ 已选择，请看下一条消息。"
AC_ABORTED = "已取消这次账号变更报备，没有保存任何内容。"
AC_STALE = "这个按钮已过期：请在最新的一条报备消息上操作。"
AC_USE_BUTTONS = "请点上一条消息中的按钮选择。"
AC_EMPTY = "{label}不能为空。"
AC_TOO_LONG = "{label}太长了：最多 {limit} 字，现在 {length} 字。"
AC_DATE_MALFORMED = (
    "没能识别日期「{text}」。请写成 2026-12-10、2026/12/10、12月10日 或 12-10"
    "（不写年份时取离今天最近的那一天）。"
)
AC_DATE_INVALID = "没有「{text}」这一天，请检查月份和日期。"
AC_DATE_PAST = (
    "{date} 已经过去了。须提前至少 7 个工作日报备：今天报备，最早可在 <b>{earliest}</b> 生效。"
)
AC_DATE_TOO_SOON = (
    "{date} 太早了：今天（{today}）和 {date} 之间只有 {days} 个工作日{holidays}，"
    "第 16 条要求至少 7 个（不计报备当天和生效当天）。今天报备，最早可在 <b>{earliest}</b> 生效。"
)
AC_DATE_TOO_FAR = "{date} 太远了：只能报备一年以内的变更，最晚 {latest}。请临近时再报备。"
AC_HOLIDAYS = "（其间有{names}假期，已按法定节假日和调休计算）"
AC_UNKNOWN_YEAR = (
    "\n⚠️ {years} 年：{note}（管理员可在配置 [reminders] 的 extra_holidays、"
    "extra_workdays 中补充），实际可能需要更早报备。"
)
AC_TOO_SOON_AT_CONFIRM = "报备还没有提交：{problem}"
AC_REDO_DATE = "报备还没有提交：生效日期已不满足提前 7 个工作日，请重新填写。"
AC_FILED = (
    "✅ 已提交账号变更报备 <b>#{id}</b>。\n{summary}{unknown}\n"
    "已通知管理员和指导老师；生效前一个工作日（{remind}）会再提醒。"
    "\n发送 /account_changes 可查看所有待生效的报备。"
)
AC_NOTICE = (
    "📮 <b>新媒体账号变更报备 #{id}</b>（第 16 条）\n{summary}报备人：{filer} · {at}{unknown}"
)
AC_NOTICE_CANCELLED = "⏹ 账号变更报备 #{id}（{account}，原定 {date} 生效）已由 {who} 撤销。{reason}"
AC_CANCEL_REASON = "\n撤销理由：{reason}"
AC_REMINDER = (
    "⏰ <b>账号变更即将生效</b>：报备 #{id} 将于 <b>{date}</b> 生效（这是生效前最后一个工作日）。\n"
    "{summary}报备人：{filer}"
)
AC_LIST_HEADER = "<b>待生效的账号变更报备</b>（{count} 项，最近的在前）："
AC_LIST_RECENT_HEADER = "\n<b>最近 {days} 天已生效或已撤销的</b>："
AC_LIST_LINE = "#{id} {date} · {account} · {change}{detail} · {filer}{flags}"
AC_LIST_DETAIL = "（{detail}）"
AC_LIST_UNKNOWN = " · ⚠️只按周末计算"
AC_LIST_CANCELLED = " · 已撤销"
AC_LIST_DONE = " · 已生效"
AC_LIST_EMPTY = "目前没有待生效的账号变更报备。报备请私聊机器人发送 /account_change。"
AC_LIST_NONE_RECENT = "（无）"
AC_LIST_MORE = "……另有 {count} 行未显示"
AC_LIST_FOOTER = "\n管理员或报备人可点下面的按钮，或发送 /account_changes cancel 编号 [理由] 撤销。"
AC_LIST_USAGE = (
    "用法：\n/account_changes　待生效的报备\n/account_changes all　另加最近 30 天已生效或已撤销的\n"
    "/account_changes cancel 编号 [理由]　撤销（管理员或报备人）"
)
AC_BAD_NUMBER = "报备编号应当是数字，例如 /account_changes cancel 3。"
AC_CANCELLED = "已撤销账号变更报备 #{id}，已通知管理员和指导老师。"
AC_CANCEL_NOT_FOUND = "找不到账号变更报备 #{id}。"
AC_CANCEL_NOT_ALLOWED = "只有管理员或报备人可以撤销报备 #{id}。"
AC_CANCEL_ALREADY = "报备 #{id} 已经撤销了。"
AC_CANCEL_IN_EFFECT = "报备 #{id} 已于 {date} 生效，不能再撤销。"
AC_ONE_LINE_USAGE = (
    "一行报备：/account_change 账号 | 变更类型 | 新名称或新管理人员 | 生效日期 | 理由\n"
    "变更类型：名称变更、管理人员变更、停用关闭、其他；停用关闭可以省略第三项。\n"
    "例如：/account_change 微博「某某大学学生会」| 名称变更 | 某某大学团委学生会 | 12月10日"
    " | 机构调整\n"
    "不写参数则逐步询问。"
)
AC_ONE_LINE_PARTS = "应当用「|」分成 4 或 5 项，现在是 {count} 项。"
AC_ONE_LINE_KIND = "不认识变更类型「{text}」。"
AC_ONE_LINE_DETAIL = "「{kind}」须写明{label}（第三项）。"
AC_ONE_LINE_BAD = "没能识别这条报备：{problem}\n\n{usage}"
