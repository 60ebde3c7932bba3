"""Assessment reports: /report (articles 19-21) and the chart's words."""

from __future__ import annotations

from collections.abc import Mapping

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
REPORT_CHART_CAPTION = "左：每月投稿（按类别）；右：各级审核中位用时（{unit}）。"
REPORT_CHART_HOURS = "小时"
REPORT_CHART_MINUTES = "分钟"
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
