"""The outbox: why a message waits, who must do what, and the admins' view of what waits."""

from __future__ import annotations

from collections.abc import Mapping

# What the admins hear, once per chat and cause, when a message cannot reach someone.
# {who} names the person or chat, {what} the message (e.g. 稿件 #12 的审核卡片).
WAIT_ALERTS: Mapping[str, str] = {
    "not_started": (
        "⏸ {who}还没有私聊过机器人，{what}发不出去：请{who}打开机器人发送 /start，"
        "等待中的消息会自动补发。"
    ),
    "blocked": (
        "⏸ {who}屏蔽了机器人，{what}发不出去：请{who}解除屏蔽后发送 /start，"
        "等待中的消息会自动补发。"
    ),
    "removed": (
        "⏸ 机器人已不在{who}里，{what}发不出去：请把机器人加回该群（或频道），"
        "等待中的消息会自动补发。"
    ),
    "cannot_post": (
        "⏸ 机器人在{who}里没有发言权限，{what}发不出去：请把机器人设为管理员并允许发布消息，"
        "设好后等待中的消息会自动补发（也可发送 /outbox 重新发送）。"
    ),
    "not_found": (
        "⏸ 找不到{who}，{what}发不出去：请检查配置里的 chat id，或把机器人加入该群；"
        "改好后发送 /outbox 重新发送。"
    ),
    "deactivated": (
        "⏸ {who}的 Telegram 账号已注销，{what}发不出去：请用 /role 把相关角色交给他人，"
        "再发送 /outbox 查看等待中的消息。"
    ),
}
# The short cause shown in /outbox, by the same keys, and for public posts caught mid-send.
WAIT_REASONS: Mapping[str, str] = {
    "not_started": "对方还没有私聊过机器人（需发送 /start）",
    "blocked": "对方屏蔽了机器人",
    "removed": "机器人不在该群或频道",
    "cannot_post": "机器人没有发言权限",
    "not_found": "找不到该会话",
    "deactivated": "对方账号已注销",
    "uncertain": "发送时机器人中断，不确定是否已发出",
}
DELIVERY_BROKEN_ADMINS = (
    "⚠️ {what}没能发送：Telegram 拒绝了这条消息的内容，重试也无济于事。"
    "已记入日志和审计记录，请联系维护者。"
)
DELIVERY_PERMANENT_ADMINS = "⚠️ {what}没能发送：{reason}"
NO_REVIEWER_FOR_TIER = (
    "第 {tier} 级（{tier_name}）没有审核人，请用 /role add 指定后发送 /outbox 重新发送"
)
UNCERTAIN_ADMINS = (
    "❓ 稿件 #{id} 发布到频道时机器人中断了，无法确定频道里是否已经发出。请到频道查看：\n"
    "已经发出，点「已发出」；没有发出，点「重新发送」。在此之前不会重复发布。"
)
BUTTON_POSTED = "已发出"
BUTTON_RESEND = "重新发送"
UNCERTAIN_SETTLED_POSTED = "已由 {who} 确认稿件 #{id} 已在频道发出。"
UNCERTAIN_SETTLED_RESENT = "已由 {who} 要求重新发送稿件 #{id}。"
# What each message is, for the admins: {id} is the draft.
ITEM_WITH_DRAFT = "稿件 #{id} 的{kind}"
ITEM_WITHOUT_DRAFT = "{kind}"
CHAT_NAMES: Mapping[str, str] = {
    "channel": "发布频道",
    "editors": "编辑群",
    "tier1": "第 1 级审核群",
    "tier2": "第 2 级审核群",
    "tier3": "第 3 级审核群",
    "admins": "管理员群",
    "inbox": "来信处理群",
}
CHAT_UNKNOWN = "会话 {chat_id}"
# /outbox (admins)
OUTBOX_EMPTY = "✅ 没有等待发送的消息。"
OUTBOX_HEADER = "等待发送的消息（{count} 条，最早的在前）："
OUTBOX_LINE = "{n}. {what} → {who}：{reason}（已等 {waited}）"
OUTBOX_BACKOFF_LINE = "{n}. {what}：网络或服务暂时故障，{when} 重试（已试 {attempts} 次）"
OUTBOX_MORE = "……另有 {count} 条"
OUTBOX_HINT = "点下面的按钮可立即重新发送某一条。"
OUTBOX_RESENT_ONE = "已重新发送。"
OUTBOX_NOW = "马上"
OUTBOX_ADMINS = "管理员"
OUTBOX_GONE = "这一条已经发送或处理过了。"
OUTBOX_ADMINS_ONLY = "只有管理员可以查看和重发等待中的消息。"
BUTTON_RESEND_ITEM = "重发第 {n} 条"
PUBLISH_WAITING_NETWORK = "网络或 Telegram 暂时故障"
PUBLISH_WAITING_ADMINS = (
    "⏸ 稿件 #{id} 暂时发布不到频道（{reason}）。机器人会一直重试直到发出，不会丢失；"
    "发送 /outbox 可查看。"
)
STARTUP_REACH_FAILED = (
    "⚠️ 机器人启动时发现下面的会话或成员联系不上，相关消息会在问题解决后自动补发：\n{items}"
)
