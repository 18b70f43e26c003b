import pytest

from core.markup import render_markdown


@pytest.mark.parametrize(
    "source,forbidden",
    [
        ("<script>alert(1)</script>", "<script"),
        ("[x](javascript:alert(1))", "javascript:"),
        ("[x](JAVASCRIPT:alert(1))", "javascript:"),
        ("[x](java&#09;script:alert(1))", "script:"),
        ("[x](vbscript:msgbox(1))", "vbscript:"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<a href="#" onclick="alert(1)">x</a>', "onclick"),
        ("<iframe src='https://evil.example'></iframe>", "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
        ("<svg><script>alert(1)</script></svg>", "<svg"),
    ],
)
def test_markdown_cannot_carry_scripts(source, forbidden):
    assert forbidden.lower() not in render_markdown(source).lower()


def test_formatting_and_safe_links_survive():
    html = render_markdown(
        "A *b* **c** [web](https://example.org) [mail](mailto:a@example.org) [rel](/research/)"
    )
    assert "<em>b</em>" in html and "<strong>c</strong>" in html
    assert 'href="https://example.org"' in html
    assert 'href="mailto:a@example.org"' in html
    assert 'href="/research/"' in html


def test_empty_text_is_empty_html():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
