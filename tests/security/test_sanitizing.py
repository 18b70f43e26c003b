"""Text that reaches the public pages: Markdown sanitized, plain text escaped, URLs validated."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from profiles.models import Profile, SocialLink
from research.models import Authorship, Person, Publication

from .helpers import errors_text, form_data, squash

SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "xlink:href", "srcset"}
ACTIVE_TAGS = {"iframe", "frame", "object", "embed", "applet", "svg", "math", "style", "base"}
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def public_pages(client, paper):
    """Every public page that shows the site's text (extended as pages are added)."""
    tag = paper.tags.first()
    return {
        "home": client.get("/"),
        "paper": client.get(paper.get_absolute_url()),
        "archive": client.get(reverse("research:index")),
        "tag": client.get(reverse("research:tag", args=[tag.slug])),
    }


def assert_inert(html, where):
    """Nothing in the page can run script or load from elsewhere because of our data."""
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        assert script.get("src") or script.get("type") in DATA_SCRIPT_TYPES, (where, script)
    assert not soup.find_all(ACTIVE_TAGS), (where, soup.find_all(ACTIVE_TAGS))
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), (where, tag)
            assert name.lower() != "style", (where, tag)
            if name.lower() in URL_ATTRIBUTES:
                url = squash(value if isinstance(value, str) else " ".join(value))
                scheme = re.match(r"^([a-z][a-z0-9+.-]*):", url)
                assert not scheme or scheme[1] in SAFE_SCHEMES, (where, tag)


def build_site(plain="", markdown=""):
    """A published profile and highlighted paper with `plain` in every text field."""
    profile = Profile(
        name=f"Ada {plain}", subtitle=f"Researcher {plain}", bio=markdown, active_research=markdown
    )
    profile.save()
    SocialLink.objects.create(profile=profile, label=f"GitHub {plain}", url="https://github.com/a")
    owner = Person.objects.create(name=f"Ada {plain}", is_owner=True)
    other = Person.objects.create(name=f"Bob {plain}")
    paper = Publication.objects.create(
        title=f"Paper {plain}",
        date="2024-05-01",
        venue=f"Venue {plain}",
        venue_short="V",
        tldr=markdown or "Short.",
        abstract=markdown or "Long.",
        highlighted=True,
        url="https://arxiv.org/abs/2401.00001",
    )
    Authorship.objects.create(publication=paper, person=owner, position=0)
    Authorship.objects.create(
        publication=paper, person=other, position=1, printed_name=f"B. {plain}"
    )
    paper.tags.set([f"tag {plain}"[:100]])
    return paper


PLAIN_PAYLOADS = [
    ("script-tag", "<script>alert(1)</script>"),
    ("attribute-breakout", '"><img src=x onerror=alert(1)>'),
    ("single-quote-breakout", "'><svg onload=alert(1)>"),
    ("title-breakout", "</title><script>alert(1)</script>"),
    ("json-ld-breakout", '</script><script>alert(1)</script>{"a":"'),
    ("comment-and-entities", "<!-- &lt;b&gt; &amp; -->"),
]


@pytest.mark.parametrize(
    "payload", [p for _, p in PLAIN_PAYLOADS], ids=[c for c, _ in PLAIN_PAYLOADS]
)
def test_plain_text_fields_are_shown_as_text(client, db, payload):
    paper = build_site(plain=payload)
    for where, response in public_pages(client, paper).items():
        assert response.status_code == 200, where
        assert_inert(response.content, where)
        text = BeautifulSoup(response.content, "html.parser").get_text()
        assert f"Paper {payload}" in text, where
    home = BeautifulSoup(public_pages(client, paper)["home"].content, "html.parser")
    assert home.select_one("h1").get_text() == f"Ada {payload}"
    assert home.find("meta", attrs={"name": "description"})["content"] == f"Researcher {payload}"
    assert home.select_one("p.social a")["title"] == f"GitHub {payload}"


