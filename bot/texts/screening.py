"""Keyword screening: hits shown to submitters and reviewers, and /kw."""

from __future__ import annotations

from collections.abc import Mapping

# Screening
BLOCKED_NOTICE = (
    "🚫 稿件 #{id}《{title}》第 {version} 版未通过关键词筛查，不能进入审核：\n{hits}\n\n"
    "请修改后<b>直接回复本消息</b>发送新版本（文字或文件），或发送 /revise {id}。"
)
BLOCKED_AT_PUBLISH_NOTICE = (
    "🚫 稿件 #{id}《{title}》在发布前复查时命中禁用词，已停止发布：\n{hits}\n\n"
    "请修改后<b>直接回复本消息</b>发送新版本，新版本会从第 1 级重新审核。"
)
ADMINS_BLOCKED_AT_PUBLISH = "🚫 稿件 #{id}《{title}》发布前复查命中禁用词，已停止发布：\n{hits}"
HIT_LINE = "• 「{term}」{category}·{found_by}：{quote}"
FOUND_BY_NAMES: Mapping[str, str] = {
    "exact": "原文",
    "normalised": "变形",
    "pinyin": "拼音",
    "pattern": "格式",
}
WARN_SECTION = "\n⚠️ <b>关键词提示</b>（请审核时留意）：\n{hits}\n"
MORE_HITS = "……另有 {count} 处"

# Lexicon management (/kw)
KW_USAGE = (
    "用法：\n/kw add 词 [block|warn] [类别]　添加或修改\n/kw del 词　删除\n"
    "/kw list [页码]　查看词库\n/kw allow 词　加入白名单；/kw allow del 词　移出；/kw allow　查看\n"
    "/kw test 文本　试筛\n/kw import　回复一个 .txt 或 .csv 词库文件导入\n/kw export　导出词库\n"
    "类别：{categories}\n词库文件每行：词[Tab]block或warn[Tab]类别，# 开头为注释。"
)
KW_ADMIN_ONLY = "只有管理员可以修改词库。"
KW_ADDED = "已更新词库：新增 {added} 个，修改 {changed} 个，现共 {total} 个词条，立即生效。"
KW_UNCHANGED = "词库没有变化（这些词条已经存在且设置相同）。"
KW_DELETED = "已从词库删除「{term}」。"
KW_NOT_FOUND = "词库里没有「{term}」。"
KW_LIST_HEADER = "<b>词库</b>（共 {total} 个，第 {page}/{pages} 页）："
KW_LIST_LINE = "{term}　{severity}　{category}{anywhere}"
KW_ANYWHERE = "　(任意位置)"
KW_EMPTY = "词库是空的。"
KW_ALLOWED = "已将「{term}」加入白名单，立即生效。"
KW_ALREADY_ALLOWED = "「{term}」已在白名单中。"
KW_DISALLOWED = "已将「{term}」移出白名单。"
KW_NOT_ALLOWED = "白名单里没有「{term}」。"
KW_ALLOW_LIST = "<b>白名单</b>（{count} 个）：{terms}"
KW_ALLOW_EMPTY = "白名单是空的。"
KW_TEST_RESULT = "筛查结果：<b>{verdict}</b>\n{hits}"
VERDICT_NAMES: Mapping[str, str] = {
    "block": "禁止（不能进入审核）",
    "warn": "提示（可以送审）",
    "pass": "通过",
}
KW_IMPORT_USAGE = "请回复一个 .txt 或 .csv 词库文件并发送 /kw import。"
KW_IMPORT_BAD_FILE = "词库文件必须是 UTF-8 编码的 .txt 或 .csv 文件。"
KW_IMPORT_FAILED = "导入失败，词库没有任何改动：\n{problems}"
KW_EXPORT_CAPTION = "词库（{count} 个词条），可修改后用 /kw import 导回。"
KW_WHITELIST_CAPTION = "白名单（{count} 个）"
