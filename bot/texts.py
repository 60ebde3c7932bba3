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
    Role.VOLUNTEER: "志愿者",
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
HELP_STAFF = (
    "• /account_change 报备新媒体账号变更（须提前 7 个工作日，第十六条）；/account_changes 查看"
)
HELP_ADMIN = (
    "• 管理：/role add|del|list 管理成员角色；/kw 管理筛查词库；/history 编号 查看审计记录；"
    "/urgent 编号 标记紧急稿件；/partner 管理合作单位；\n"
    "/report [时段] 考核报告（指导老师也可用）"
)
HELP_EVERYONE = (
    "• /status 编号、/history 编号：查看稿件进度和完整记录（成员可用）\n"
    "• 在群里回复可疑消息发送 /jubao [理由]，举报不良、不实信息（第二十四条）"
)
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
    "urgent": "标记紧急稿件（管理员）：/urgent 编号 [取消]",
    "role": "管理角色：/role add|del|list",
    "kw": "管理筛查词库：/kw add|del|list|allow|test|import|export",
    "meeting": "筹划会安排：/meeting [set 规则|off]",
    "agenda": "为下次筹划会添加议题：/agenda 议题",
    "inbox": "待回复的提问",
    "audit": "导出审计记录（CSV）：/audit [开始日期] [结束日期]",
    "report": "考核报告：/report [2026-11|2026|上月|开始 结束]",
    "partner": "合作单位转载：/partner add|del|list",
    "jubao": "举报不良、不实信息：回复该消息发送 /jubao [理由]",
    "account_change": "报备新媒体账号变更（须提前 7 个工作日）",
    "account_changes": "账号变更报备：/account_changes [all|cancel 编号]",
}

