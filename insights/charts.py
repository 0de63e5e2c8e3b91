"""Small bar charts drawn as inline SVG on the server: no script, no CDN."""

from django.utils.html import format_html, format_html_join

WIDTH, HEIGHT, GAP = 640, 120, 2


def bar_chart(*, title: str, labels: list[str], values: list) -> str:
    """One bar per value, its label and value in the bar's tooltip (<title>)."""
    top = max((float(value) for value in values), default=0) or 1
    width = WIDTH / max(len(values), 1)
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" '
        'fill="currentColor"><title>{}: {}</title></rect>',
        (
            (
                f"{index * width:.1f}",
                f"{HEIGHT - float(value) / top * HEIGHT:.1f}",
                f"{max(width - GAP, 1):.1f}",
                f"{float(value) / top * HEIGHT:.1f}",
                label,
                value,
            )
            for index, (label, value) in enumerate(zip(labels, values, strict=True))
        ),
    )
    return format_html(
        '<figure class="insights-chart"><figcaption>{}</figcaption>'
        '<svg role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" '
        'height="{}" preserveAspectRatio="none">{}</svg></figure>',
        title,
        title,
        WIDTH,
        HEIGHT,
        HEIGHT,
        bars,
    )
