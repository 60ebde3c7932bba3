"""Officers' intake: attribution that agrees with itself, replies the bot did not ask for,
confirmations, file previews."""

from __future__ import annotations

from collections.abc import Mapping

# Attribution and originality (articles 12 and 14)
ATTR_REPOST_NOT_ORIGINAL = (
    "转载的内容不是原创：如果这是本会的原创内容，请先把署名改为「校学生会原创」或「院级承办」。"
)
ATTR_SCHOOL_IS_ORIGINAL = (
    "「校学生会原创」即为原创：如果内容不是原创，请把署名改为「院级承办」或「转载」。"
)
ATTR_STALE_PROMPT = "署名已改为「{now}」，这个提问已失效，没有记录你的回复。"
INTAKE_ATTR_COLLEGE_MISSING = "院级承办（承办学院未填）"
INTAKE_ATTR_REPOST_MISSING = "转载（来源未填）"
ORIGINAL_BY_ATTRIBUTION = "（由署名决定）"
FILE_KIND_NAMES: Mapping[str, str] = {"photo": "图片", "document": "文件"}
INTAKE_PREVIEW = "正文（共 {count} 字）：{preview}\n"

# Replies to a bot message that asked nothing
NOT_AWAITED = (
    "你回复的消息不在等待回复（提问已结束，或它本来就不需要回复），所以这条消息还没有保存。\n"
    "要把它作为一份<b>新稿件</b>提交吗？"
)
BUTTON_AS_DRAFT = "📝 作为新稿件"
BUTTON_NOT_DRAFT = "不用"
NOT_DRAFT_OK = "好的，这条消息不作为稿件。"
AS_DRAFT_GONE = "找不到原消息了：请重新发送它。"

# Withdrawal and cancelling
WITHDRAW_CONFIRM = "确定撤回稿件 #{id}《{title}》吗？撤回后各级审核卡片失效，不能恢复。"
BUTTON_WITHDRAW_YES = "确定撤回"
BUTTON_WITHDRAW_NO = "不撤回"
WITHDRAW_KEPT = "好的，稿件 #{id} 没有撤回。"
STATE_CANCELLED = "已取消"
CHANNEL_ATTR_UNION = "校学生会"

# Bot API errors as the admins read them; the raw error stays in the log and the audit trail.
API_ERRORS: tuple[tuple[str, str], ...] = (
    ("can't initiate conversation", "对方还没有私聊过机器人，需要对方发送 /start"),
    ("blocked by the user", "对方屏蔽了机器人"),
    ("user is deactivated", "对方账号已注销"),
    ("bot can't send messages to bots", "不能给机器人账号发消息"),
    ("kicked", "机器人已被移出该群或频道"),
    ("not a member", "机器人不在该群或频道"),
    ("chat was deleted", "该群已被删除"),
    ("group chat was upgraded", "该群已升级为超级群，会话编号变了"),
    ("need administrator rights", "机器人没有发言权限"),
    ("not enough rights", "机器人没有发言权限"),
    ("have no rights", "机器人没有发言权限"),
    ("chat_write_forbidden", "机器人没有发言权限"),
    ("chat not found", "找不到该会话：编号写错了，或机器人不在其中"),
    ("user not found", "找不到该用户"),
    ("peer_id_invalid", "找不到该会话：编号写错了，或机器人不在其中"),
    ("message is too long", "消息太长"),
    ("caption is too long", "说明文字太长"),
    ("can't parse entities", "消息格式有误"),
    ("wrong file identifier", "文件已失效"),
    ("wrong remote file", "文件已失效"),
    ("file is too big", "文件太大"),
    ("message to edit not found", "要更新的消息已被删除"),
    ("message to be replied not found", "要回复的消息已被删除"),
    ("message can't be edited", "这条消息已不能修改"),
    ("timed out", "网络超时"),
    ("too many requests", "发送太频繁，Telegram 要求稍后再试"),
)
API_ERROR_UNKNOWN = "Telegram 拒绝了这条消息，原始错误已记入日志"
KIND_UNKNOWN = "消息"
DRAFT_GONE = "稿件 #{id} 已不在数据库里"
VERSION_GONE = "稿件 #{id} 没有第 {version} 版"