# Intake
INTAKE_CARD = (
    "📥 <b>稿件 #{id}</b>《{title}》\n"
    "类别：{category}\n署名：{attribution}\n原创：{original}\n紧急：{urgent}\n{attachment}"
    "\n请用下面的按钮选择类别、署名和是否原创，然后点「提交」。"
    "突发事件、重大新闻可标记「紧急」（第十条），各级审核人会立即收到预告。"
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
    "{urgent}标题：{title}\n类别：{category}\n署名：{attribution}\n原创：{original}\n"
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
DELIVERY_FAILED_ADMINS_NO_DRAFT = "⚠️ 机器人的消息（{kind}）发送失败：{error}"
# What each outbox kind is, for the admins' alert when one cannot be delivered.
DELIVERY_KINDS: Mapping[str, str] = {
    "editing_card": "排版卡片",
    "review_card": "审核卡片",
    "publish_card": "发布卡片",
    "notify": "通知",
    "publish": "发布",
    "account_change": "账号变更报备",
    "report_card": "举报卡片",
    "report_refresh": "举报卡片更新",
    "report_notice": "举报处理通知",
    "repost_offer": "合作账号转载邀请",
}
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
PENDING_LINE = "{urgent}#{id}《{title}》第 {version} 版 · 投稿人 {submitter}"
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
    "draft.urgent": "更改紧急标记",
    "publish.started": "开始发布",
    "publish.done": "已发布",
    "publish.refused": "发布被拒绝",
    "delivery.failed": "消息发送失败",
    "callback.forged": "无效按钮（伪造或过期）",
    "assessment.report": "查看考核报告",
    "assessment.refused": "查看考核报告被拒绝",
    "partner.added": "登记合作单位",
    "partner.restored": "重新启用合作单位",
    "partner.removed": "移除合作单位",
    "partner.moved": "合作单位群升级，更新 chat id",
    "partner.unreachable": "合作单位群无法送达",
    "repost.queued": "推送给合作单位",
    "repost.marked": "合作单位已转载",
    "repost.failed": "推送合作单位失败",
    "screening.blocked": "关键词筛查：禁止",
    "screening.warned": "关键词筛查：提示",
    "lexicon.added": "添加关键词",
    "lexicon.deleted": "删除关键词",
    "lexicon.allowed": "加入白名单",
    "lexicon.disallowed": "移出白名单",
    "report.filed": "举报不良信息",
    "report.refused": "举报操作被拒绝",
    "report.card_sent": "举报已送达管理员",
    "report.card_failed": "举报未能送达某位管理员",
    "report.handled": "举报已处理",
    "report.notified": "已告知举报人处理结果",
    "report.notice_failed": "无法告知举报人处理结果",
    "account_change.filed": "报备账号变更",
    "account_change.cancelled": "撤销账号变更报备",
    "account_change.refused": "账号变更报备操作被拒绝",
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
    Refusal.ROLE_ENDED: (
        "你的志愿者身份已于 {until} 到期，不能再投稿或修改稿件。"
        "已提交的稿件会照常审核；如需修改，请联系信息员或管理员（管理员可用 /revise 编号）。"
    ),
    Refusal.VOLUNTEER_ATTRIBUTION: "志愿者稿件按第十二条归属校学生会，署名不能更改。",
    Refusal.NOT_ADMIN: "只有管理员可以这样做。",
    Refusal.OTHER_TIER: (
        "第十三条：三级审核须由三人分别完成。你已审核过这份稿件第 {version} 版的另一级，"
        "不能再审核第 {tier} 级（{tier_name}），请由其他{tier_name}审核。"
    ),
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
    Refusal.ROLE_ENDED: "志愿者身份已到期",
    Refusal.VOLUNTEER_ATTRIBUTION: "更改志愿者稿件署名",
    Refusal.NOT_ADMIN: "不是管理员",
    Refusal.OTHER_TIER: "同一人审核两级",
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
    "主席团成员 reviewer2、指导老师 reviewer3、志愿者 volunteer\n"
    "志愿者须写明最后一天，例如：/role add @用户名 志愿者 2026-12-31"
)
ROLE_ADMIN_ONLY = "只有管理员可以管理角色。"
ROLE_UNKNOWN_USER = "不认识 {who}：请让对方先私聊机器人发送 /start，或使用数字 ID。"
ROLE_UNKNOWN_ROLE = "未知角色：{role}。"
ROLE_ADDED = "已为 {who} 添加角色：{roles}。"
ROLE_VOLUNTEER_UNTIL = "（志愿期至 {until}，到期后自动失效）"
ROLE_VOLUNTEER_NEEDS_DATE = (
    "志愿者角色须写明最后一天（第十二条：志愿者按活动招募），"
    "例如：/role add @用户名 志愿者 2026-12-31"
)
ROLE_DATE_ONLY_VOLUNTEER = "只有志愿者角色有截止日期；其他角色请不要写日期。"
ROLE_DATE_PAST = "截止日期 {date} 已经过去了，请写今天或以后的日期。"
ROLE_BAD_DATE = "看不懂日期「{text}」，请写成 2026-12-31 这样的格式。"
ROLE_LIST_EXPIRY = "（至 {until}）"
ROLE_LIST_EXPIRED = "（已于 {until} 到期）"
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


# Urgent drafts (article 10) and volunteers (article 12)
URGENT_MARK = "🔴 <b>紧急</b> "
URGENT_LINE = "🔴 <b>紧急稿件</b>（第十条）：请优先处理\n"
BUTTON_URGENT = "🔴 紧急"
BUTTON_NOT_URGENT = "普通"
URGENT_HEADS_UP = (
    "🔴 <b>紧急稿件预告</b> · 稿件 #{id}《{title}》\n类别：{category}\n署名：{attribution}\n"
    "现在：{state}\n"
    "按第十条，请第 {tier} 级审核（{tier_name}）做好准备：轮到你们时卡片会立即送达，"
    "请在 {hours} 小时内处理。审核仍逐级进行，不会跳过任何一级。"
)
URGENT_USAGE = (
    "用法：/urgent 稿件编号（标记为紧急），/urgent 稿件编号 取消（取消紧急）。"
    "紧急稿件各级审核人会立即收到预告，期限缩短为 {hours} 小时。"
)
URGENT_SET = "已将稿件 #{id}《{title}》标记为紧急：各级审核人已收到预告，期限 {hours} 小时。"
URGENT_CLEARED = "已取消稿件 #{id}《{title}》的紧急标记，期限恢复正常。"
URGENT_SET_NOTICE = (
    "🔴 你的稿件 #{id}《{title}》已被 {who} 标记为紧急（第十条），各级审核期限缩短为 {hours} 小时。"
)
URGENT_ALREADY = "稿件 #{id} 已经是这个状态了。"
ATTR_VOLUNTEER = "校学生会（志愿者供稿，第十二条）"
VOLUNTEER_ATTRIBUTION_NOTE = "志愿者稿件按第十二条归属校学生会，无需选择署名。"
HELP_VOLUNTEER = (
    "• 志愿者：在志愿期内像信息员一样投稿；稿件署名归校学生会（第十二条），志愿期结束后不能再投稿"
)

