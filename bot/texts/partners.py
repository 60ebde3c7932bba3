"""Partner reposts (article 17): /partner, the 已转载 button, the weekly digest."""

from __future__ import annotations

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
# The real link of a post the partner was offered (issue 11: /posted).
REPOST_LINK = "🔗 《{title}》已在{platform}发布，原文链接：\n{url}\n转载时请以原文为准并注明来源。"
