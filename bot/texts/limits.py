"""Messages around Telegram's length limits: the full text as a file, long answers in parts."""

from __future__ import annotations

# Telegram's length limits (issue 9): the full text of a shortened message, sent as a file
FULL_MESSAGE_FILE = "{what}-全文.txt"
FULL_MESSAGE_CAPTION = "上一条消息太长，Telegram 放不下，已缩短；完整内容见此文件。"
FILE_REJECTION = "稿件{id}-第{version}版-驳回理由"
FILE_QUESTION = "问题{id}"
FILE_ANSWER = "问题{id}-回复"
FILE_HISTORY = "稿件{id}-审计记录"
FILE_STATUS = "稿件{id}-进度"
FILE_REPORT = "举报{id}"
FILE_ACCOUNT_CHANGE = "账号变更报备{id}"
FILE_MESSAGE = "消息"
ANSWER_MORE = "📨 问题 #{id} 的回复（续）：\n{body}"
QUESTION_FOLLOWUP_MORE = "❓ 问题 #{id} 的补充（续）：\n{body}"
ANSWER_REFUSED = (
    "未能转达给提问人（问题 #{id}）：Telegram 拒绝了这条消息，提问人不会收到。"
    "请稍后再试；如果反复出现，请联系管理员查看日志。"
)