# Content reports: /jubao (article 24)
JUBAO_USAGE = (
    "用法：在群里<b>回复</b>要举报的消息，发送 /jubao [理由]，例如 /jubao 造谣。\n"
    "管理员会收到这条消息的链接并跟进处理；处理后我会私聊告诉你（需要你私聊过我）。"
)
JUBAO_USAGE_ADMIN = (
    "\n管理员：私聊我发送 /jubao 查看待处理的举报，/jubao done 编号 [备注] 标记已处理。"
)
JUBAO_NOT_MEMBER = (
    "抱歉，只有学生会成员可以使用 /jubao 举报。如发现不良、不实信息，请联系学生会工作人员。"
)
JUBAO_NOT_GROUP = "请在群里回复要举报的消息并发送 /jubao；私聊中的消息不能举报。"
JUBAO_BOT_MESSAGE = "这是机器人自己发的消息，不能举报。如果它有问题，请直接联系管理员。"
JUBAO_REASON_TOO_LONG = "举报理由最多 {limit} 个字（现在 {length} 个），请精简后重新发送。"
JUBAO_FILED = "🚩 已收到举报 #{id}，已转交管理员处理。谢谢！"
JUBAO_DUPLICATE_OPEN = "你已经举报过这条消息（举报 #{id}），管理员会处理，不必重复举报。"
JUBAO_DUPLICATE_HANDLED = "你已经举报过这条消息（举报 #{id}），管理员已于 {at} 处理。"
JUBAO_CARD = (
    "🚩 <b>举报 #{id}</b>\n"
    "群聊：{chat}\n"
    "举报人：{reporter}\n"
    "发送人：{author}\n"
    "理由：{reason}\n"
    "时间：{at}\n"
    "消息摘录：\n<blockquote>{excerpt}</blockquote>\n"
    "{where}\n{others}{status}"
)
JUBAO_LINK = '原消息：<a href="{link}">{link}</a>'
JUBAO_NO_LINK = "该群是普通群，Telegram 不提供消息链接（消息编号 {message_id}），请以上方摘录为准。"
JUBAO_OTHERS = "同一消息的其他待处理举报：{ids}\n"
JUBAO_NO_REASON = "（未填写）"
JUBAO_NO_TEXT = "（无文字内容）"
JUBAO_STATUS_OPEN = "核实处理后请点「标记已处理」。"
JUBAO_STATUS_HANDLED = "✅ 已由 {who} 于 {at} 标记为已处理。{note}"
JUBAO_NOTE = "备注：{note}"
BUTTON_JUBAO_HANDLED = "标记已处理"
JUBAO_HANDLED = "✅ 已将举报 #{id} 标记为已处理。{also}"
JUBAO_ALSO = "同一消息的举报 {ids} 也一并处理。"
JUBAO_ADMIN_ONLY = "只有管理员可以查看和处理举报。"
JUBAO_NOT_FOUND = "找不到举报 #{id}。"
JUBAO_ALREADY_HANDLED = "举报 #{id} 已由 {who} 于 {at} 标记为已处理。"
JUBAO_DONE_USAGE = "用法：/jubao done 编号 [备注]，例如 /jubao done 3 已删除并提醒发送人。"
JUBAO_NOTE_TOO_LONG = "备注最多 {limit} 个字（现在 {length} 个），请精简后重新发送。"
JUBAO_NOTICE = "✅ 你举报的消息（举报 #{id}，{chat}）已由管理员处理。谢谢你帮助维护良好的网络环境！"
JUBAO_LIST_HEADER = "🚩 <b>待处理的举报（{count} 条，最早的在前）</b>"
JUBAO_LIST_LINE = "#{id} · {age}前 · {chat} · 举报人 {reporter}{reason}\n　{where}"
JUBAO_LIST_REASON = " · 理由：{reason}"
JUBAO_LIST_EXCERPT = "普通群，无链接；摘录：{excerpt}"
JUBAO_LIST_MORE = "……另有 {count} 条未列出，请先处理上面的举报。"
JUBAO_LIST_FOOTER = "发送 /jubao done 编号 [备注] 标记已处理。"
JUBAO_LIST_EMPTY = "目前没有待处理的举报。"
JUBAO_MEDIA: Mapping[str, str] = {
    "photo": "[图片]",
    "document": "[文件]",
    "video": "[视频]",
    "animation": "[动图]",
    "voice": "[语音]",
    "audio": "[音频]",
    "sticker": "[贴纸]",
    "other": "[非文字消息]",
}
JUBAO_CHANNEL_AUTHOR = "{title}（以频道或群身份发送）"

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


