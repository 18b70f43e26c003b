"""Template tags, front matter and Markdown as the importer reads them."""

import pytest

from siteimport.data import Report, SiteImportError
from siteimport.text import (
    TemplateContext,
    hugo_markdown,
    jekyll_markdown,
    read_front_matter,
    strip_liquid,
)


def test_liquid_we_cannot_run_is_left_out_and_reported_with_its_line():
    report = Report()
    body = (
        "Intro.\n\n{% include bib_search.liquid %}\n\n"
        "{% for p in site.pages %}\n{{ p.title }}\n{% endfor %}\nEnd."
    )
    text = strip_liquid(body, "_pages/x.md", 8, report)
    assert "{%" not in text and "{{" not in text
    assert "Intro." in text and "End." in text
    assert [(n.where, n.message.split(" “")[0]) for n in report.notes] == [
        ("_pages/x.md:10", "Liquid include"),
        ("_pages/x.md:12", "Liquid block"),
    ]
    assert "to line 14" in report.notes[1].message


def test_variables_and_filters_we_can_compute_are_filled_in():
    report = Report()
    context = TemplateContext(
        site={"url": "https://x.org", "email": "a@b.org"}, page={"title": "T"}
    )
    body = (
        "[pubs]({{ site.baseurl }}/publications/) {{ site.email }} {{ page.title }} "
        "{{ '/assets/pdf/cv.pdf' | relative_url }} {{ site.nothing }}"
    )
    text = strip_liquid(body, "a.md", 1, report, context)
    assert text == "[pubs](/publications/) a@b.org T /assets/pdf/cv.pdf "
    assert len(report.notes) == 1 and "site.nothing" in report.notes[0].message


def test_raw_comment_and_highlight_blocks():
    report = Report()
    body = (
        "{% raw %}{{ kept }}{% endraw %}\n{% comment %}hidden{% endcomment %}\n"
        "{% highlight python %}\nx = 1\n{% endhighlight %}"
    )
    text = strip_liquid(body, "a.md", 1, report)
    assert "{{ kept }}" in text and "hidden" not in text
    assert "```python\nx = 1\n```" in text
    assert report.notes == []


def test_liquid_inside_html_comments_is_not_reported():
    report = Report()
    text = jekyll_markdown("Hi <!-- {% include x.liquid %} --> there", "a.md", 1, report)
    assert text == "Hi  there" or text == "Hi there"
    assert report.notes == []


def test_hugo_shortcodes_are_left_out_and_paired_ones_keep_their_text():
    report = Report()
    body = '{{< figure src="a.png" >}}\n\n{{% callout note %}}\nRead **this**.\n{{% /callout %}}'
    assert hugo_markdown(body, "p.md", 3, report) == "Read **this**."
    assert [n.where for n in report.notes] == ["p.md:3", "p.md:5"]


def test_html_is_read_scripts_and_styles_are_dropped():
    report = Report()
    body = (
        '<div class="x"><p>A <a href="https://a.org" target="_blank">link</a>.</p></div>\n\n'
        "<style>.x { color: red }</style><script>alert(1)</script>\n\n"
        "A list right under a line:\n* one\n* two\n"
    )
    text = jekyll_markdown(body, "a.md", 1, report)
    assert text == "A [link](https://a.org).\n\nA list right under a line:\n\n* one\n* two"
    assert {n.message.split(" (")[0] for n in report.notes} == {"a style sheet", "a script"}


def test_front_matter_errors_name_the_line():
    with pytest.raises(SiteImportError, match=r"^_pages/about\.md:3: not valid YAML"):
        read_front_matter("---\ntitle: ok\nbad: [unclosed\n---\nbody", "_pages/about.md")
    meta, body, line = read_front_matter("---\ntitle: ok\n---\n\nbody\n", "a.md")
    assert meta == {"title": "ok"} and body == "\nbody\n" and line == 4
