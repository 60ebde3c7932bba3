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
