"""Reminders: nudges, the planning meeting, the audience inbox, and /audit."""

from __future__ import annotations

from collections.abc import Mapping

# Reminders
NUDGE = (
    "⏰ {urgent}稿件 #{id}《{title}》{stage}已等待 {waited}，请尽快处理（第 {number} 次提醒）。"
    "\n可发送 /pending 查看。"
)
NUDGE_STAGE_EDITING = "在排版环节"
NUDGE_STAGE_REVIEW = "在第 {tier} 级审核（{tier_name}）"
NUDGE_ESCALATED = (
    "⚠️ {urgent}稿件 #{id}《{title}》{stage}已等待 {waited}，"
    "已提醒 {number} 次仍未处理，请管理员协调。"
)
WAITED_HOURS = "{hours} 小时"
WAITED_MINUTES = "{minutes} 分钟"
WAITED_DAYS = "{days} 天"
CHAT_UNREACHABLE = (
    "⚠️ 机器人无法向会话 {chat} 发送提醒（{error}）。请检查机器人是否仍在该群，"
    "或对方是否屏蔽了机器人。同一会话的这类问题只通知一次。"
)

# The monthly planning meeting (/meeting, /agenda)
MEETING_USAGE = (
    "用法：\n/meeting　查看筹划会安排\n/meeting set 规则　设置（管理员），例如：\n"
    "　/meeting set 15 19:00\n　/meeting set 第2个周三 19:30 提前3天,1小时\n"
    "　/meeting set 最后一个周五 18:00 群=-1001234567890\n/meeting off　停止提醒（管理员）\n"
    "/agenda 议题　为下次筹划会添加议题；/agenda　查看议程"
)
MEETING_NONE = "还没有设置筹划会。管理员可用 /meeting set 设置，例如 /meeting set 第2个周三 19:30。"
MEETING_SHOW = "📅 <b>筹划会</b>：{rule}\n下次：{next}{shifted}{unknown}"
MEETING_SET = "✅ 已设置筹划会：{rule}\n下次：{next}{shifted}{unknown}"
MEETING_SHIFTED = "（原定 {planned} 为节假日，顺延）"
MEETING_UNKNOWN_YEAR = (
    "\n⚠️ {year} 年的法定节假日尚未收录，只按周末计算；"
    "管理员可在配置 [reminders] 中补充 extra_holidays。"
)
MEETING_OFF = "已停止筹划会提醒。"
MEETING_ADMIN_ONLY = "只有管理员可以修改筹划会安排。"
MEETING_BAD_SPEC = "没能识别：{error}"
MEETING_REMINDER = (
    "📅 <b>筹划会提醒</b>：{when}（{lead}后）\n\n<b>议程</b>：\n{agenda}\n\n"
    "<b>{month}数据</b>：投稿 {submitted} 篇，通过三审 {approved} 篇，"
    "发布 {published} 篇，逾期回复提问 {late} 个\n{categories}"
    "\n可用 /agenda 议题 补充议程。"
)
MEETING_AGENDA_EMPTY = "（暂无，欢迎用 /agenda 添加）"
MEETING_AGENDA_LINE = "{n}. {topic}（{who}）"
MEETING_CATEGORY_LINE = "{category} {count}"
AGENDA_ADDED = "已为 {date} 的筹划会添加议题（共 {count} 项）。"
AGENDA_SHOW = "<b>{date} 筹划会议程</b>：\n{agenda}"
LEADS: Mapping[str, str] = {"d": "天", "h": "小时", "m": "分钟"}
WEEKDAYS = "一二三四五六日"

# The audience inbox (article 15)
QUESTION_RECEIVED = (
    "✅ 已收到你的问题（编号 #{id}），学生会工作人员会尽快回复你。如需补充，请直接回复本消息。"
)
QUESTION_FOLLOWUP = "已补充到问题 #{id}。"
QUESTION_FLOOD = "你还有 {count} 个问题在等待回复，请耐心等待，或回复之前的消息补充内容。"
QUESTION_CARD = "❓ <b>问题 #{id}</b> · 来自 {student}\n{body}\n\n{status}"
QUESTION_FOLLOWUP_CARD = "❓ 问题 #{id} 的补充 · {student}\n{body}"
QUESTION_STATUS_OPEN = "回复本消息即可答复提问人。"
QUESTION_STATUS_CLAIMED = "✋ {who} 已认领，回复本消息即可答复提问人。"
QUESTION_STATUS_ANSWERED = "✅ {who} 已于 {at} 回复。"
QUESTION_STATUS_RESOLVED = "☑️ {who} 已标记为已处理（无需回复）。"
QUESTION_ATTACHMENT = "（附件见下条）"
BUTTON_QUESTION_CLAIM = "✋ 认领"
BUTTON_QUESTION_RESOLVE = "☑️ 已处理"
QUESTION_CLAIMED = "已认领问题 #{id}。"
QUESTION_ALREADY_CLAIMED = "这个问题已由 {who} 认领。"
QUESTION_RESOLVED = "已将问题 #{id} 标记为已处理。"
QUESTION_CLOSED = "这个问题已经处理完了。"
QUESTION_STAFF_ONLY = "只有学生会成员可以处理问题。"
ANSWER_TO_STUDENT = "📨 关于你的问题 #{id}，学生会回复：\n{body}"
ANSWER_RELAYED = "已转达给提问人（问题 #{id}）。"
ANSWER_FAILED = "未能转达：提问人可能已屏蔽机器人（{error}）。"
PROMISE_TO_STUDENT = (
    "⏳ 你的问题 #{id} 需要一些时间核实，我们会在 {deadline} 前回复你。感谢耐心等待！"
)
PROMISE_ALERT = (
    "⏳ 问题 #{id}（{student}）已超过 {window} 未回复，已向提问人承诺 {deadline} 前答复。"
)
OVERDUE_ALERT = (
    "🔴 问题 #{id}（{student}）已超过承诺时间 {deadline}，仍未回复（第 {number} 次提醒）。"
)
INBOX_HEADER = "<b>待回复的问题</b>（{count} 个，最早的在前）："
INBOX_LINE = "#{id} {student} · 已等 {age}{promise}{claimed}"
INBOX_PROMISE = " · 承诺 {deadline} 前"
INBOX_CLAIMED = " · {who} 认领"
INBOX_EMPTY = "目前没有待回复的问题。"
INBOX_FIGURES = (
    "\n首次回复中位用时：{median}；按时回复 {on_time} 个，逾期回复 {late} 个，"
    "当前逾期 {overdue} 个。"
)
INBOX_NO_FIGURES = "—"

# Audit export (/audit)
AUDIT_USAGE = (
    "用法：/audit [开始日期] [结束日期]，日期形如 2026-11-01，含首尾两天；"
    "不写则导出最近 30 天。例如 /audit 2026-11-01 2026-11-30"
)
AUDIT_ADMIN_ONLY = "只有管理员可以导出审计记录。"
AUDIT_BAD_DATE = "日期「{value}」不对，应当形如 2026-11-01。"
AUDIT_BAD_RANGE = "开始日期 {start} 晚于结束日期 {end}，请对调后再试。"
AUDIT_EMPTY = "{start} 至 {end} 没有审计记录。"
AUDIT_CAPTION = "审计记录 {start} 至 {end}，共 {count} 条（时间为 {tz}）。"
AUDIT_FILE = "审计记录-{start}-{end}.csv"
AUDIT_COLUMNS = ("编号", "时间", "操作人", "动作", "稿件", "版本", "详情", "操作人ID", "动作代码")