# Partner reposts (article 17): /partner, the 已转载 button, the weekly digest
PARTNER_USAGE = (
    "用法：\n/partner list　查看合作单位及转载情况\n"
    "/partner add chat_id 名称　登记合作单位的群或频道（管理员，私聊）\n"
    "/partner add 名称　在合作单位的群里发送，登记这个群（管理员）\n"
    "/partner del 编号或chat_id　移除合作单位（管理员）\n"
    "登记前请先把机器人加入该群（频道须把机器人设为管理员）。"
)
PARTNER_ADMIN_ONLY = "只有管理员可以登记或移除合作单位。"
PARTNER_STAFF_ONLY = "只有学生会成员可以查看合作单位。"
PARTNER_NEED_CHAT = (
    "请写明合作单位群的 chat id，例如 /partner add -1001234567890 计算机学院学生会；"
    "或者在该群里发送 /partner add 名称。"
)
PARTNER_BAD_CHAT_ID = "「{text}」不是群或频道的 chat id：应当是负数，例如 -1001234567890。"
PARTNER_NEED_NAME = "请写上合作单位的名称，例如 /partner add -1001234567890 计算机学院学生会。"
PARTNER_NAME_TOO_LONG = "名称太长了（最多 {limit} 字），请改短一些。"
PARTNER_CHAT_UNSEEN = (
    "机器人看不到会话 <code>{chat}</code>（{error}）。"
    "请先把机器人加入该群（频道须把机器人设为管理员），再重新登记。没有做任何改动。"
)
PARTNER_CHANNEL_NOT_ADMIN = (
    "机器人还不是频道「{title}」的管理员，无法在频道里发消息。"
    "请先把机器人设为管理员，再重新登记。没有做任何改动。"
)
PARTNER_OWN_CHAT = "<code>{chat}</code> 是本学生会自己的群或频道，不能登记为合作单位。"
PARTNER_ADDED = (
    "✅ 已登记合作单位 #{id}「{name}」（{title}，<code>{chat}</code>）。"
    "今后发布的内容都会推送到该群，并附「已转载」按钮。"
)
PARTNER_RESTORED = (
    "✅ 已重新启用合作单位 #{id}「{name}」（{title}，<code>{chat}</code>）。"
    "今后发布的内容会再次推送到该群。"
)
PARTNER_EXISTS = "这个会话已经是合作单位 #{id}「{name}」了，没有做任何改动。"
PARTNER_BAD_REF = "「{ref}」不是合作单位编号或 chat id。可发送 /partner list 查看编号。"
PARTNER_NOT_FOUND = "找不到合作单位「{ref}」。可发送 /partner list 查看编号。"
PARTNER_ALREADY_REMOVED = "合作单位 #{id}「{name}」已经移除了。"
PARTNER_REMOVED = (
    "已移除合作单位 #{id}「{name}」：今后发布的内容不再推送；已推送的内容仍可点「已转载」登记。"
)
PARTNER_LIST_HEADER = "<b>合作单位</b>（{count} 个）："
PARTNER_LIST_LINE = (
    "#{id} {name} <code>{chat}</code>\n"
    "　已推送 {offered} · 已转载 {reposted} · 待转载 {outstanding}{failed}{unreachable}"
)
PARTNER_LIST_FAILED = " · 发送失败 {count}"
PARTNER_LIST_UNREACHABLE = "\n　⚠️ 机器人无法向该群发送消息，请检查机器人是否仍在群里"
PARTNER_LIST_EMPTY = "还没有登记合作单位。管理员可在合作单位的群里发送 /partner add 名称 登记。"
REPOST_OFFER = (
    "📣 <b>{union}</b> 发布了新内容，欢迎转载：\n《{title}》\n{category} · {attribution}{original}"
    "\n\n转载时请注明来源「{union}」。转载后请点下方「已转载」，方便我们登记。"
)
REPOST_DONE_LINE = "\n\n✅ <b>已转载</b> · {who} · {at}"
BUTTON_REPOSTED = "✅ 已转载"
REPOST_THANKS = "已登记为已转载，谢谢！"
REPOST_ALREADY = "已登记过了：{who} 于 {at} 登记为已转载。"
PARTNER_UNREACHABLE_ADMINS = (
    "⚠️ 合作单位 #{id}「{name}」（<code>{chat}</code>）无法送达：{error}\n"
    "这次推送已记为失败，不会重试。机器人重新加入该群后，之后发布的内容会照常推送；"
    "也可用 /partner del {id} 移除。同一次中断只通知一次。"
)
PARTNER_DIGEST_ADMINS = (
    "📋 <b>合作单位转载周报</b>：{partners} 个合作单位共 {count} 篇推送尚未登记转载"
)
PARTNER_DIGEST_SECTION = "\n<b>#{id} {name}</b>（{count} 篇）"
PARTNER_DIGEST_LINE = "• 稿件 #{draft}《{title}》· {at} 推送"
PARTNER_DIGEST_PARTNER = (
    "📋 <b>{union}</b> 待转载内容（{count} 篇）：\n{lines}\n\n"
    "转载后请点对应推送下方的「已转载」按钮，谢谢！"
)
PARTNER_DIGEST_PARTNER_LINE = "• 《{title}》· {at} 推送"
PARTNER_DIGEST_MORE = "……另有 {count} 篇"

