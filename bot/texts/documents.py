"""Files and hostile input: the limits of reading a file, invisible drafts."""

from __future__ import annotations

# --- Hostile input: files over a limit, invisible drafts, one person per tier (issue 10) ---
# A file over one of the extraction limits: each names the limit, and what to do instead.
DOCUMENT_LIMIT_UNPACKED = (
    "文件解压后超过 {limit} MB 的上限，机器人不予读取。请删去多余内容或压缩图片后重新发送，"
    "或直接发送文字。"
)
DOCUMENT_LIMIT_XML = (
    "文档的正文数据解压后超过 {limit} MB 的上限，机器人不予读取。请精简文档后重新发送，"
    "或直接发送文字。"
)
DOCUMENT_LIMIT_ELEMENTS = (
    "文档结构过于复杂（超过 {limit} 个元素的上限），机器人不予读取。"
    "请另存为新文档或导出为 PDF 后重新发送，或直接发送文字。"
)
DOCUMENT_LIMIT_PARAGRAPHS = (
    "文档超过 {limit} 个段落的上限（含空段落），机器人不予读取。请删去多余的空行后重新发送，"
    "或直接发送文字。"
)
DOCUMENT_LIMIT_DEPTH = (
    "文档嵌套超过 {limit} 层的上限，机器人不予读取。请另存为新文档后重新发送，或直接发送文字。"
)
DOCUMENT_LIMIT_TIME = (
    "读取文件超过 {limit} 秒的时间上限，已停止。请精简文档后重新发送，或直接发送文字。"
)
DOCUMENT_LIMIT_MEMORY = (
    "读取文件所需内存超过 {limit} MB 的上限，已停止。请精简文档后重新发送，或直接发送文字。"
)
DOCUMENT_LIMIT_PDF_OBJECTS = (
    "PDF 含有超过 {limit} 个对象的上限，机器人不予读取。请重新导出 PDF 或直接发送文字。"
)
DOCUMENT_LIMIT_PDF_STREAM = (
    "PDF 中有数据流解压后超过 {limit} MB 的上限，机器人不予读取。请重新导出 PDF 或直接发送文字。"
)
DOCUMENT_LIMIT_PDF_PAGES = (
    "PDF 的页面结构超过 {limit} 页的上限，机器人不予读取。请拆分或重新导出 PDF 后重新发送。"
)
DOCUMENT_LIMIT_PIXELS = "图片超过 {limit} 万像素的上限（{width}×{height}），请缩小后重新发送。"
DOCUMENT_HAS_DTD = "文档含有不允许的 DTD 声明（正常的 Word 文档不会有），机器人不予读取。"
# A draft whose every character is invisible (zero-width spaces, joiners, direction marks…).
INVISIBLE_DRAFT = (
    "稿件只有看不见的字符（如零宽空格、方向标记），没有可读的文字。请发送正文，"
    "文件或图片请附上说明。"
)
