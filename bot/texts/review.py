"""Drafts from intake to publication: cards, rejections, revisions, status, refusals, urgency."""

from __future__ import annotations

from collections.abc import Mapping

from bot.texts.refusals import REFUSAL_ACTIONS
from storage.models import Refusal

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
EDITING_CARD = "📝 <b>稿件 #{id} {header}</b> · 第 {version} 版\n{content}{meta}\n\n{status}"
EDITING_UNCLAIMED = (
    "请点「认领排版」，然后回复本卡片发送排版后的版本（文字或文件），完成后点「送审」。"
)
EDITING_CLAIMED = (
    "✍️ {editor} 已认领排版。回复本卡片发送排版稿（可多次，以最后一版为准），完成后点「送审」。"
)
EDITING_SENT = "📤 {editor} 已将第 {version} 版送审。"
EDITING_CLOSED = "稿件{state}。"
BUTTON_CLAIM = "🙋 认领排版"
BUTTON_SEND = "📤 送审"
CLAIMED_OK = "已认领稿件 #{id}，请回复卡片发送排版稿。"
LAYOUT_RECEIVED = "已收到稿件 #{id} 的排版稿（第 {version} 版）。确认无误后点卡片上的「送审」。"
SENT_TO_REVIEW = "已送审：稿件 #{id} 第 {version} 版进入第 1 级审核。"

# Review cards
REVIEW_CARD = (
    "{header} · 稿件 #{id} · 第 {version} 版\n{content}{warnings}{revision}{meta}\n{trail}{outcome}"
)
# A review card's first line says where it stands now, not only what it asked for.
REVIEW_HEADERS: Mapping[str, str] = {
    "pending": "🔍 <b>第 {tier} 级审核（{tier_name}）</b>",
    "approve": "✅ <b>第 {tier} 级已通过（{tier_name}）</b>",
    "reject": "❌ <b>第 {tier} 级已驳回（{tier_name}）</b>",
    "closed": "⏹ <b>第 {tier} 级审核（{tier_name}）· {state}</b>",
}
CARD_SUPERSEDED = "已失效"
SUMMARY = (
    "{urgent}标题：{title}\n类别：{category}\n署名：{attribution}\n原创：{original}\n"
    "投稿人：{submitter}\n排版：{editor}"
)
FULL_TEXT_ATTACHED = "（正文较长，全文见上方文件）\n"
TRAIL_LINE = "✅ 第 {tier} 级（{tier_name}）{reviewer} 已通过 · {at}\n"
OUTCOME_APPROVED = "\n✅ <b>{reviewer} 已通过</b> · {at}"
OUTCOME_REJECTED = "\n❌ <b>{reviewer} 已驳回</b> · {at}\n未达标：{criteria}\n理由：{reason}"
OUTCOME_CLOSED = "\n⏹ 稿件{state}，本卡片失效。"
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
    "{next_step}"
)
NO_CRITERIA = "（未勾选）"

# Revision and withdrawal
REVISE_USAGE = "用法：/revise 稿件编号（例如 /revise 12），然后按提示回复修改稿。"
REVISE_PROMPT = "{mention} 请<b>回复本消息</b>，发送稿件 #{id} 的修改稿（文字或文件）。"
REVISED = "✅ 稿件 #{id} 已更新为第 {version} 版，现在{state}。"
WITHDRAW_USAGE = "用法：/withdraw 稿件编号（例如 /withdraw 12）。"
WITHDRAWN = "已撤回稿件 #{id}《{title}》。"
WITHDRAWN_NOTICE = "⏹ 稿件 #{id}《{title}》已被 {who} 撤回。"

