"""Saying no: where draft details may not be shown, who may not see the meetings."""

__all__ = ["AUDIT_COUNTED", "DETAILS_NOT_HERE", "MEETING_MEMBERS_ONLY", "REFUSAL_ACTIONS"]

DETAILS_NOT_HERE = (
    "稿件详情只在学生会自己的工作群里显示，或私聊发给学生会成员。请在那里查看（私聊机器人即可）。"
)
MEETING_MEMBERS_ONLY = "会议安排只告诉学生会成员。志愿者身份到期或不是成员的，请联系管理员。"

AUDIT_COUNTED = (
    "\n另有 {count} 次被拒绝的操作来自短时间内的大量尝试，只计数、未逐条记录（见「{flood}」记录）。"
)

# How the audit trail names each refusal row (merged into ACTIONS).
REFUSAL_ACTIONS = {
    "command.refused": "命令被拒绝",
    "callback.refused": "按钮操作被拒绝",
    "refusal.flood": "短时间内被拒绝次数过多（本分钟其余的只计数）",
}
