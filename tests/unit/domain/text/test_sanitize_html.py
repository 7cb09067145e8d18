"""sanitize_html / html_to_text: nothing executable survives, text keeps its structure."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from annotator.domain.text.html import (
    ALLOWED_TAGS,
    MAX_NESTING_DEPTH,
    HtmlTooDeepError,
    html_to_text,
    sanitize_html,
)

SAFE_ATTRIBUTES = {"href", "title", "colspan", "rowspan", "datetime", "value", "start"}

ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p onclick="alert(1)" style="color:red">click</p>',
    '<a href="javascript:alert(1)">link</a>',
    '<a href="JaVaScRiPt:alert(1)">link</a>',
    '<a href=" jav&#x09;ascript:alert(1)">link</a>',
    '<a href="&#106;avascript:alert(1)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">link</a>',
    '<a href="vbscript:msgbox(1)">link</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>">fallback</iframe>',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><script>alert(2)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<object data=javascript:alert(1)></object><embed src=javascript:alert(1)>",
    '<form action="javascript:alert(1)"><button formaction=javascript:alert(1)>b</button></form>',
    '<body onload="alert(1)"><p>x</p></body>',
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//"><a href="/x">x</a>',
    "<template><script>alert(1)</script></template>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>d</details>",
    '<video><source onerror="alert(1)"></video>',
]


class _TagCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def parsed_tags(html):
    collector = _TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags


@pytest.mark.parametrize("attack", ATTACKS)
def test_sanitized_html_has_only_safe_tags_attributes_and_links(attack):
    cleaned = sanitize_html(attack)
    for tag, attributes in parsed_tags(cleaned):
        assert tag in ALLOWED_TAGS
        assert set(attributes) <= SAFE_ATTRIBUTES
        if "href" in attributes:
            assert urlsplit(attributes["href"]).scheme in ("http", "https", "mailto")
    lowered = cleaned.lower()
    for dangerous in (
        "<script",
        "<style",
        "<iframe",
        "<img",
        "<svg",
        "<object",
        "<embed",
        "<meta",
        "<base",
        "<form",
        "<input",
        "javascript:",
        "onerror=",
        "onload=",
        "onclick=",
        "style=",
    ):
        assert dangerous not in lowered


@pytest.mark.parametrize("attack", ATTACKS)
def test_text_output_has_no_markup_or_script_code(attack):
    text = html_to_text(attack)
    assert "<script" not in text.lower()
    assert "alert(2)" not in text
    assert "javascript" not in text.lower()
    assert "onerror" not in text


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "<style>p { color: red }</style>",
        "<svg><text>drawing</text></svg>",
        "<template><p>tpl</p></template>",
        "<noscript>Please enable JavaScript</noscript>",
        "<iframe>fallback</iframe>",
        "<head><title>Page title</title></head>",
        "<select><option>Choose</option></select>",
    ],
)
def test_content_of_non_text_elements_is_dropped_entirely(html):
    assert html_to_text(f"<p>before</p>{html}<p>after</p>") == "before\n\nafter"
    assert sanitize_html(f"{html}kept") == "kept"


def test_safe_markup_and_links_survive():
    html = (
        '<p>Read <a href="https://example.org/a?b=1&amp;c=2" title="t">this</a>, '
        '<a href="mailto:desk@example.org">mail</a> and <em>more</em>.</p>'
    )
    assert sanitize_html(html) == html


def test_relative_links_lose_href():
    assert sanitize_html('<a href="/admin">x</a>') == "<a>x</a>"
    assert sanitize_html('<a href="//evil.example/x">x</a>') == "<a>x</a>"


def test_unknown_tags_are_stripped_but_their_text_kept():
    assert sanitize_html("<custom-el>kept <font color=red>text</font></custom-el>") == "kept text"


def test_paragraphs_are_separated_by_blank_lines():
    html = "<h1>Title</h1><p>First  paragraph\nwraps here.</p><p>Second.</p>"
    assert html_to_text(html) == "Title\n\nFirst paragraph wraps here.\n\nSecond."


def test_list_items_on_their_own_lines():
    html = "<p>Intro:</p><ul><li>one</li><li> two <b>bold</b> </li></ul><ol><li>three</li></ol>"
    assert html_to_text(html) == "Intro:\n\none\ntwo bold\n\nthree"


def test_divs_and_breaks_are_line_breaks():
    assert html_to_text("<div>a</div><div>b<br>c</div>") == "a\nb\nc"
    assert html_to_text("a<br><br>b") == "a\n\nb"
    assert html_to_text("<p>a<br></p><p>b</p>") == "a\n\nb"


def test_nested_blocks_never_give_more_than_one_blank_line():
    html = "<article><section><div><p>a</p></div></section><section><p>b</p></section></article>"
    assert html_to_text(html) == "a\n\nb"


def test_blockquote_and_figure():
    html = (
        "<p>He said:</p><blockquote><p>Quote one.</p><p>Quote two.</p></blockquote>"
        "<figure><figcaption>Caption</figcaption></figure><p>End</p>"
    )
    assert html_to_text(html) == "He said:\n\nQuote one.\n\nQuote two.\n\nCaption\n\nEnd"


def test_table_rows_on_lines_and_cells_tab_separated():
    html = "<table><tr><th>Land</th><th>Wert</th></tr><tr><td>DE</td><td>1</td></tr></table>"
    assert html_to_text(html) == "Land\tWert\nDE\t1"


def test_inline_whitespace_collapses_like_a_browser():
    html = "<p>  a \n\t b<span> c </span> d  </p>"
    assert html_to_text(html) == "a b c d"


def test_pre_keeps_its_whitespace():
    html = "<p>Code:</p><pre>def f():\n    return  1</pre><p>after</p>"
    assert html_to_text(html) == "Code:\n\ndef f():\n    return  1\n\nafter"


def test_entities_decoded_and_nbsp_kept():
    assert html_to_text("<p>Tom &amp; Jerry &lt;3 &eacute;t&#233; 10&nbsp;%</p>") == (
        "Tom & Jerry <3 \u00e9t\u00e9 10\u00a0%"
    )


def test_escaped_markup_stays_literal_text():
    escaped = "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert html_to_text(escaped) == "<script>alert(1)</script>"


def test_output_is_canonical():
    assert html_to_text("<p>A\u0308rger\r\n</p>") == "\u00c4rger"


def test_empty_and_markup_only_inputs():
    assert html_to_text("") == ""
    assert html_to_text("<p> </p><div>\n</div><br>") == ""
    assert sanitize_html("") == ""


def test_full_document_keeps_body_text_only():
    html = (
        "<!DOCTYPE html><html lang=de><head><title>Head title</title>"
        "<meta charset=utf-8><script>var x = 1;</script></head>"
        "<body><nav><a href='/'>Home</a></nav><h1>Headline</h1><p>Body text.</p></body></html>"
    )
    assert html_to_text(html) == "Home\n\nHeadline\n\nBody text."


def test_deep_nesting_is_refused_before_html5lib_goes_quadratic():
    deep = "<div>" * (MAX_NESTING_DEPTH + 1) + "x"
    with pytest.raises(HtmlTooDeepError):
        html_to_text(deep)
    with pytest.raises(HtmlTooDeepError):
        sanitize_html("<span>" * 100_000)


def test_nesting_at_the_limit_and_tag_soup_are_fine():
    assert html_to_text("<div>" * MAX_NESTING_DEPTH + "x") == "x"
    assert html_to_text("<p>a" * 1000) == "\n\n".join(["a"] * 1000)
    assert html_to_text("<ul>" + "<li>i" * 1000 + "</ul>") == "\n".join(["i"] * 1000)
    balanced = ("<div>" * 200 + "x" + "</div>" * 200) * 5
    assert html_to_text(balanced) == "x\nx\nx\nx\nx"