MARKDOWN_PAYLOADS = [
    ("md-link-javascript", "[x](javascript:alert(1))"),
    ("md-link-mixed-case", "[x](JaVaScRiPt:alert(1))"),
    ("md-link-tab-entity", "[x](java&#x09;script:alert(1))"),
    ("md-link-decimal-entity", "[x](&#106;avascript:alert(1))"),
    ("md-link-colon-entity", "[x](javascript&colon;alert(1))"),
    ("md-link-leading-space", "[x]( javascript:alert(1))"),
    ("md-link-data", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("md-link-vbscript", "[x](vbscript:msgbox(1))"),
    ("md-image-javascript", "![x](javascript:alert(1))"),
    ("md-image-data-svg", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
    ("md-reference-link", "[x][1]\n\n[1]: javascript:alert(1)"),
    ("md-autolink", "<javascript:alert(1)>"),
    ("html-a-newline-entity", '<a href="jav&#x0A;ascript:alert(1)">x</a>'),
    (
        "html-a-hex-entities",
        '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;ipt:alert(1)">x</a>',
    ),
    ("html-img-onerror", "<img src=x onerror=alert(1)>"),
    ("html-onclick", '<a href="https://ok.example" onclick="alert(1)">x</a>'),
    ("html-svg-script", "<svg><script>alert(1)</script></svg>"),
    ("html-iframe", '<iframe src="https://evil.example"></iframe>'),
    ("html-object", '<object data="evil.swf"></object><embed src="evil.swf">'),
    ("html-style", "<style>body{display:none}</style><p style='position:fixed'>x</p>"),
    (
        "html-form",
        '<form action="https://evil.example"><button formaction="javascript:x">go</button>',
    ),
    ("html-meta-refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example">'),
    ("html-base", '<base href="https://evil.example/">'),
    ("nested-script", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("mutation-xss", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    ("script-in-code-span", "`</code><script>alert(1)</script>`"),
]


@pytest.mark.parametrize(
    "markdown", [m for _, m in MARKDOWN_PAYLOADS], ids=[c for c, _ in MARKDOWN_PAYLOADS]
)
def test_markdown_fields_are_sanitized_everywhere(client, db, markdown):
    paper = build_site(markdown=markdown)
    for where, response in public_pages(client, paper).items():
        assert response.status_code == 200, where
        assert_inert(response.content, where)
        assert b"<meta http-equiv" not in response.content.lower(), where


def test_safe_markdown_links_survive(client, db):
    paper = build_site(markdown="See [the code](https://github.com/a/b) or [mail](mailto:a@b.org).")
    page = BeautifulSoup(client.get(paper.get_absolute_url()).content, "html.parser")
    hrefs = {a["href"] for a in page.select(".tldr a")}
    assert hrefs == {"https://github.com/a/b", "mailto:a@b.org"}


BAD_URLS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/x",
    "//evil.example/",
    "https://exa mple.org/",
]


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize(
    "model,field",
    [
        (Publication, "url"),
        (Publication, "code_url"),
        (Publication, "website_url"),
        (Publication, "pdf_url"),
        (Person, "homepage"),
        (SocialLink, "url"),
    ],
    ids=["paper-url", "code-url", "website-url", "pdf-url", "person-homepage", "social-link"],
)
def test_url_fields_refuse_other_schemes(model, field, url):
    with pytest.raises(ValidationError) as error:
        model._meta.get_field(field).clean(url, None)
    assert error.value.messages


@pytest.mark.parametrize(
    "url,ok",
    [
        ("mailto:ada@example.org", True),
        ("MAILTO:ada@example.org", True),
        ("mailto:javascript:alert(1)", False),
        ("mailto:", False),
    ],
)
def test_social_links_accept_mailto_addresses_only(url, ok):
    field = SocialLink._meta.get_field("url")
    if ok:
        field.clean(url, None)
    else:
        with pytest.raises(ValidationError):
            field.clean(url, None)


def test_bad_url_in_the_admin_is_a_form_error(editor_client, db):
    person = Person.objects.create(name="Ada")
    url = reverse("admin:research_person_change", args=[person.pk])
    data = form_data(editor_client.get(url), "person_form")
    response = editor_client.post(url, {**data, "homepage": "javascript:alert(1)"})
    assert response.status_code == 200
    assert "Enter a valid URL" in errors_text(response)
    person.refresh_from_db()
    assert person.homepage == ""


def test_bad_social_link_in_the_admin_is_a_form_error(editor_client, db):
    profile = Profile(name="Ada")
    profile.save()
    link = SocialLink.objects.create(profile=profile, label="Web", url="https://a.org")
    url = reverse("admin:profile_profile_change", args=[profile.pk])
    data = form_data(editor_client.get(url), "profile_form")
    response = editor_client.post(url, {**data, "links-0-url": "JavaScript:alert(1)"})
    assert response.status_code == 200
    assert "mailto:" in errors_text(response)
    link.refresh_from_db()
    assert link.url == "https://a.org"
