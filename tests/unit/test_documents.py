"""Text extraction from submitted drafts, with files built in memory by tests.fixtures_docs."""

from __future__ import annotations

import io
import zipfile
from concurrent.futures import ThreadPoolExecutor

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from hypothesis import given
from hypothesis import strategies as st

from bot import documents, texts
from bot.documents import (
    MAX_DOWNLOAD_BYTES,
    CorruptDocumentError,
    DocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    ExtractedDocument,
    FileTooLargeError,
    LimitExceededError,
    UnsupportedFileTypeError,
    check_image,
    check_size,
    classify,
    excerpt,
    extract_text,
    has_visible_text,
    image_size,
    title_from_text,
)
from tests.fixtures_docs import (
    corrupt,
    make_docx,
    make_docx_bomb,
    make_encrypted_pdf,
    make_pdf,
    make_png,
)

NOTICE = [
    "关于举办2025年迎新晚会的通知",
    "各学院学生会：",
    "为丰富校园文化生活，现将有关事项通知如下。",
]


# --- classify -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "mime_type", "kind"),
    [
        ("稿件.docx", None, "docx"),
        ("DRAFT.DOCX", "application/octet-stream", "docx"),
        ("稿件.pdf", "application/pdf", "pdf"),
        ("稿件.txt", None, "text"),
        ("稿件.md", "text/markdown", "text"),
        ("poster.JPG", None, "image"),
        ("poster.jpeg", None, "image"),
        ("poster.png", None, "image"),
        ("poster.webp", None, "image"),
        # The name wins over the client's MIME guess.
        ("稿件.txt", "application/pdf", "text"),
        # Without a usable extension the MIME type decides.
        (None, "application/pdf", "pdf"),
        ("稿件", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        ("稿件", "text/plain; charset=utf-8", "text"),
        (None, "image/heic", "image"),
        ("photo.final", "IMAGE/PNG", "image"),
    ],
)
def test_classify(file_name: str | None, mime_type: str | None, kind: str) -> None:
    assert classify(file_name, mime_type) == kind


def test_classify_unsupported_names_the_extension() -> None:
    with pytest.raises(UnsupportedFileTypeError) as caught:
        classify("报名表.xlsx", "application/vnd.ms-excel")
    assert caught.value.reason == "不支持的文件类型：.xlsx（支持 .docx、.pdf、.txt、.md 和图片）"
    assert str(caught.value) == caught.value.reason


def test_classify_unsupported_old_word_gets_a_hint() -> None:
    with pytest.raises(UnsupportedFileTypeError) as caught:
        classify("稿件.doc", "application/msword")
    assert caught.value.reason.startswith("不支持的文件类型：.doc（")
    assert "另存为 .docx" in caught.value.reason


def test_classify_unsupported_without_extension() -> None:
    with pytest.raises(UnsupportedFileTypeError) as caught:
        classify("archive", "application/zip")
    assert "application/zip" in caught.value.reason
    with pytest.raises(UnsupportedFileTypeError) as caught:
        classify(None, "application/octet-stream")
    assert caught.value.reason.startswith("无法识别文件类型")
    with pytest.raises(UnsupportedFileTypeError):
        classify(None, None)
    with pytest.raises(UnsupportedFileTypeError) as caught:
        classify("稿件.", None)
    assert caught.value.reason.startswith("无法识别文件类型")


def test_unsupported_type_through_extract_text() -> None:
    with pytest.raises(DocumentError) as caught:
        extract_text("报名表.xlsx", None, b"PK\x03\x04")
    assert ".xlsx" in caught.value.reason


# --- size ---------------------------------------------------------------------------------------


def test_oversized_data() -> None:
    with pytest.raises(FileTooLargeError) as caught:
        extract_text("稿件.txt", None, b"a" * (MAX_DOWNLOAD_BYTES + 1))
    assert caught.value.reason == "文件超过 20 MB，机器人无法下载"


def test_check_size() -> None:
    check_size(None)
    check_size(MAX_DOWNLOAD_BYTES)
    with pytest.raises(FileTooLargeError):
        check_size(MAX_DOWNLOAD_BYTES + 1)