# Assessment reports: /report (articles 19-21)
REPORT_USAGE = (
    "用法：/report [时段]，时段按本地日期、含首尾两天：\n"
    "• /report　本月至今\n"
    "• /report 2026-11　某个月（也可写 上月、本月）\n"
    "• /report 2026　某一年（也可写 本年、去年）\n"
    "• /report 2026-09-01 2026-11-30　起止日期\n"
    "• /report 2026-09 2026-11　起止月份"
)
REPORT_NOT_ALLOWED = "只有管理员和指导老师可以查看考核报告。"
REPORT_WRONG_CHAT = "考核报告含有每位成员的个人数据，请在与机器人的私聊或管理员群中发送 /report。"
REPORT_BAD_WORD = "没能识别「{value}」。\n" + REPORT_USAGE
REPORT_BAD_DATE = "「{value}」不是存在的日期或月份，请检查月份（1–12）和日期。\n" + REPORT_USAGE
REPORT_BAD_YEAR = "「{value}」的年份 {year} 不在 2000–2100 之间。\n" + REPORT_USAGE
REPORT_REVERSED = (
    "「{second}」早于「{first}」：请把开始写在前、结束写在后，例如 /report 2026-09-01 2026-11-30。"
)
REPORT_FUTURE = (
    "{start} 还没到（今天是 {today}），没有可以统计的记录。要看本月至今，直接发送 /report。"
)
REPORT_TOO_LONG = "{start} 至 {end} 超过 10 年，请缩短时段，例如按年查看：/report 2026。"
REPORT_LABEL_MONTH = "{year}年{month}月"
REPORT_LABEL_YEAR = "{year}年"
REPORT_LABEL_DAY = "{year}年{month}月{day}日"
REPORT_LABEL_RANGE = "{start} 至 {end}"
REPORT_HEADER = "📊 <b>考核报告 · {label}</b>\n{start} 至 {end}（{tz}）{clipped}"
REPORT_CLIPPED = "，统计到今天"
REPORT_EMPTY = (
    "这段时间没有投稿、审核、排版、回复提问或转载的记录，所以没有图表；附上只有表头的 CSV 备查。"
)
REPORT_DRAFTS_LINE = (
    "<b>稿件</b>：投稿 {submitted} 篇（原创 {original}，紧急 {urgent}），"
    "通过三审 {approved} 篇，其中一次通过 {first_time} 篇（{rate}），"
    "被驳回 {rejected} 次，发布 {published} 篇"
)
REPORT_EDITS_LINE = "<b>排版</b>：送审 {edited} 篇"
REPORT_REVIEW_LINE = "<b>审核</b>：{tiers}"
REPORT_TIER_PART = "{tier} {count} 次（中位 {median}）"
REPORT_INBOX_LINE = "<b>提问</b>：按时首次回复 {on_time} 个，逾期 {late} 个"
REPORT_REPOSTS_LINE = "<b>合作转载</b>：{reposts} 次"
REPORT_TOP_HEADER = "<b>得分前列</b>："
REPORT_TOP_LINE = "{rank}. {name}　{score} 分（{parts}）"
REPORT_TOP_NONE = "（这段时间无人得分）"
REPORT_NOTES_HEADER = "<b>说明</b>："
REPORT_NOTES = (
    "• 一次通过：通过三审之前，任何一级、任何版本都没有被驳回；"
    "一次通过率 = 一次通过 ÷ 通过三审。\n"
    "• 审核用时：从这一版送达该级（审核卡片排队发出）到做出决定，按自然时间计。\n"
    "• 原创、紧急稿件在投稿之外另行计数（第 14 条）。"
)
REPORT_WEIGHTS_NOTE = (
    "• 得分按 {years} 年的考核分值{overrides}计算；每人明细见 CSV 的「得分明细」。"
)
REPORT_OVERRIDES = "（含 {tables}）"
REPORT_UNKNOWN_ARRIVALS = "• 另有 {count} 次审核决定找不到送达时间：已计入次数，未计入用时。"
REPORT_NA = "—"
REPORT_HOURS = "{hours:.1f} 小时"
REPORT_MINUTES = "{minutes:.0f} 分钟"
REPORT_RATE = "{rate:.0%}"
REPORT_POINTS_PART = "{name} {count}（{points}分）"
REPORT_POINTS_SEPARATOR = "；"
REPORT_UNCATEGORISED = "未分类"
REPORT_TOTAL = "合计"
REPORT_METRIC_NAMES: Mapping[str, str] = {
    "submitted": "投稿",
    "original": "原创",
    "urgent": "紧急",
    "approved": "通过三审",
    "first_time": "一次通过",
    "rejected": "被驳回",
    "edited": "排版送审",
    "reviews": "审核",
    "answered_on_time": "按时回复",
    "answered_late": "逾期回复",
    "reposts": "合作转载",
}
REPORT_ROLE_NAMES: Mapping[str, str] = {
    "admin": "管理员",
    "officer": "信息员",
    "editor": "编辑",
    "reviewer1": "部门负责人",
    "reviewer2": "主席团成员",
    "reviewer3": "指导老师",
    "volunteer": "志愿者",
}
REPORT_COLUMNS = (
    "成员ID",
    "成员",
    "组",
    "角色",
    "投稿",
    "原创",
    "紧急",
    "通过三审",
    "一次通过",
    "一次通过率",
    "被驳回",
    "发布",
    "排版送审",
    "一审",
    "二审",
    "三审",
    "审核中位用时（小时）",
    "按时回复",
    "逾期回复",
    "合作转载",
    "得分",
    "得分明细",
)
REPORT_CSV_FILE = "考核报告-{start}-{end}.csv"
REPORT_CSV_CAPTION = "考核明细 {start} 至 {end}：{count} 位成员，按得分由高到低，末行为合计。"
REPORT_CSV_CAPTION_EMPTY = "考核明细 {start} 至 {end}：没有记录，只有表头。"
REPORT_CHART_FILE = "考核图表-{start}-{end}.png"
REPORT_CHART_CAPTION = "左：每月投稿（按类别）；右：各级审核中位用时（小时）。"
REPORT_TIER_SHORT: Mapping[int, str] = {1: "一审", 2: "二审", 3: "三审"}
# The chart's words; English ones stand in on machines without a font that draws Chinese.
REPORT_CHART_ZH: Mapping[str, str] = {
    "title": "考核报告 · {period}",
    "drafts_title": "每月投稿（按类别）",
    "drafts_axis": "篇数",
    "hours_title": "各级审核中位用时",
    "hours_axis": "小时",
    "minutes_axis": "分钟",
    "no_drafts": "没有投稿",
    "other": "其他",
    "count": "{n} 次",
}
REPORT_CHART_EN: Mapping[str, str] = {
    "title": "Assessment report {period}",
    "drafts_title": "Drafts submitted per month, by category",
    "drafts_axis": "drafts",
    "hours_title": "Median review time per tier",
    "hours_axis": "hours",
    "minutes_axis": "minutes",
    "no_drafts": "No drafts submitted",
    "other": "Other",
    "count": "n={n}",
}
REPORT_TIER_EN: Mapping[int, str] = {
    1: "Tier 1\ndept. head",
    2: "Tier 2\npresidium",
    3: "Tier 3\nadvisor",
}
REPORT_CATEGORY_EN: Mapping[str, str] = {
    "新闻与通知类": "News & notices",
    "文体类": "Culture & sports",
    "学术科技类": "Academic & tech",
    "职业实践类": "Career & practice",
    "思想类": "Ideas & values",
    "权益类": "Student rights",
    "未分类": "Uncategorised",
}


