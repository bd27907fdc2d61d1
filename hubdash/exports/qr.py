"""QR codes, made on this computer (segno, pure Python): nothing is fetched from another host."""

from __future__ import annotations

import segno


def qr_svg(text: str, *, scale: int = 8) -> str:
    """An SVG image of a QR code holding `text` (medium error correction, readable from a projector)."""
    svg: str = segno.make(text, error="m").svg_inline(scale=scale, dark="#000", light="#fff")
    return svg