# Publishing
CHANNEL_POST = "<b>{title}</b>\n{category} · {attribution}{original}\n\n{body}"
CHANNEL_ORIGINAL = " · 原创"
CHANNEL_CAPTION = "<b>{title}</b>\n{category} · {attribution}{original}\n\n{excerpt}"
PUBLISHED_NOTICE = "🎉 稿件 #{id}《{title}》已发布到频道。"
PUBLISH_CARD = (
    "📣 <b>稿件 #{id} {header}</b> · 第 {version} 版（三级审核均已通过）\n{title}{meta}{outcome}"
)
PUBLISH_OUTCOME = "\n\n📣 已由 {who} 发布 · {at}"
BUTTON_PUBLISH = "📣 发布"
PUBLISH_STARTED = "正在发布……"
PUBLISH_REFUSED = "不能发布：这一版本没有获得全部三级审核通过。"
DELIVERY_FAILED_ADMINS = "⚠️ 稿件 #{id} 的消息（{kind}）发送失败：{error}"
DELIVERY_FAILED_ADMINS_NO_DRAFT = "⚠️ 机器人的消息（{kind}）发送失败：{error}"
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
    "final.requested": "重新发送定稿",
    "publication.posted": "登记发布链接",
    "publication.verified": "核对发布：与定稿一致",
    "publication.differs": "核对发布：与定稿不一致",
    "publication.unavailable": "核对发布：无法读取文章",
    "wechat.drafted": "放入公众号草稿箱",
    "wechat.failed": "放入公众号草稿箱失败",
    "delivery.failed": "消息发送失败",
    "callback.forged": "无效按钮（伪造或过期）",
    **REFUSAL_ACTIONS,
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
    "standin.set": "安排代审",
    "reasons.added": "添加常用驳回理由",
    "reasons.removed": "删除常用驳回理由",
    "standin.ended": "结束代审",
    "review.handover": "转交审核",
    "meeting.set": "设置筹划会",
    "meeting.off": "停止筹划会提醒",
    "role.granted": "添加角色",
    "role.revoked": "移除角色",
    "role.seeded": "按配置设置角色",
    "role.team": "设置所在组",
    "draft.appended": "追加内容到稿件",
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
    Refusal.UNCLAIMED: "请先点「认领排版」，再回复卡片发送排版稿。",
    Refusal.NO_CRITERIA: "请至少勾选一项未达标的标准，再填写理由。",
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
    Refusal.STANDIN_TWICE: (
        "你已经审核过这一版的另一级，不能再代审第 {tier} 级（{tier_name}）："
        "每一级须由不同的人把关。"
    ),
    Refusal.ATTRIBUTION_CONFLICT: "{why}",
    Refusal.ONE_FILE: (
        "稿件 #{id} 已经带了一个文件，一份稿件目前只能带一个文件。"
        "请把图文合进一个 .docx 或 .pdf 再发，或把这条作为新稿件。"
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
    Refusal.UNCLAIMED: "尚未认领排版",
    Refusal.NO_CRITERIA: "驳回未勾选标准",
    Refusal.NOT_SUBMITTER: "不是投稿人",
    Refusal.NOT_REJECTED: "稿件未被驳回",
    Refusal.NOT_PUBLISHER: "无发布权限",
    Refusal.NOT_APPROVED: "未通过三级审核",
    Refusal.ROLE_ENDED: "志愿者身份已到期",
    Refusal.VOLUNTEER_ATTRIBUTION: "更改志愿者稿件署名",
    Refusal.NOT_ADMIN: "不是管理员",
    Refusal.OTHER_TIER: "同一人审核两级",
    Refusal.STANDIN_TWICE: "代审人已审过另一级",
    Refusal.ATTRIBUTION_CONFLICT: "署名与原创矛盾",
    Refusal.ONE_FILE: "稿件已带文件",
}
SYSTEM_ACTOR = "机器人"
DECIDED_BY = "{reviewer} 已{outcome}（{at}）"
OUTCOME_WORDS: Mapping[str, str] = {"approve": "通过", "reject": "驳回"}
INVALID_BUTTON = "无效的按钮：这个按钮不是机器人发出的，或者已经过期。"
DONE = "好的。"


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
BUTTON_PENDING_CARD = "📨 发第 {tier} 级审核卡片 · 稿件 #{id}"
PENDING_CARD_HINT = "卡片丢了或找不到？点下面的按钮，机器人把带「通过」「驳回」的审核卡片发到这里。"


