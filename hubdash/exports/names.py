"""File names that say what a file is, in the reader's language: 湊原地域_エグゼクティブ報告_2026年度第2四半期.pptx."""

from __future__ import annotations

import re

# Characters no Windows or macOS file name may hold, and white space (kept out for mail and chat clients).
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+|\s+')


def file_name(*parts: str, ext: str) -> str:
    """The non-empty parts joined by "_", each without characters a file system refuses, then the extension."""
    cleaned = [_UNSAFE.sub("", part) for part in parts]
    return "_".join(part for part in cleaned if part) + f".{ext}"