# --- docx ---------------------------------------------------------------------------------------


def test_docx_paragraphs() -> None:
    result = extract_text("稿件.docx", None, make_docx(NOTICE))
    assert result == ExtractedDocument(kind="docx", text="\n".join(NOTICE))


def test_docx_keeps_one_blank_line_between_paragraphs() -> None:
    data = make_docx(["标题", "", "", "", "正文  "])
    assert extract_text("稿件.docx", None, data).text == "标题\n\n正文"


def test_docx_tables_in_document_order() -> None:
    data = make_docx(
        ["节目单如下："], [["节目", "表演者"], ["合唱", "艺术团"], ["小品", "", "备注"]]
    )
    result = extract_text("稿件.docx", None, data)
    assert result.text == "节目单如下：\n节目 | 表演者\n合唱 | 艺术团\n小品 | 备注"


def test_docx_merged_cells_appear_once() -> None:
    document = docx.Document()
    document.add_paragraph("日程")
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "第一天"
    for col, text in enumerate(["上午", "下午", "晚上"]):
        table.cell(1, col).text = text
    result = extract_text("稿件.docx", None, _save(document))
    assert result.text == "日程\n第一天\n上午 | 下午 | 晚上"


def test_docx_headers_and_footers_come_after_the_body() -> None:
    data = make_docx(NOTICE, header="校学生会新媒体中心", footer="第 1 页")
    result = extract_text("稿件.docx", None, data)
    assert result.text == "\n".join(NOTICE) + "\n\n校学生会新媒体中心\n\n第 1 页"
    assert title_from_text(result.text) == NOTICE[0]


def test_docx_text_boxes_are_read_once() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("正文开始")
    paragraph._p.append(parse_xml(_TEXT_BOX_RUN))
    document.add_paragraph("正文结束")
    result = extract_text("稿件.docx", None, _save(document))
    assert result.text == "正文开始\n文本框里的文字\n正文结束"


def test_corrupt_docx() -> None:
    with pytest.raises(CorruptDocumentError) as caught:
        extract_text("稿件.docx", None, corrupt(make_docx(NOTICE)))
    assert caught.value.reason == "文件已损坏，无法读取"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"just some text",
        make_pdf(["not a docx"]),
        make_png(),
    ],
)
def test_not_a_docx(data: bytes) -> None:
    with pytest.raises(CorruptDocumentError):
        extract_text("稿件.docx", None, data)


def test_zip_without_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "你好")
    with pytest.raises(CorruptDocumentError):
        extract_text("稿件.docx", None, buffer.getvalue())


def test_encrypted_or_legacy_docx() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    with pytest.raises(EncryptedDocumentError) as caught:
        extract_text("稿件.docx", None, ole)
    assert "密码" in caught.value.reason


def test_zip_bomb_is_refused_naming_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    data = make_docx(NOTICE)
    monkeypatch.setattr(documents.model, "MAX_DOCX_UNCOMPRESSED_BYTES", 3 * 1024 * 1024 // 10)
    with pytest.raises(LimitExceededError) as caught:
        extract_text("稿件.docx", None, data)
    assert caught.value.limit == "unpacked"
    assert caught.value.reason == texts.DOCUMENT_LIMIT_UNPACKED.format(limit="0.30")


def test_empty_docx() -> None:
    with pytest.raises(EmptyDocumentError) as caught:
        extract_text("稿件.docx", None, make_docx(["", "   "]))
    assert caught.value.reason == "文件中没有可读取的文字"
    assert caught.value.document.kind == "docx"
    assert caught.value.document.text == ""


def test_docx_text_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents.model, "MAX_TEXT_CHARS", 10)
    result = extract_text("稿件.docx", None, make_docx(["一二三四五", "六七八九十", "十一"]))
    assert result.truncated
    assert result.warnings
    assert result.text == "一二三四五\n六七八九"


