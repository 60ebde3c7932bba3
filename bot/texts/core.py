"""Names every feature shares (roles, tiers, states), /start and /help, roles, errors."""

from __future__ import annotations

from collections.abc import Mapping

from storage.models import DraftState, Refusal, Role

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
    "final": "重新发送定稿：/final 编号",
    "posted": "登记发布链接：/posted 编号 链接",
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
    "away": "代审：/away 12-20 @代审人 | off",
    "handover": "把稿件当前一级交给指定的人（管理员）：/handover 编号 @审核人",
    "chatid": "查看本群的 id 和机器人能否在这里工作（管理员）",
    "reasons": "常用驳回理由：/reasons [add 标准编号 理由|del 编号]",
    "outbox": "等待发送的消息（管理员）",
}

# What each outbox kind is, for the admins' alert when one cannot be delivered.
DELIVERY_KINDS: Mapping[str, str] = {
    "editing_card": "排版卡片",
    "review_card": "审核卡片",
    "publish_card": "发布卡片",
    "notify": "通知",
    "publish": "频道发布",
    "intake_card": "投稿卡片",
    "refresh": "卡片更新",
    "account_change": "账号变更报备",
    "report_card": "举报卡片",
    "report_refresh": "举报卡片更新",
    "report_notice": "举报处理通知",
    "repost_offer": "合作账号转载邀请",
    "final_copy": "定稿",
    "wechat_draft": "公众号草稿箱",
    "article_check": "公众号文章核对",
    "repost_link": "给合作单位的原文链接",
    "standin_notice": "代审通知",
    "stall": "催办提醒",
    "partner_digest": "合作单位转载周报",
    "tell": "成员通知",
}
SENT_NOTICE = (
    "📤 稿件 #{id}《{title}》已由 {editor} 排版并送审，现在等待第 1 级审核（部门负责人）。"
)

# Roles
ROLE_USAGE = (
    "用法：\n/role list\n/role add @用户名 角色 [角色…]\n/role add 数字ID 角色 [姓名]\n"
    "/role del @用户名 角色\n/role team @用户名 组名　设置所在组\n"
    "（也可以回复某人的消息发送 /role add 角色）\n"
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
