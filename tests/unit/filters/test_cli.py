"""``python -m filters`` as a subprocess: JSON on stdout, Chinese errors and exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def _run(stdin: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "filters", *args],
        input=stdin,
        capture_output=True,
        cwd=REPO,
        check=False,
    )


def test_default_lexicon_verdict_as_json() -> None:
    text = "请代 开-发*票，电话 13800138000"
    result = _run(text.encode())
    assert result.returncode == 0, result.stderr.decode()
    output = json.loads(result.stdout)
    assert output["verdict"] == "block"
    assert [h["term"] for h in output["hits"]] == ["代开发票", "手机号"]
    first = output["hits"][0]
    assert set(first) == {"term", "category", "severity", "start", "end", "found_by"}
    assert text[first["start"] : first["end"]] == "代 开-发*票"
    # ensure_ascii=False: the Chinese is written as such
    assert "代开发票".encode() in result.stdout


def test_pass_and_undecodable_input() -> None:
    result = _run(b"\xff\xfe hello \x00")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"verdict": "pass", "hits": []}


def test_custom_lexicon_and_whitelist(tmp_path: Path) -> None:
    lexicon = tmp_path / "lexicon.txt"
    lexicon.write_text("# 测试\n日本\tblock\t政治敏感\n", encoding="utf-8")
    whitelist = tmp_path / "whitelist.txt"
    whitelist.write_text("日本料理\n", encoding="utf-8")
    result = _run("去日本，今日本店，吃日本料理".encode(), "--lexicon", str(lexicon))
    hits = json.loads(result.stdout)["hits"]
    assert [(h["start"], h["end"]) for h in hits] == [(1, 3), (10, 12)]
    args = ("--lexicon", str(lexicon), "--whitelist", str(whitelist))
    result = _run("去日本，今日本店，吃日本料理".encode(), *args)
    assert [(h["start"], h["end"]) for h in json.loads(result.stdout)["hits"]] == [(1, 3)]
    # the default lexicon is not used alongside --lexicon
    assert json.loads(_run("请代开发票".encode(), "--lexicon", str(lexicon)).stdout)["hits"] == []


def test_bad_lexicon_exits_2_with_a_chinese_message(tmp_path: Path) -> None:
    lexicon = tmp_path / "bad.txt"
    lexicon.write_text("赌博\twarn\t不良/低俗\n代开\tfatal\t欺诈/广告\n", encoding="utf-8")
    result = _run(b"x", "--lexicon", str(lexicon))
    assert result.returncode == 2
    assert result.stdout == b""
    assert "第 2 行：严重程度只能是 block 或 warn" in result.stderr.decode()
    missing = _run(b"x", "--lexicon", str(tmp_path / "missing.txt"))
    assert missing.returncode == 2
    assert "找不到文件" in missing.stderr.decode()
