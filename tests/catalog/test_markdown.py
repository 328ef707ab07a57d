"""Markdown rendering is sanitised: hostile descriptions render as harmless HTML."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template

from catalog.markup import render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src=x onerror="alert(1)">',
    '<p onclick="alert(1)">click</p>',
    '<a href="#" onmouseover="alert(1)">hover</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    '<a href="jav&#x61;script:alert(1)">entity</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">dec</a>',
    '<a href="java\tscript:alert(1)">tab</a>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="DATA:text/html,<script>alert(1)</script>">data</a>',
    "[x](vbscript:msgbox(1))",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    "<svg onload=alert(1)><circle r=5 /></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<style>body { display:none }</style>",
    '<div style="position:fixed;inset:0">overlay</div>',
    "<form action=https://evil.example><input name=password></form>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<base href=https://evil.example/>",
    "<!-- <script>alert(1)</script> -->",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="https://ok.example" target="_blank" rel="opener">ok</a>',
    '[ref][1]\n\n[1]: javascript:alert(1) "title"',
    "![img](https://evil.example/track.png)",
    '<table><tr><td background="javascript:alert(1)">cell</td></tr></table>',
    '<details open ontoggle="alert(1)">x</details>',
]


def _tags(html: str) -> set[str]:
    return {t.lower() for t in re.findall(r"<\s*([a-zA-Z0-9]+)", html)}


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_renders_without_active_content(text):
    html = render_markdown(text)
    lowered = html.lower()

    assert "<script" not in lowered and "<style" not in lowered and "<iframe" not in lowered
    assert not re.search(r"\son[a-z]+\s*=", lowered), html
    assert "javascript:" not in lowered and "vbscript:" not in lowered
    assert "data:" not in lowered
    assert "style=" not in lowered
    assert _tags(html) <= {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code",
        "pre", "blockquote", "del", "sub", "sup", "ul", "ol", "li", "dl", "dt", "dd", "a",
        "abbr", "table", "thead", "tbody", "tr", "th", "td",
    }  # fmt: skip
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.startswith(("http://", "https://", "mailto:")), href


def test_links_keep_safe_schemes_and_get_rel_nofollow():
    html = render_markdown("[docs](https://example.org/a?b=1) and <mailto:team@example.org>")

    assert 'href="https://example.org/a?b=1"' in html
    assert "mailto:" in html
    assert html.count('rel="noopener noreferrer nofollow"') == 2


def test_plain_markdown_renders_lists_code_and_tables():
    html = render_markdown(
        "**Paid** orders, one row each.\n\n- `status`: new | paid\n- soft-deleted\n\n"
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n"
    )

    assert "<strong>Paid</strong>" in html
    assert "<li><code>status</code>: new | paid</li>" in html
    assert '<td align="right">2</td>' in html


def test_text_stays_escaped_text():
    assert render_markdown("a < b && c > d") == "<p>a &lt; b &amp;&amp; c &gt; d</p>"


def test_blank_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown("  \n ") == ""


def test_template_filter_marks_the_sanitised_html_safe():
    rendered = Template("{% load docs %}{{ text|markdown }}").render(
        Context({"text": "*hi* <script>alert(1)</script>"})
    )

    assert rendered == "<p><em>hi</em> </p>"