def test_docx_bomb_is_refused_by_its_element_count_before_any_dom() -> None:
    # 30 MB of empty paragraphs in a file under 100 KB: the streaming count stops it early.
    data = make_docx_bomb(30)
    assert len(data) < 100 * 1024
    with pytest.raises(LimitExceededError) as caught:
        extract_text("稿件.docx", None, data)
    assert caught.value.limit == "paragraphs"
    assert caught.value.reason == texts.DOCUMENT_LIMIT_PARAGRAPHS.format(limit="100,000")


def test_docx_element_count_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents.model, "MAX_XML_ELEMENTS", 50)
    with pytest.raises(LimitExceededError) as caught:
        extract_text("稿件.docx", None, make_docx(NOTICE * 10))
    assert caught.value.reason == texts.DOCUMENT_LIMIT_ELEMENTS.format(limit="50")


def test_docx_xml_size_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents.model, "MAX_DOCX_XML_BYTES", 1024 * 1024)
    monkeypatch.setattr(documents.model, "MAX_DOCX_PARAGRAPHS", 10**9)
    monkeypatch.setattr(documents.model, "MAX_XML_ELEMENTS", 10**9)
    with pytest.raises(LimitExceededError) as caught:
        extract_text("稿件.docx", None, make_docx_bomb(2))
    assert caught.value.limit == "xml_bytes"
    assert "1 MB" in caught.value.reason


def test_docx_nesting_is_capped() -> None:
    depth = documents.MAX_XML_DEPTH + 1
    body = "<w:tbl><w:tr><w:tc>" * depth + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * depth
    with pytest.raises(LimitExceededError) as caught:
        extract_text("稿件.docx", None, _with_body(body))
    assert caught.value.limit == "depth"
    assert str(documents.MAX_XML_DEPTH) in caught.value.reason


def test_docx_with_a_dtd_is_refused() -> None:
    # The "billion laughs": entities that expand to gigabytes. OOXML never has a DTD.
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "haha">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    data = _with_body("<w:p><w:r><w:t>&c;</w:t></w:r></w:p>", prolog=laughs)
    with pytest.raises(LimitExceededError) as caught:
        extract_text("稿件.docx", None, data)
    assert caught.value.reason == texts.DOCUMENT_HAS_DTD


def test_docx_member_lying_about_its_size_is_refused() -> None:
    # The central directory says 1,000 bytes; the member inflates to 2 MB.
    data = bytearray(make_docx_bomb(2))
    name = b"word/document.xml"
    entry = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    assert data[entry + 46 : entry + 46 + len(name)] == name
    data[entry + 24 : entry + 28] = (1000).to_bytes(4, "little")
    with pytest.raises(CorruptDocumentError):
        extract_text("稿件.docx", None, bytes(data))


# --- pdf ----------------------------------------------------------------------------------------


def test_pdf_text() -> None:
    result = extract_text("稿件.pdf", "application/pdf", make_pdf(NOTICE))
    assert result.kind == "pdf"
    assert result.page_count == 1
    assert result.text == "\n".join(NOTICE)
    assert not result.truncated


def test_pdf_all_pages() -> None:
    lines = [f"第{i}行" for i in range(1, 8)]
    result = extract_text("稿件.pdf", None, make_pdf(lines, lines_per_page=3))
    assert result.page_count == 3
    assert result.text == "\n".join(lines)


def test_pdf_page_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents.model, "MAX_PDF_PAGES", 2)
    result = extract_text("稿件.pdf", None, make_pdf(["一", "二", "三"], lines_per_page=1))
    assert result.page_count == 3
    assert result.text == "一\n二"
    assert result.truncated
    assert result.warnings == ("PDF 共 3 页，只读取了前 2 页",)


def test_pdf_object_count_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents.model, "MAX_PDF_OBJECTS", 5)
    with pytest.raises(LimitExceededError) as caught:
        extract_text("稿件.pdf", None, make_pdf(NOTICE))
    assert caught.value.reason == texts.DOCUMENT_LIMIT_PDF_OBJECTS.format(limit="5")


def test_pdf_page_tree_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents.model, "MAX_PDF_PAGE_TREE", 3)
    with pytest.raises(LimitExceededError) as caught:
        extract_text("稿件.pdf", None, make_pdf(["一", "二", "三"], lines_per_page=1))
    assert caught.value.limit == "pdf_pages"


