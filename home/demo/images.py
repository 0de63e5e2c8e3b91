"""Product and banner pictures drawn with Pillow, so the demo needs no downloads."""

import colorsys
import hashlib
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont


def _palette(seed: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    hue = int(hashlib.sha1(seed.encode()).hexdigest()[:4], 16) / 0xFFFF
    top = colorsys.hls_to_rgb(hue, 0.62, 0.75)
    bottom = colorsys.hls_to_rgb((hue + 0.08) % 1, 0.42, 0.8)
    return tuple(int(c * 255) for c in top), tuple(int(c * 255) for c in bottom)


def draw_picture(
    label: str, *, size: tuple[int, int], seed: str | None = None
) -> bytes:
    """A gradient, a disc and the label: recognisable at thumbnail size."""
    width, height = size
    top, bottom = _palette(seed or label)
    image = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(height - 1, 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    radius = min(width, height) // 3
    cx, cy = width // 2, height // 2 - radius // 4
    draw.ellipse(
        [cx - radius, cy - radius, cx + radius, cy + radius], fill=(255, 255, 255)
    )
    font = ImageFont.load_default(size=max(14, min(width, height) // 11))
    words = label.split()
    lines = [" ".join(words[i : i + 3]) for i in range(0, len(words), 3)][:2]
    y = cy + radius + min(width, height) // 20
    for line in lines:
        text_width = draw.textlength(line, font=font)
        draw.text(((width - text_width) / 2, y), line, fill=(255, 255, 255), font=font)
        y += font.size + 6
    initials = "".join(word[0] for word in words[:2]).upper()
    big = ImageFont.load_default(size=radius)
    text_width = draw.textlength(initials, font=big)
    draw.text(
        ((width - text_width) / 2, cy - radius * 0.6), initials, fill=top, font=big
    )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def stored_picture(path: str, label: str, *, size=(800, 800), seed=None) -> str:
    """Draw the picture into media storage at `path` unless it is already there."""
    if not default_storage.exists(path):
        path = default_storage.save(
            path, ContentFile(draw_picture(label, size=size, seed=seed))
        )
    return path