# Students, members, menus
QUESTION_STATUS_RESOLVED_NOBODY = "☑️ 已标记为已处理（无需回复）。"
QUESTION_SETTLED_TO_STUDENT = (
    "☑️ 你的问题 #{id} 学生会已经处理，不再另行答复。如果还有疑问，欢迎随时再发消息给我。"
)
AGENDA_STAFF_ONLY = "只有学生会新媒体成员可以查看和添加筹划会议题。"
AWAY_STAFF_ONLY = "只有审核人可以安排代审。"
HANDOVER_STAFF_ONLY = "只有管理员可以移交稿件的审核。"
HELP_STUDENT_INBOX = (
    "你不是学生会新媒体成员，不能投稿；但<b>有问题想问学生会，直接把问题发给我</b>，"
    "工作人员会尽快回复你（可以附图片或文件）。"
)
HELP_DO_SUBMIT = (
    "• 投稿：私聊发给我文字，或 .docx / .pdf / .txt / .md 文件、带说明的图片；"
    "在群里回复一条稿件消息并发送 /submit。被驳回后回复驳回通知发送修改稿"
)
HELP_DO_EDIT = "• 编辑：在编辑群认领稿件，回复卡片发送排版稿，再点「送审」"
HELP_DO_REVIEW = "• 审核：在审核卡片上点「通过」或「驳回」"
HELP_DO_INBOX = "• 学生来信：在来信处理群回复问题卡片即可答复提问人"
HELP_DO_JUBAO = "• 在群里回复可疑消息发送 /jubao [理由]，举报不良、不实信息（第二十四条）"
HELP_COMMANDS = "<b>你可以用的命令：</b>"
HELP_COMMAND_LINE = "/{command}　{usage}"
HELP_USAGE_ADMIN: Mapping[str, str] = {
    "meeting": "筹划会安排；/meeting set 规则 设置提醒，/meeting off 停止提醒",
    "jubao": "查看待处理的举报；/jubao done 编号 [备注] 标记已处理",
    "role": "管理角色：/role add|del|list；/role team @成员 组名 设置所在组",
    "outbox": "查看并重发等待发送的消息",
    "away": "代审：/away 12-20 @代审人 | off；为他人安排：/away @审核人 12-20 @代审人",
}
ROLE_GRANTED_NOTICE = "🎉 管理员 {admin} 给你添加了角色：{roles}。\n你现在的角色：{held}\n\n{help}"
ROLE_REVOKED_NOTICE = "管理员 {admin} 移除了你的角色：{roles}。\n你现在的角色：{held}\n\n{help}"
NO_ROLES_NOW = "暂无"
ROLE_TEAM_USAGE = (
    "用法：/role team @成员 组名（例如 /role team @zhang_xx 宣传部）；不写组名即清除。"
)
ROLE_TEAM_SET = "已把 {who} 的所在组设为：{team}。"
ROLE_TEAM_CLEARED = "已清除 {who} 的所在组。"

# Where the meeting reminders go
MEETING_WHERE = "\n提醒发到：{where}"
MEETING_HERE = "本群「{title}」"
MEETING_HERE_PRIVATE = "这个私聊"
MEETING_MOVED = "\n⚠️ 提醒原来发到 {old}，今后改发到 {new}。"
MEETING_MOVED_AWAY = "📅 筹划会提醒已由 {who} 改为发到 {new}，这里今后不再收到。"

# The audit CSV, readable
AUDIT_ACTION_UNNAMED = "其他操作（{code}）"
AUDIT_TIER = "第 {tier} 级"
AUDIT_FIELD = "{name}：{value}"
AUDIT_FIELDS: Mapping[str, str] = {
    "tier": "级别",
    "reason": "理由",
    "input": "输入",
    "minute": "分钟",
    "audited": "已记录",
    "counted_in": "计数表",
    "criteria": "未达标",
    "refusal": "拒绝原因",
    "urgent": "紧急",
    "user_id": "成员",
    "roles": "角色",
    "role": "角色",
    "until": "截止日期",
    "team": "所在组",
    "to": "转交给",
    "on_behalf_of": "代审对象",
    "reviewer_id": "审核人",
    "from": "开始",
    "with": "代审人",
    "kind": "消息",
    "error": "错误",
    "category": "类别",
    "attribution": "署名",
    "original": "原创",
    "college": "承办学院",
    "source": "转载来源",
    "title": "标题",
    "action": "操作",
    "spec": "规则",
    "chat_id": "会话",
    "chat": "会话",
    "chat_title": "群名",
    "message_id": "消息编号",
    "partner": "合作单位",
    "partners": "合作单位",
    "report": "举报编号",
    "repost": "推送编号",
    "change_id": "报备编号",
    "change": "变更",
    "account": "账号",
    "standin_id": "代审编号",
    "stage": "环节",
    "term": "关键词",
    "terms": "关键词",
    "name": "名称",
    "note": "备注",
    "start": "开始",
    "end": "结束",
    "span": "时段",
    "count": "数量",
    "first": "首次",
    "via": "途径",
    "why": "原因",
    "data": "按钮数据",
    "version": "版本",
    "hits": "命中",
    "state": "状态",
    "seeded": "来自配置",
    "merged": "并入的稿件",
    "merged_into": "并入到稿件",
}

# One article, one draft
APPEND_OFFER = "追加到稿件 #{id}《{title}》？它还没有提交，这条消息可以并进去（一篇文章一份稿件）。"
BUTTON_APPEND = "➕ 追加到稿件 #{id}"
BUTTON_APPEND_NEW = "📝 作为新稿件"
APPENDED = "已追加到稿件 #{id}，投稿卡片已更新。"
ALBUM_ITEM_LEFT_OUT = (
    "这一项属于刚才那组相册，但稿件 #{id} 已不在投稿阶段（{state}），所以没有加进去。"
    "如还需要，请把整组连同文字重新发送。"
)
MERGE_OFFER = (
    "这组相册已作为稿件 #{album}。它是还没提交的稿件 #{id}《{title}》的一部分吗？"
    "并入后，相册的文字和附件接在稿件 #{id} 后面，稿件 #{album} 取消（一篇文章一份稿件）。"
)
BUTTON_MERGE = "➕ 并入稿件 #{id}"
BUTTON_MERGE_KEEP = "📝 保留为新稿件"
MERGED = "已把稿件 #{album} 并入稿件 #{id}，投稿卡片已更新；稿件 #{album} 已取消。"