def test_pdf_page_tree_repeating_one_page_is_refused() -> None:
    # One page object listed 100,000 times: a few hundred KB that pypdf would flatten to
    # 100,000 page objects.
    data = make_pdf(["一页"])
    kids = b"[7 0 R]"
    assert data.count(kids) == 1
    data = data.replace(kids, b"[" + b"7 0 R " * 100_000 + b"]")
    with pytest.raises(LimitExceededError) as caught:
        extract_text("稿件.pdf", None, data)
    assert caught.value.limit == "pdf_pages"


def test_pdf_kangxi_radicals_become_ideographs() -> None:
    # U+2F00 "⼀" and U+2F08 "⼈" are what many Chinese PDFs use for "一" and "人";
    # full-width punctuation must survive.
    result = extract_text("稿件.pdf", None, make_pdf(["\u2f00个\u2f08，你好！"]))
    assert result.text == "一个人，你好！"


def test_encrypted_pdf_with_password() -> None:
    with pytest.raises(EncryptedDocumentError) as caught:
        extract_text("稿件.pdf", None, make_encrypted_pdf(NOTICE, user_password="union2025"))
    assert caught.value.reason == "PDF 已加密，请去掉密码后重新发送"


def test_encrypted_pdf_with_empty_user_password_is_read() -> None:
    result = extract_text("稿件.pdf", None, make_encrypted_pdf(NOTICE, user_password=""))
    assert result.text == "\n".join(NOTICE)


@pytest.mark.parametrize(
    "data",
    [
        corrupt(make_pdf(NOTICE)),
        b"",
        b"%PDF-1.7\n",
        b"not a pdf at all",
        make_png(),
    ],
)
def test_corrupt_pdf(data: bytes) -> None:
    with pytest.raises(CorruptDocumentError) as caught:
        extract_text("稿件.pdf", None, data)
    assert caught.value.reason == "文件已损坏，无法读取"


def test_pdf_without_text() -> None:
    with pytest.raises(EmptyDocumentError) as caught:
        extract_text("扫描件.pdf", None, make_pdf([]))
    assert caught.value.reason.startswith("文件中没有可读取的文字")
    assert caught.value.document.page_count == 1


# --- plain text ---------------------------------------------------------------------------------

TEXT = "关于举办迎新晚会的通知\n各学院：\n请于周五前报名。"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-8-sig"), "utf-8-sig"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),
    ],
)
def test_text_encodings(data: bytes, encoding: str) -> None:
    result = extract_text("稿件.txt", None, data)
    assert result == ExtractedDocument(kind="text", text=TEXT, encoding=encoding)


def test_gb18030_only_characters() -> None:
    # "𠀀" is outside GBK; only GB18030's four-byte form can encode it.
    text = "生僻字：𠀀"
    assert extract_text("稿件.txt", None, text.encode("gb18030")).text == text


def test_text_newlines_are_normalised() -> None:
    data = "标题\r\n\r\n\r\n\r\n第一段  \r第二段\r\n".encode()
    assert extract_text("稿件.md", None, data).text == "标题\n\n第一段\n第二段"


def test_markdown_is_kept_verbatim() -> None:
    data = "# 标题\n\n- 第一条\n- **第二条**".encode()
    result = extract_text("稿件.md", "text/markdown", data)
    assert result.kind == "text"
    assert result.text == "# 标题\n\n- 第一条\n- **第二条**"


def test_undecodable_text() -> None:
    with pytest.raises(DocumentError) as caught:
        extract_text("稿件.txt", None, b"\x80\x81\xff\xfe\x80")
    assert "编码" in caught.value.reason


def test_binary_renamed_to_txt() -> None:
    with pytest.raises(CorruptDocumentError):
        extract_text("稿件.txt", None, b"abc\x00\x00\x00def")


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t  ", "\ufeff".encode()])
def test_empty_text(data: bytes) -> None:
    with pytest.raises(EmptyDocumentError) as caught:
        extract_text("稿件.txt", None, data)
    assert caught.value.reason == "文件中没有可读取的文字"


