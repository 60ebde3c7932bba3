"""Content reports: /jubao (article 24)."""

from __future__ import annotations

from collections.abc import Mapping

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