# --- Hostile input: files over a limit, invisible drafts, one person per tier (issue 10) ---
# A file over one of the extraction limits: each names the limit, and what to do instead.
DOCUMENT_LIMIT_UNPACKED = (
    "文件解压后超过 {limit} MB 的上限，机器人不予读取。请删去多余内容或压缩图片后重新发送，"
    "或直接发送文字。"
)
DOCUMENT_LIMIT_XML = (
    "文档的正文数据解压后超过 {limit} MB 的上限，机器人不予读取。请精简文档后重新发送，"
    "或直接发送文字。"
)
DOCUMENT_LIMIT_ELEMENTS = (
    "文档结构过于复杂（超过 {limit} 个元素的上限），机器人不予读取。"
    "请另存为新文档或导出为 PDF 后重新发送，或直接发送文字。"
)
DOCUMENT_LIMIT_PARAGRAPHS = (
    "文档超过 {limit} 个段落的上限（含空段落），机器人不予读取。请删去多余的空行后重新发送，"
    "或直接发送文字。"
)
DOCUMENT_LIMIT_DEPTH = (
    "文档嵌套超过 {limit} 层的上限，机器人不予读取。请另存为新文档后重新发送，或直接发送文字。"
)
DOCUMENT_LIMIT_TIME = (
    "读取文件超过 {limit} 秒的时间上限，已停止。请精简文档后重新发送，或直接发送文字。"
)
DOCUMENT_LIMIT_MEMORY = (
    "读取文件所需内存超过 {limit} MB 的上限，已停止。请精简文档后重新发送，或直接发送文字。"
)
DOCUMENT_LIMIT_PDF_OBJECTS = (
    "PDF 含有超过 {limit} 个对象的上限，机器人不予读取。请重新导出 PDF 或直接发送文字。"
)
DOCUMENT_LIMIT_PDF_STREAM = (
    "PDF 中有数据流解压后超过 {limit} MB 的上限，机器人不予读取。请重新导出 PDF 或直接发送文字。"
)
DOCUMENT_LIMIT_PDF_PAGES = (
    "PDF 的页面结构超过 {limit} 页的上限，机器人不予读取。请拆分或重新导出 PDF 后重新发送。"
)
DOCUMENT_LIMIT_PIXELS = "图片超过 {limit} 万像素的上限（{width}×{height}），请缩小后重新发送。"
DOCUMENT_HAS_DTD = "文档含有不允许的 DTD 声明（正常的 Word 文档不会有），机器人不予读取。"
# A draft whose every character is invisible (zero-width spaces, joiners, direction marks…).
INVISIBLE_DRAFT = (
    "稿件只有看不见的字符（如零宽空格、方向标记），没有可读的文字。请发送正文，"
    "文件或图片请附上说明。"
)


# Every catalogue entry above, whichever feature's block it is in.
__all__ = [name for name in list(globals()) if name.isupper()] + ["refusal"]
