"""Command line: ``python -m filters [--lexicon FILE] [--whitelist FILE] < draft.txt``.

Prints the verdict as one JSON object and exits 0 whatever the verdict; a lexicon or
whitelist that cannot be used is reported in Chinese on stderr with exit code 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence

from filters.lexicon import default_terms, load_lexicon, load_whitelist
from filters.model import LexiconError
from filters.screener import Screener

__all__ = ["main"]

logger = logging.getLogger(__name__)

EXIT_BAD_LEXICON = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Screen standard input and print the verdict; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m filters",
        description="审核稿件：从标准输入读取文本，输出 JSON 格式的审核结果。",
    )
    parser.add_argument("--lexicon", metavar="FILE", help="词库文件（默认使用内置词库）")
    parser.add_argument("--whitelist", metavar="FILE", help="白名单文件")
    args = parser.parse_args(argv)
    # jieba reports its dictionary loading on its own stderr handler at DEBUG level.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    try:
        terms = load_lexicon(args.lexicon) if args.lexicon else default_terms()
        whitelist = load_whitelist(args.whitelist) if args.whitelist else []
        screener = Screener(terms, whitelist)
    except LexiconError as error:
        print(f"词库错误：{error}", file=sys.stderr)
        return EXIT_BAD_LEXICON
    # Bytes in, replacement characters for anything that is not UTF-8: a draft is never
    # refused for its encoding.
    text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    verdict = screener.screen(text)
    output = json.dumps(verdict.to_dict(), ensure_ascii=False)
    sys.stdout.buffer.write(output.encode("utf-8") + b"\n")
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
