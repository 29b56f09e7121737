"""{% chart_image block %}: a narrative chart block as an <img>.

In files (the HTML file, the PDF) the SVG travels inside the document as a data URI, so it
opens anywhere; on the page the image comes from its cached URL (drawn by a separate request).
"""

import base64

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language

from rbb.trends.charts import chart_render

register = template.Library()


@register.simple_tag
def chart_image(block, *, inline: bool):
    if inline:
        svg = chart_render(block.series, file_format="svg", language=get_language())
        src = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
        return format_html('<img class="trend-chart" src="{}" alt="{}" width="506" height="253">', src, block.title)
    url = reverse(f"trends:{block.kind}-chart", args=[block.report_id, block.item_id, "svg"]) + f"?v={block.digest}"
    return format_html('<img class="trend-chart" src="{}" alt="{}" loading="lazy" width="506" height="253">', url, block.title)
