"""{% cached_page_body %} … {% end_cached_page_body %}: the part of a page template
the page cache keeps (pagecache/serving.py). Outside a cached render it just renders."""

from django import template

from ..serving import body_html

register = template.Library()


class CachedPageBodyNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return body_html(context.get("request"), lambda: self.nodelist.render(context))


@register.tag
def cached_page_body(parser, token):
    nodelist = parser.parse(("end_cached_page_body",))
    parser.delete_first_token()
    return CachedPageBodyNode(nodelist)
