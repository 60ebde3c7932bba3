"""Every user-facing string, in one place (Chinese). Handlers and tests use these constants.

Templates are ``str.format`` strings producing Telegram HTML; callers escape user text.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.workflow import Refusal
from storage.models import DraftState, Role

# Re-exported so tests can name states and refusals through the catalogue.
_REEXPORTS = (DraftState, Refusal)

ROLE_NAMES: Mapping[Role, str] = {
    Role.ADMIN: "管理员",
    Role.OFFICER: "信息员",
    Role.EDITOR: "编辑（宣传媒体部）",
    Role.REVIEWER1: "部门负责人（一审）",
    Role.REVIEWER2: "主席团成员（二审）",
    Role.REVIEWER3: "指导老师（三审）",
}
TIER_NAMES: Mapping[int, str] = {1: "部门负责人", 2: "主席团成员", 3: "指导老师"}
STATE_NAMES: Mapping[DraftState, str] = {
    DraftState.INTAKE: "待投稿人确认",
    DraftState.EDITING: "排版中（宣传媒体部）",
    DraftState.REVIEW_1: "待第 1 级审核（部门负责人）",
    DraftState.REVIEW_2: "待第 2 级审核（主席团成员）",
    DraftState.REVIEW_3: "待第 3 级审核（指导老师）",
    DraftState.APPROVED: "三级审核均已通过，待发布",
    DraftState.PUBLISHING: "发布中",
    DraftState.PUBLISHED: "已发布",
    DraftState.REJECTED: "已驳回，待修改",
    DraftState.WITHDRAWN: "已撤回",
    DraftState.BLOCKED: "未通过关键词筛查",
}
ATTRIBUTION_NAMES: Mapping[str, str] = {
    "school": "校学生会原创",
    "college": "院级承办",
    "repost": "转载",
}
CRITERIA: Mapping[str, str] = {"1": "内容真实准确", "2": "文案逻辑合理", "3": "排版编辑美观"}
UNSET = "（未选）"
YES = "是"
NO = "否"
NOBODY = "—"

# /start and /help
START = (
    "你好，{name}！这里是<b>{union}</b>新媒体发布审核机器人，"
    "按《重要信息发布管理办法》执行「三审三校、先审后发」。\n"
    "你的 Telegram ID：<code>{user_id}</code>\n你的角色：{roles}\n\n{help}"
)
NO_ROLES = "暂无（如需投稿或审核，请把上面的 ID 发给管理员）"
HELP_HEADER = "<b>你可以这样用：</b>"
HELP_OFFICER = (
    "• 投稿：私聊发给我文字，或 .docx / .pdf / .txt / .md 文件、带说明的图片；"
    "在群里回复一条稿件消息并发送 /submit\n"
    "• /my 我的稿件　/status 编号 查看进度　/withdraw 编号 撤回\n"
    "• 被驳回后：回复驳回通知发送修改稿，或 /revise 编号"
)
HELP_EDITOR = "• 编辑：在编辑群认领稿件，回复卡片发送排版稿，再点「送审」；/pending 查看待排版稿件"
HELP_REVIEWER = "• 审核：在审核卡片上点「通过」或「驳回」；/pending 查看等待你这一级的稿件"
HELP_ADMIN = "• 管理：/role add|del|list 管理成员角色；/kw 管理筛查词库；/history 编号 查看审计记录"
HELP_EVERYONE = "• /status 编号、/history 编号：查看稿件进度和完整记录（成员可用）"
HELP_STRANGER = "你还不是学生会新媒体成员，暂时不能投稿。如需权限，请联系管理员。"

COMMAND_DESCRIPTIONS: Mapping[str, str] = {
    "start": "开始使用，查看我的角色",
    "help": "使用说明",
    "submit": "回复一条消息，把它作为稿件提交",
    "my": "我的稿件",
    "status": "稿件进度：/status 编号",
    "pending": "等待我处理的稿件",
    "history": "稿件审计记录：/history 编号",
    "withdraw": "撤回稿件：/withdraw 编号",
    "revise": "提交修改稿：/revise 编号",
    "role": "管理角色：/role add|del|list",
    "kw": "管理筛查词库：/kw add|del|list|allow|test|import|export",
    "meeting": "筹划会安排：/meeting [set 规则|off]",
    "agenda": "为下次筹划会添加议题：/agenda 议题",
    "inbox": "待回复的提问",
    "audit": "导出审计记录（CSV）：/audit [开始日期] [结束日期]",
}

# Intake
INTAKE_CARD = (
    "📥 <b>稿件 #{id}</b>《{title}》\n"
    "类别：{category}\n署名：{attribution}\n原创：{original}\n{attachment}"
    "\n请用下面的按钮选择类别、署名和是否原创，然后点「提交」。"
)
INTAKE_ATTACHMENT = "附件：{file}\n"
NOTE_LINE = "附言：{note}\n"
INTAKE_ATTR_COLLEGE = "院级承办（{college}）"
INTAKE_ATTR_REPOST = "转载（来源：{source}）"
BUTTON_SCHOOL = "校学生会原创"
BUTTON_COLLEGE = "院级承办"
BUTTON_REPOST = "转载"
BUTTON_ORIGINAL = "原创"
BUTTON_NOT_ORIGINAL = "非原创"
BUTTON_TITLE = "✏️ 修改标题"
BUTTON_CONFIRM = "✅ 提交"
BUTTON_CANCEL = "🗑 取消"
CHECKED = "✅ "
ASK_COLLEGE = "{mention} 请回复本消息，写明承办学院（例如：计算机学院）。"
ASK_SOURCE = "{mention} 请回复本消息，写明转载来源（公众号名称或链接）。"
ASK_TITLE = "{mention} 请回复本消息，写出稿件 #{id} 的新标题（不超过 {limit} 字）。"
TITLE_EMPTY = "标题不能为空，请重新回复。"
DETAIL_EMPTY = "内容不能为空，请重新回复。"
DETAIL_SAVED = "已记录。"
INTAKE_MISSING = "还没选：{missing}"
INTAKE_SUBMITTED = "✅ 稿件 #{id}《{title}》已提交（第 {version} 版）。\n当前状态：{state}"
INTAKE_CANCELLED = "🗑 稿件 #{id} 已取消。"
INTAKE_ONLY_SUBMITTER = "只有投稿人可以操作这张卡片。"
NOT_OFFICER = "只有信息员可以投稿。如需投稿权限，请把你的 ID（{user_id}）发给管理员。"
NOT_OFFICER_ADMIN = "你不是信息员，不能投稿。如果这是词库文件，请回复它并发送 /kw import。"
SUBMIT_USAGE = "请回复一条稿件消息（文字、文件或带说明的图片）并发送 /submit。"
EMPTY_DRAFT = "稿件内容为空：请发送文字，或带文字的文件，图片请附上说明。"
FILE_TOO_BIG = "文件超过 20 MB，机器人无法下载。请压缩后重新发送，或分成几份。"
DOWNLOAD_FAILED = "文件下载失败（网络问题），稿件没有保存。请稍后重新发送。"
UNSUPPORTED_MESSAGE = (
    "这种消息不能作为稿件：请发送文字、.docx / .pdf / .txt / .md 文件或带说明的图片。"
)

# Editing
EDITING_CARD = "📝 <b>稿件 #{id} 待排版</b>（第 {version} 版）\n{summary}\n\n{status}"
EDITING_UNCLAIMED = (
    "请点「认领排版」，然后回复本卡片发送排版后的版本（文字或文件），完成后点「送审」。"
)
EDITING_CLAIMED = (
    "✍️ {editor} 已认领排版。回复本卡片发送排版稿（可多次，以最后一版为准），完成后点「送审」。"
)
EDITING_SENT = "📤 {editor} 已将第 {version} 版送审。"
EDITING_CLOSED = "稿件已{state}。"
BUTTON_CLAIM = "🙋 认领排版"
BUTTON_SEND = "📤 送审"
CLAIMED_OK = "已认领稿件 #{id}，请回复卡片发送排版稿。"
LAYOUT_RECEIVED = "已收到稿件 #{id} 的排版稿（第 {version} 版）。确认无误后点卡片上的「送审」。"
SENT_TO_REVIEW = "已送审：稿件 #{id} 第 {version} 版进入第 1 级审核。"

# Review cards
REVIEW_CARD = (
    "🔍 <b>第 {tier} 级审核（{tier_name}）</b> · 稿件 #{id} · 第 {version} 版\n"
    "{summary}\n{note}{warnings}\n<b>摘要：</b>\n<blockquote>{excerpt}</blockquote>\n"
    "{full_text_note}"
    "<b>请按三项标准审核：</b>\n① 内容真实准确\n② 文案逻辑合理\n③ 排版编辑美观\n{trail}{outcome}"
)
SUMMARY = (
    "标题：{title}\n类别：{category}\n署名：{attribution}\n原创：{original}\n"
    "投稿人：{submitter}\n排版：{editor}"
)
FULL_TEXT_ATTACHED = "（正文较长，全文见上方文件）\n"
TRAIL_LINE = "✅ 第 {tier} 级（{tier_name}）{reviewer} 已通过 · {at}\n"
OUTCOME_APPROVED = "\n✅ <b>{reviewer} 已通过</b> · {at}"
OUTCOME_REJECTED = "\n❌ <b>{reviewer} 已驳回</b> · {at}\n未达标：{criteria}\n理由：{reason}"
OUTCOME_CLOSED = "\n⏹ 稿件已{state}，本卡片失效。"
OUTCOME_SUPERSEDED = "\n⏹ 稿件已更新为第 {version} 版，本卡片失效。"
FULL_TEXT_FILE = "稿件{id}-第{version}版-全文.txt"
FULL_TEXT_CAPTION = "稿件 #{id} 第 {version} 版全文"
ATTACHMENT_CAPTION = "稿件 #{id} 第 {version} 版附件"
BUTTON_APPROVE = "✅ 通过"
BUTTON_REJECT = "❌ 驳回"
APPROVED_NEXT = "已通过，已转交第 {tier} 级（{tier_name}）。"
APPROVED_FINAL = "已通过：三级审核全部完成。"
PROGRESS = (
    "📈 稿件 #{id}《{title}》已通过第 {tier} 级审核（{tier_name}：{reviewer}），现在{state}。"
)
ALL_APPROVED = "🎉 稿件 #{id}《{title}》三级审核全部通过，{next}"
NEXT_AUTO = "即将发布到频道。"
NEXT_MANUAL = "等待编辑或管理员点「发布」。"

# Rejection
REJECT_PROMPT = "{mention} 请选择稿件 #{id} 未达标的标准（可多选），然后点「填写理由」。"
REASON_PROMPT = "{mention} 请<b>回复本消息</b>，写明驳回稿件 #{id} 的理由。\n未达标：{criteria}"
BUTTON_REASON = "➡️ 填写理由"
UNCHECKED = "☐ "
TICKED = "☑️ "
REJECT_CANCELLED = "已取消驳回，稿件仍在第 {tier} 级等待审核。"
REJECT_DONE = "已驳回稿件 #{id}，投稿人会收到理由。"
REASON_EMPTY = "驳回理由不能为空，请回复本消息写明理由。"
PROMPT_NOT_YOURS = "这不是给你的提问。"
PROMPT_CLOSED = "这个操作已经结束了。"
REJECTED_NOTICE = (
    "❌ 稿件 #{id}《{title}》第 {version} 版在第 {tier} 级（{tier_name}）被 {reviewer} 驳回。\n"
    "未达标：{criteria}\n理由：{reason}\n\n"
    "请修改后<b>直接回复本消息</b>发送新版本（文字或文件），或发送 /revise {id}。"
    "新版本会从第 1 级重新审核。"
)
NO_CRITERIA = "（未勾选）"

# Revision and withdrawal
REVISE_USAGE = "用法：/revise 稿件编号（例如 /revise 12），然后按提示回复修改稿。"
REVISE_PROMPT = "{mention} 请<b>回复本消息</b>，发送稿件 #{id} 的修改稿（文字或文件）。"
REVISED = "✅ 稿件 #{id} 已更新为第 {version} 版，现在{state}。"
WITHDRAW_USAGE = "用法：/withdraw 稿件编号（例如 /withdraw 12）。"
WITHDRAWN = "已撤回稿件 #{id}《{title}》。"
WITHDRAWN_NOTICE = "⏹ 稿件 #{id}《{title}》已被 {who} 撤回。"

# Screening
BLOCKED_NOTICE = (
    "🚫 稿件 #{id}《{title}》第 {version} 版未通过关键词筛查，不能进入审核：\n{hits}\n\n"
    "请修改后<b>直接回复本消息</b>发送新版本（文字或文件），或发送 /revise {id}。"
)
BLOCKED_AT_PUBLISH_NOTICE = (
    "🚫 稿件 #{id}《{title}》在发布前复查时命中禁用词，已停止发布：\n{hits}\n\n"
    "请修改后<b>直接回复本消息</b>发送新版本，新版本会从第 1 级重新审核。"
)
ADMINS_BLOCKED_AT_PUBLISH = "🚫 稿件 #{id}《{title}》发布前复查命中禁用词，已停止发布：\n{hits}"
HIT_LINE = "• 「{term}」{category}·{found_by}：{quote}"
FOUND_BY_NAMES: Mapping[str, str] = {
    "exact": "原文",
    "normalised": "变形",
    "pinyin": "拼音",
    "pattern": "格式",
}
WARN_SECTION = "\n⚠️ <b>关键词提示</b>（请审核时留意）：\n{hits}\n"
MORE_HITS = "……另有 {count} 处"

# Lexicon management (/kw)
KW_USAGE = (
    "用法：\n/kw add 词 [block|warn] [类别]　添加或修改\n/kw del 词　删除\n"
    "/kw list [页码]　查看词库\n/kw allow 词　加入白名单；/kw allow del 词　移出；/kw allow　查看\n"
    "/kw test 文本　试筛\n/kw import　回复一个 .txt 或 .csv 词库文件导入\n/kw export　导出词库\n"
    "类别：{categories}\n词库文件每行：词[Tab]block或warn[Tab]类别，# 开头为注释。"
)
KW_ADMIN_ONLY = "只有管理员可以修改词库。"
KW_ADDED = "已更新词库：新增 {added} 个，修改 {changed} 个，现共 {total} 个词条，立即生效。"
KW_UNCHANGED = "词库没有变化（这些词条已经存在且设置相同）。"
KW_DELETED = "已从词库删除「{term}」。"
KW_NOT_FOUND = "词库里没有「{term}」。"
KW_LIST_HEADER = "<b>词库</b>（共 {total} 个，第 {page}/{pages} 页）："
KW_LIST_LINE = "{term}　{severity}　{category}{anywhere}"
KW_ANYWHERE = "　(任意位置)"
KW_EMPTY = "词库是空的。"
KW_ALLOWED = "已将「{term}」加入白名单，立即生效。"
KW_ALREADY_ALLOWED = "「{term}」已在白名单中。"
KW_DISALLOWED = "已将「{term}」移出白名单。"
KW_NOT_ALLOWED = "白名单里没有「{term}」。"
KW_ALLOW_LIST = "<b>白名单</b>（{count} 个）：{terms}"
KW_ALLOW_EMPTY = "白名单是空的。"
KW_TEST_RESULT = "筛查结果：<b>{verdict}</b>\n{hits}"
VERDICT_NAMES: Mapping[str, str] = {
    "block": "禁止（不能进入审核）",
    "warn": "提示（可以送审）",
    "pass": "通过",
}
KW_IMPORT_USAGE = "请回复一个 .txt 或 .csv 词库文件并发送 /kw import。"
KW_IMPORT_BAD_FILE = "词库文件必须是 UTF-8 编码的 .txt 或 .csv 文件。"
KW_IMPORT_FAILED = "导入失败，词库没有任何改动：\n{problems}"
KW_EXPORT_CAPTION = "词库（{count} 个词条），可修改后用 /kw import 导回。"
KW_WHITELIST_CAPTION = "白名单（{count} 个）"

# Reminders
NUDGE = (
    "⏰ 稿件 #{id}《{title}》{stage}已等待 {waited}，请尽快处理（第 {number} 次提醒）。"
    "\n可发送 /pending 查看。"
)
NUDGE_STAGE_EDITING = "在排版环节"
NUDGE_STAGE_REVIEW = "在第 {tier} 级审核（{tier_name}）"
NUDGE_ESCALATED = (
    "⚠️ 稿件 #{id}《{title}》{stage}已等待 {waited}，已提醒 {number} 次仍未处理，请管理员协调。"
)
WAITED_HOURS = "{hours} 小时"
WAITED_MINUTES = "{minutes} 分钟"
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
AUDIT_COLUMNS = ("编号", "时间", "操作人ID", "操作人", "动作", "动作说明", "稿件", "版本", "详情")

# Publishing
CHANNEL_POST = "<b>{title}</b>\n{category} · {attribution}{original}\n\n{body}"
CHANNEL_ORIGINAL = " · 原创"
CHANNEL_CAPTION = "<b>{title}</b>\n{category} · {attribution}{original}\n\n{excerpt}"
PUBLISHED_NOTICE = "🎉 稿件 #{id}《{title}》已发布到频道。"
PUBLISH_CARD = (
    "📣 <b>稿件 #{id} 待发布</b>（第 {version} 版，三级审核均已通过）\n{summary}{outcome}"
)
PUBLISH_OUTCOME = "\n\n📣 已由 {who} 发布 · {at}"
BUTTON_PUBLISH = "📣 发布"
PUBLISH_STARTED = "正在发布……"
PUBLISH_REFUSED = "不能发布：这一版本没有获得全部三级审核通过。"
DELIVERY_FAILED_ADMINS = "⚠️ 稿件 #{id} 的消息（{kind}）发送失败：{error}"
SENT_NOTICE = (
    "📤 稿件 #{id}《{title}》已由 {editor} 排版并送审，现在等待第 1 级审核（部门负责人）。"
)
PUBLISH_FAILED_ADMINS = "⚠️ 稿件 #{id} 发布到频道失败：{error}。机器人会稍后重试，请检查频道设置。"

# Status, lists, history
STATUS_USAGE = "用法：/status 稿件编号（例如 /status 12）。"
HISTORY_USAGE = "用法：/history 稿件编号（例如 /history 12）。"
STATUS = (
    "📄 <b>稿件 #{id}</b>《{title}》\n状态：{state}\n当前版本：第 {version} 版\n"
    "{summary}\n{decisions}"
)
STATUS_DECISION = "{icon} 第 {tier} 级（{tier_name}）：{reviewer} · {at}{extra}\n"
MY_HEADER = "<b>我的稿件</b>（最近 {count} 份）："
MY_LINE = "#{id}《{title}》— {state}"
MY_EMPTY = "你还没有提交过稿件。"
PENDING_HEADER = "<b>等待你处理的稿件：</b>"
PENDING_SECTION = "\n<b>{stage}</b>"
PENDING_LINE = "#{id}《{title}》第 {version} 版 · 投稿人 {submitter}"
PENDING_EMPTY = "目前没有等待你处理的稿件。"
PENDING_EDITING = "待排版"
HISTORY_HEADER = "🧾 <b>稿件 #{id} 审计记录</b>"
HISTORY_LINE = "{at} · {actor} · {action}{version}{detail}"
HISTORY_VERSION = "（第 {version} 版）"
ACTIONS: Mapping[str, str] = {
    "draft.created": "创建稿件",
    "draft.intake_updated": "填写投稿信息",
    "draft.submitted": "确认投稿",
    "draft.cancelled": "取消投稿",
    "editing.claimed": "认领排版",
    "editing.version": "提交排版稿",
    "editing.sent": "送审",
    "review.approved": "审核通过",
    "review.rejected": "审核驳回",
    "review.refused": "操作被拒绝",
    "draft.revised": "提交修改稿",
    "draft.withdrawn": "撤回",
    "publish.started": "开始发布",
    "publish.done": "已发布",
    "publish.refused": "发布被拒绝",
    "delivery.failed": "消息发送失败",
    "callback.forged": "无效按钮（伪造或过期）",
    "screening.blocked": "关键词筛查：禁止",
    "screening.warned": "关键词筛查：提示",
    "lexicon.added": "添加关键词",
    "lexicon.deleted": "删除关键词",
    "lexicon.allowed": "加入白名单",
    "lexicon.disallowed": "移出白名单",
}
NOT_STAFF = "只有学生会新媒体成员可以查看稿件。"
BAD_DRAFT_NUMBER = "稿件编号应当是数字，例如 12。"

# Refusals, shown as callback alerts or replies
REFUSALS: Mapping[Refusal, str] = {
    Refusal.NOT_FOUND: "找不到这份稿件。",
    Refusal.NOT_OFFICER: NOT_OFFICER,
    Refusal.NOT_STAFF: NOT_STAFF,
    Refusal.NOT_REVIEWER: "你不是第 {tier} 级审核人（{tier_name}），不能审核这一级。",
    Refusal.OWN_DRAFT: "不能审核自己提交的稿件。",
    Refusal.EDITED_IT: "你是这份稿件的排版编辑，不能审核它。",
    Refusal.STALE_VERSION: "这张卡片是旧版本（第 {version} 版），稿件已更新到第 {current} 版。",
    Refusal.ALREADY_DECIDED: "这一步已经处理过了：{who}。",
    Refusal.NOT_YET: "稿件还没有到这一级，现在{state}。",
    Refusal.CLOSED: "稿件{state}，不能再操作。",
    Refusal.NOT_EDITOR: "只有宣传媒体部的编辑可以认领排版。",
    Refusal.CLAIMED: "这份稿件已由 {who} 认领排版。",
    Refusal.NOT_CLAIMANT: "只有认领排版的编辑（{who}）可以送审。",
    Refusal.NOT_SUBMITTER: "只有投稿人（或管理员）可以这样做。",
    Refusal.NOT_REJECTED: "只有被驳回的稿件才能提交修改稿，稿件现在{state}。",
    Refusal.NOT_PUBLISHER: "只有编辑或管理员可以发布。",
    Refusal.NOT_APPROVED: "稿件还没有通过全部三级审核，现在{state}。",
}
REFUSAL_LABELS: Mapping[Refusal, str] = {
    Refusal.NOT_FOUND: "稿件不存在",
    Refusal.NOT_OFFICER: "不是信息员",
    Refusal.NOT_STAFF: "不是成员",
    Refusal.NOT_REVIEWER: "不是该级审核人",
    Refusal.OWN_DRAFT: "审核自己的稿件",
    Refusal.EDITED_IT: "审核自己排版的稿件",
    Refusal.STALE_VERSION: "旧版本的卡片",
    Refusal.ALREADY_DECIDED: "该级已有决定",
    Refusal.NOT_YET: "尚未轮到该级",
    Refusal.CLOSED: "稿件已关闭",
    Refusal.NOT_EDITOR: "不是编辑",
    Refusal.CLAIMED: "已被他人认领",
    Refusal.NOT_CLAIMANT: "不是认领人",
    Refusal.NOT_SUBMITTER: "不是投稿人",
    Refusal.NOT_REJECTED: "稿件未被驳回",
    Refusal.NOT_PUBLISHER: "无发布权限",
    Refusal.NOT_APPROVED: "未通过三级审核",
}
SYSTEM_ACTOR = "机器人"
DECIDED_BY = "{reviewer} 已{outcome}（{at}）"
OUTCOME_WORDS: Mapping[str, str] = {"approve": "通过", "reject": "驳回"}
INVALID_BUTTON = "无效的按钮：这个按钮不是机器人发出的，或者已经过期。"
DONE = "好的。"

# Roles
ROLE_USAGE = (
    "用法：\n/role list\n/role add @用户名 角色 [角色…]\n/role add 数字ID 角色 [姓名]\n"
    "/role del @用户名 角色\n（也可以回复某人的消息发送 /role add 角色）\n"
    "角色：管理员 admin、信息员 officer、编辑 editor、部门负责人 reviewer1、"
    "主席团成员 reviewer2、指导老师 reviewer3"
)
ROLE_ADMIN_ONLY = "只有管理员可以管理角色。"
ROLE_UNKNOWN_USER = "不认识 {who}：请让对方先私聊机器人发送 /start，或使用数字 ID。"
ROLE_UNKNOWN_ROLE = "未知角色：{role}。"
ROLE_ADDED = "已为 {who} 添加角色：{roles}。"
ROLE_ALREADY = "{who} 已经有这些角色了。"
ROLE_REMOVED = "已移除 {who} 的角色：{role}。"
ROLE_NOT_HELD = "{who} 没有角色 {role}。"
ROLE_LAST_ADMIN = "不能移除最后一位管理员。"
ROLE_LIST_HEADER = "<b>成员与角色：</b>"
ROLE_LIST_LINE = "{name}{username} <code>{user_id}</code>：{roles}{team}"

# Errors
INTERNAL_ERROR = "抱歉，处理时出了问题，已记录。请稍后再试；如果反复出现，请联系管理员。"
TEXT_TOO_LONG_NOTE = "……（全文见附件）"


def refusal(reason: Refusal, **params: object) -> str:
    """The message for a refusal, with its placeholders filled."""
    return REFUSALS[reason].format(**params)


__all__ = [name for name in list(globals()) if name.isupper()] + ["refusal"]