def test_text_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents.model, "MAX_TEXT_CHARS", 5)
    result = extract_text("稿件.txt", None, "一二三四五六七".encode())
    assert result.text == "一二三四五"
    assert result.truncated


# --- images -------------------------------------------------------------------------------------


def test_png_image() -> None:
    assert extract_text("海报.png", "image/png", make_png()) == ExtractedDocument(
        kind="image", text=""
    )


def test_image_by_mime_only() -> None:
    assert extract_text(None, "image/webp", make_png(4, 3)).kind == "image"


def test_empty_image() -> None:
    with pytest.raises(CorruptDocumentError):
        extract_text("海报.jpg", None, b"")


def test_make_png_is_a_real_png() -> None:
    data = make_png(3, 5)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert data[16:24] == (3).to_bytes(4, "big") + (5).to_bytes(4, "big")


def _png_declaring(width: int, height: int) -> bytes:
    data = bytearray(make_png(2, 2))
    data[16:24] = width.to_bytes(4, "big") + height.to_bytes(4, "big")
    return bytes(data)


def test_image_sizes_are_read_from_headers() -> None:
    assert image_size(make_png(3, 5)) == (3, 5)
    assert image_size(b"GIF89a" + (640).to_bytes(2, "little") + (480).to_bytes(2, "little")) == (
        640,
        480,
    )
    jpeg = (
        b"\xff\xd8\xff\xe0\x00\x04ab"  # APP0 with 2 bytes of payload
        b"\xff\xc0\x00\x11\x08" + (1080).to_bytes(2, "big") + (1920).to_bytes(2, "big")
    )
    assert image_size(jpeg) == (1920, 1080)
    vp8x = b"RIFF\x00\x00\x00\x00WEBPVP8X" + b"\x00" * 8
    vp8x += (3999).to_bytes(3, "little") + (2999).to_bytes(3, "little")
    assert image_size(vp8x) == (4000, 3000)
    assert image_size(b"not an image") is None
    assert image_size(b"\x89PNG\r\n\x1a\n") is None


def test_pixel_bomb_is_refused_from_its_header() -> None:
    check_image(_png_declaring(10_000, 10_000))
    with pytest.raises(LimitExceededError) as caught:
        extract_text("海报.png", None, _png_declaring(60_000, 60_000))
    assert caught.value.reason == texts.DOCUMENT_LIMIT_PIXELS.format(
        limit=10_000, width=60_000, height=60_000
    )


# --- visible text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        " \n\t\u3000",
        "\u200b\u200c\u200d\u2060\ufeff",
        "\u200e\u200f\u202a\u202e\u2066\u2069",
        "\u00ad\u034f\u180e",
        "\u3164\u115f\u1160\uffa0\u2800",
        "\ufe0f\u0301",
        "\U000e0020\U000e007f",
    ],
)
def test_invisible_text(text: str) -> None:
    assert not has_visible_text(text)


@pytest.mark.parametrize("text", ["a", "\u200b通知\u200b", "。", "\U0001f389", "\ue000"])
def test_visible_text(text: str) -> None:
    assert has_visible_text(text)


def test_file_of_zero_width_characters_is_empty() -> None:
    with pytest.raises(EmptyDocumentError):
        extract_text("稿件.txt", None, "\u200b\u200d\u2060\n\u200b".encode())
    with pytest.raises(EmptyDocumentError):
        extract_text("稿件.docx", None, make_docx(["\u200b\u200b", "\u2060"]))


# --- threads ------------------------------------------------------------------------------------


def test_concurrent_extraction() -> None:
    files = [
        ("a.docx", make_docx(NOTICE)),
        ("b.pdf", make_pdf(NOTICE)),
        ("c.pdf", make_encrypted_pdf(NOTICE, user_password="")),
        ("d.txt", "\n".join(NOTICE).encode("gb18030")),
    ] * 8
    with ThreadPoolExecutor(max_workers=8) as pool:
        texts = list(pool.map(lambda f: extract_text(f[0], None, f[1]).text, files))
    assert texts == ["\n".join(NOTICE)] * len(files)