# --- Issue 12: editors in the loop, cards that fit a phone, revisions in context -------------
CARD_TITLE = "<b>{title}</b>\n"
CARD_URGENT = "🔴 <b>紧急稿件</b>（第十条）\n"
CARD_BODY = "<blockquote>{excerpt}</blockquote>\n"
CARD_FULL_TEXT = "（共 {chars} 字，全文见上方文件）\n"
CARD_FILE = "📎 {file}（见上方文件）\n"
CARD_NOTE = "附言：{note}\n"
CARD_PHOTO = "图片"
CARD_META = "{category} · {attribution} · {original} · 投稿 {submitter}{editor}"
CARD_META_EDITOR = " · 排版 {editor}"
CARD_ORIGINAL = "原创"
CARD_NOT_ORIGINAL = "非原创"
CARD_ORIGINAL_UNSET = "原创未选"
CARD_TRAIL = "✅ {steps}\n"
CARD_TRAIL_STEP = "第 {tier} 级 {reviewer} 已通过"
CARD_WARNINGS = "⚠️ 敏感词提示：{terms}\n"
EDITING_HEADERS: Mapping[str, str] = {
    "editing": "待排版",
    "sent": "已送审",
    "closed": "{state}",
}
PUBLISH_HEADERS: Mapping[str, str] = {
    "approved": "待发布",
    "publishing": "发布中",
    "published": "已发布",
    "closed": "{state}",
}
EDITING_RETURNED = (
    "↩️ 退回修改后的新版本，仍由 {editor} 排版：回复本卡片发送排版稿，完成后点「送审」。"
)
REVISION_SECTION = (
    "↩️ 上一版（第 {previous} 版）被第 {tier} 级（{tier_name}）{reviewer} 驳回："
    "{criteria}；理由：{reason}\n"
    "<b>改动</b>：{diff}\n"
)
REVISION_UNCHANGED = "正文未改动"
EDITING_SUPERSEDED = "⏹ 稿件 #{id} 已有新版本（第 {version} 版），请看新的排版卡片。"
REVISION_DIFF_FILE = "（完整对比见上方文件）"
REVISION_DIFF_WHAT = "稿件{id}-第{previous}版与第{version}版对比"
REVISION_DIFF_CAPTION = "稿件 #{id} 第 {previous} 版 → 第 {version} 版的改动（- 删去，+ 新增）"
DIFF_MORE = "……另有 {count} 处改动"
NEXT_STEP_REVIEW = "新版本会从第 1 级重新审核。"
NEXT_STEP_EDITING = "新版本会先回到排版编辑（{editor}），再从第 1 级重新审核。"
NEXT_STEP_EDITORS = "新版本会先交宣传媒体部排版，再从第 1 级重新审核。"
EDITOR_REJECTED_NOTICE = (
    "❌ {editor}：你排版的稿件 #{id}《{title}》第 {version} 版被第 {tier} 级（{tier_name}）"
    "{reviewer} 驳回。\n未达标：{criteria}\n理由：{reason}\n投稿人修改后，新版本会回到你这里排版。"
)
URGENT_NOW = (
    "🔴 <b>紧急稿件</b> · 稿件 #{id}《{title}》\n类别：{category}\n署名：{attribution}\n"
    "现在：{state}\n按第十条，稿件正在第 {tier} 级（{tier_name}）等待你们处理，"
    "请在 {hours} 小时内审核：卡片见本群（或私聊），也可发送 /pending 查看。"
)
EDITOR_PUBLISHED_NOTICE = "🎉 {editor}：你排版的稿件 #{id}《{title}》已发布到频道。"
EDITOR_REVISED_NOTICE = (
    "↩️ {editor}：稿件 #{id}《{title}》的修改稿（第 {version} 版）已回到排版，"
    "请在编辑群的卡片上排版后送审。"
)
REJECT_NEED_CRITERION = "请至少勾选一项未达标的标准。"
REASON_TEMPLATES_HINT = (
    "\n也可以点下面的常用理由（可多选），再回复补充说明；只点常用理由后回复「好」即可。"
)
BUTTON_TEMPLATE = "💬 {text}"
REASON_TEMPLATES_USAGE = (
    "用法：\n/reasons — 查看各项标准的常用驳回理由\n"
    "/reasons add 标准编号 理由 — 添加"
    "（标准编号：1 内容真实准确，2 文案逻辑合理，3 排版编辑美观）\n"
    "/reasons del 编号 — 删除一条常用理由"
)
REASON_TEMPLATES_HEADER = "<b>常用驳回理由</b>（管理员可用 /reasons add、/reasons del 修改）："
REASON_TEMPLATES_SECTION = "\n<b>{criterion}</b>"
REASON_TEMPLATES_LINE = "[{id}] {text}"
REASON_TEMPLATES_NONE = "（暂无）"
REASON_TEMPLATE_ADDED = "已添加常用理由 [{id}]：{criterion} · {text}"
REASON_TEMPLATE_DELETED = "已删除常用理由 [{id}]。"
REASON_TEMPLATE_MISSING = "没有编号为 {id} 的常用理由。"
REASON_TEMPLATE_TOO_LONG = "常用理由最多 {limit} 个字。"
REASON_ACK_WORDS = ("好", "好的", "ok", "OK", "是")