# --- title_from_text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("关于举办迎新晚会的通知\n正文", "关于举办迎新晚会的通知"),
        ("\n\n   \n  　标题　 \n正文", "标题"),
        ("# Markdown 标题\n正文", "Markdown 标题"),
        ("###   三级标题", "三级标题"),
        ("#话题标签", "#话题标签"),
        ("\ufeff带 BOM 的标题", "带 BOM 的标题"),
        ("多个   空格\t和制表符", "多个 空格 和制表符"),
        ("", ""),
        (" \n\t\n", ""),
    ],
)
def test_title_from_text(text: str, title: str) -> None:
    assert title_from_text(text) == title


def test_title_is_cut_to_limit() -> None:
    line = "长" * 50
    title = title_from_text(line + "\n正文")
    assert title == "长" * 39 + "…"
    assert len(title) == 40
    assert title_from_text("长" * 40) == "长" * 40
    assert title_from_text("一二三四五六", limit=4) == "一二三…"


# --- excerpt ------------------------------------------------------------------------------------


def test_excerpt_short_text_unchanged() -> None:
    assert excerpt("你好", 2) == "你好"
    assert excerpt("", 1) == ""
    assert excerpt("末尾空格  ", 10) == "末尾空格  "


def test_excerpt_cuts_and_appends_ellipsis() -> None:
    assert excerpt("一二三四五", 4) == "一二三…"
    assert excerpt("一二三四五", 1) == "…"
    assert excerpt("一二 三四五", 4) == "一二…"


def test_excerpt_keeps_graphemes_whole() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert excerpt("ab" + family + "cd", 5) == "ab…"
    assert excerpt("cafe\u0301s", 5) == "caf…"
    assert excerpt("a\U0001f1e8\U0001f1f3\U0001f1ef\U0001f1f5", 3) == "a…"
    assert excerpt("a\U0001f1e8\U0001f1f3\U0001f1ef\U0001f1f5", 4) == "a\U0001f1e8\U0001f1f3…"
    assert excerpt("赞\U0001f44d\U0001f3fdb", 3) == "赞…"


def test_excerpt_in_utf16_units() -> None:
    text = "\U0001f389" * 5  # each counts 2 in Telegram's limits
    assert excerpt(text, 5) == text
    assert excerpt(text, 5, utf16=True) == "\U0001f389\U0001f389…"
    assert excerpt(text, 10, utf16=True) == text


def test_excerpt_rejects_nonpositive_limit() -> None:
    with pytest.raises(ValueError):
        excerpt("abc", 0)


@given(text=st.text(), limit=st.integers(min_value=1, max_value=60), utf16=st.booleans())
def test_excerpt_properties(text: str, limit: int, utf16: bool) -> None:
    result = excerpt(text, limit, utf16=utf16)
    size = len(result.encode("utf-16-le")) // 2 if utf16 else len(result)
    assert size <= limit
    if result != text:
        assert result.endswith("…")
        assert text.startswith(result[:-1])


# --- helpers ------------------------------------------------------------------------------------


def _save(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _with_body(body: str, *, prolog: str = "") -> bytes:
    """A real .docx whose ``word/document.xml`` is replaced by ``body`` (and ``prolog``)."""
    xml = (
        (prolog or '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')
        + '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        + f"<w:body>{body}</w:body></w:document>"
    )
    source = zipfile.ZipFile(io.BytesIO(make_docx(["标题"])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                content = xml.encode()
            archive.writestr(info.filename, content)
    return buffer.getvalue()


# A run holding a text box the way Word writes it: a DrawingML version and a VML fallback.
_TEXT_BOX_RUN = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:v="urn:schemas-microsoft-com:vml">'
    "<mc:AlternateContent>"
    '<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>'
    "<w:p><w:r><w:t>文本框里的文字</w:t></w:r></w:p>"
    "</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
    "<w:p><w:r><w:t>文本框里的文字</w:t></w:r></w:p>"
    "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
    "</mc:AlternateContent>"
    "</w:r>"
)
