"""Social links as the three site generators write them, turned into (label, URL, kind).

al-folio: `_data/socials.yml` (jekyll-socials: shown in the file's order) or, in
older sites, the same keys in `_config.yml` (shown in the fixed order of
al-folio's `_includes/social.liquid`). The URL patterns and labels are those of
the two templates. academicpages: the `author:` block of `_config.yml`, in the
order of its `_includes/author-profile.html`. Hugo Blox: `social:` entries of the
author's front matter, each with an icon and a link.
"""

import re

from django.core.exceptions import ValidationError

from core.validators import validate_link_url
from profiles.models import SocialLink

from ..data import Link

K = SocialLink.Kind

# key: (label, URL pattern with %s, kind). Order is al-folio's social.liquid order.
ALFOLIO = {
    "email": ("Email", "mailto:%s", K.EMAIL),
    "telegram_username": ("Telegram", "https://telegram.me/%s", K.OTHER),
    "whatsapp_number": ("WhatsApp", "https://wa.me/%s", K.OTHER),
    "orcid_id": ("ORCID", "https://orcid.org/%s", K.ORCID),
    "scholar_userid": (
        "Google Scholar",
        "https://scholar.google.com/citations?user=%s",
        K.GOOGLE_SCHOLAR,
    ),
    "semanticscholar_id": (
        "Semantic Scholar",
        "https://www.semanticscholar.org/author/%s",
        K.OTHER,
    ),
    "publons_id": ("Publons", "https://publons.com/a/%s/", K.OTHER),
    "lattes_id": ("Lattes", "http://lattes.cnpq.br/%s", K.OTHER),
    "osf_id": ("Open Science Framework", "https://osf.io/%s/", K.OTHER),
    "research_gate_profile": ("ResearchGate", "https://www.researchgate.net/profile/%s/", K.OTHER),
    "ieee_id": ("IEEE Xplore", "https://ieeexplore.ieee.org/author/%s/", K.OTHER),
    "acm_id": ("ACM DL", "https://dl.acm.org/profile/%s/", K.OTHER),
    "scopus_id": ("Scopus", "https://www.scopus.com/authid/detail.uri?authorId=%s", K.OTHER),
    "github_username": ("GitHub", "https://github.com/%s", K.GITHUB),
    "linkedin_username": ("LinkedIn", "https://www.linkedin.com/in/%s", K.LINKEDIN),
    "x_username": ("X", "https://twitter.com/%s", K.TWITTER),
    "twitter_username": ("Twitter", "https://twitter.com/%s", K.TWITTER),
    "mastodon_username": ("Mastodon", "https://%s", K.MASTODON),
    "medium_username": ("Medium", "https://medium.com/@%s", K.OTHER),
    "quora_username": ("Quora", "https://www.quora.com/profile/%s", K.OTHER),
    "flickr_id": ("Flickr", "https://www.flickr.com/%s", K.OTHER),
    "blogger_url": ("Blogger", "%s", K.OTHER),
    "work_url": ("Work", "%s", K.WEBSITE),
    "wikidata_id": ("Wikidata", "https://www.wikidata.org/wiki/%s", K.OTHER),
    "wikipedia_id": ("Wikipedia", "https://wikipedia.org/wiki/User:%s", K.OTHER),
    "strava_userid": ("Strava", "https://www.strava.com/athletes/%s", K.OTHER),
    "keybase_username": ("Keybase", "https://keybase.io/%s", K.OTHER),
    "gitlab_username": ("GitLab", "https://gitlab.com/%s", K.OTHER),
    "dblp_url": ("DBLP", "%s", K.OTHER),
    "stackoverflow_id": ("Stack Overflow", "https://stackoverflow.com/users/%s", K.OTHER),
    "kaggle_id": ("Kaggle", "https://www.kaggle.com/%s", K.OTHER),
    "lastfm_id": ("Last.fm", "https://www.last.fm/user/%s", K.OTHER),
    "spotify_id": ("Spotify", "https://open.spotify.com/user/%s", K.OTHER),
    "pinterest_id": ("Pinterest", "https://www.pinterest.com/%s", K.OTHER),
    "unsplash_id": ("Unsplash", "https://unsplash.com/@%s", K.OTHER),
    "instagram_id": ("Instagram", "https://instagram.com/%s", K.OTHER),
    "facebook_id": ("Facebook", "https://facebook.com/%s", K.FACEBOOK),
    "bluesky_url": ("Bluesky", "https://bsky.app/profile/%s", K.BLUESKY),
    "youtube_id": ("YouTube", "https://youtube.com/@%s", K.OTHER),
    "discord_id": ("Discord", "https://discord.com/users/%s", K.OTHER),
    "zotero_username": ("Zotero", "https://www.zotero.org/%s", K.OTHER),
    "inspirehep_id": ("Inspire HEP", "https://inspirehep.net/authors/%s", K.OTHER),
    "hal_id": ("HAL", "https://cv.hal.science/%s", K.OTHER),
    "arxiv_id": ("arXiv", "https://arxiv.org/a/%s.html", K.OTHER),
    "letterboxd_id": ("Letterboxd", "https://letterboxd.com/%s", K.OTHER),
    "leetcode_id": ("LeetCode", "https://leetcode.com/u/%s/", K.OTHER),
    "cv_pdf": ("CV", "%s", K.CV),
}
# Keys that are no link to a profile elsewhere.
ALFOLIO_IGNORED = {
    "rss_icon": "your feeds are linked from every page already",
    "wechat_qr": "a QR-code picture is no link",
    "wechat_username": "a WeChat link opens only in the app",
}

# academicpages' author block, in the order of its author-profile.html.
ACADEMICPAGES = {
    "uri": ("Website", "%s", K.WEBSITE),
    "email": ("Email", "mailto:%s", K.EMAIL),
    "keybase": ("Keybase", "https://keybase.io/%s", K.OTHER),
    "researchgate": ("ResearchGate", "%s", K.OTHER),
    "twitter": ("Twitter", "https://twitter.com/%s", K.TWITTER),
    "facebook": ("Facebook", "https://www.facebook.com/%s", K.FACEBOOK),
    "linkedin": ("LinkedIn", "https://www.linkedin.com/in/%s", K.LINKEDIN),
    "xing": ("XING", "https://www.xing.com/profile/%s", K.OTHER),
    "instagram": ("Instagram", "https://instagram.com/%s", K.OTHER),
    "tumblr": ("Tumblr", "https://%s.tumblr.com", K.OTHER),
    "bitbucket": ("Bitbucket", "https://bitbucket.org/%s", K.OTHER),
    "github": ("GitHub", "https://github.com/%s", K.GITHUB),
    "stackoverflow": ("Stack Overflow", "https://www.stackoverflow.com/users/%s", K.OTHER),
    "lastfm": ("Last.fm", "https://lastfm.com/user/%s", K.OTHER),
    "dribbble": ("Dribbble", "https://dribbble.com/%s", K.OTHER),
    "pinterest": ("Pinterest", "https://www.pinterest.com/%s", K.OTHER),
    "foursquare": ("Foursquare", "https://foursquare.com/%s", K.OTHER),
    "steam": ("Steam", "https://steamcommunity.com/id/%s", K.OTHER),
    "youtube": ("YouTube", "https://www.youtube.com/user/%s", K.OTHER),
    "soundcloud": ("SoundCloud", "https://soundcloud.com/%s", K.OTHER),
    "weibo": ("Weibo", "https://www.weibo.com/%s", K.OTHER),
    "flickr": ("Flickr", "https://www.flickr.com/%s", K.OTHER),
    "codepen": ("CodePen", "https://codepen.io/%s", K.OTHER),
    "vine": ("Vine", "https://vine.co/u/%s", K.OTHER),
    "googlescholar": ("Google Scholar", "%s", K.GOOGLE_SCHOLAR),
    "pubmed": ("PubMed", "%s", K.OTHER),
    "orcid": ("ORCID", "%s", K.ORCID),
    "impactstory": ("Impactstory", "%s", K.OTHER),
    "wikipedia": ("Wikipedia", "https://en.wikipedia.org/wiki/User:%s", K.OTHER),
}

# Hugo Blox icons -> (label, kind).
HUGO_ICONS = {
    "envelope": ("Email", K.EMAIL),
    "at": ("Email", K.EMAIL),
    "google-scholar": ("Google Scholar", K.GOOGLE_SCHOLAR),
    "github": ("GitHub", K.GITHUB),
    "twitter": ("Twitter", K.TWITTER),
    "x-twitter": ("X", K.TWITTER),
    "linkedin": ("LinkedIn", K.LINKEDIN),
    "orcid": ("ORCID", K.ORCID),
    "facebook": ("Facebook", K.FACEBOOK),
    "bluesky": ("Bluesky", K.BLUESKY),
    "mastodon": ("Mastodon", K.MASTODON),
    "cv": ("CV", K.CV),
    "instagram": ("Instagram", K.OTHER),
    "medium": ("Medium", K.OTHER),
    "youtube": ("YouTube", K.OTHER),
    "researchgate": ("ResearchGate", K.OTHER),
    "gitlab": ("GitLab", K.OTHER),
    "semantic-scholar": ("Semantic Scholar", K.OTHER),
    "dblp": ("DBLP", K.OTHER),
    "arxiv": ("arXiv", K.OTHER),
}

# A link's kind from its address, for links written out in HTML.
_KIND_BY_HOST = [
    (r"^mailto:", K.EMAIL),
    (r"scholar\.google\.", K.GOOGLE_SCHOLAR),
    (r"github\.com", K.GITHUB),
    (r"(twitter\.com|//x\.com)", K.TWITTER),
    (r"facebook\.com", K.FACEBOOK),
    (r"linkedin\.com", K.LINKEDIN),
    (r"orcid\.org", K.ORCID),
    (r"bsky\.app", K.BLUESKY),
]


def kind_of(url):
    for pattern, kind in _KIND_BY_HOST:
        if re.search(pattern, url, re.I):
            return kind
    return K.OTHER


def deobfuscate_email(value):
    """name[at]example.org -> name@example.org (academicpages authors write it so)."""
    value = re.sub(r"\s*[\[(]\s*at\s*[\])]\s*", "@", value, flags=re.I)
    return re.sub(r"\s*[\[(]\s*dot\s*[\])]\s*", ".", value, flags=re.I)


def checked(link, name, report):
    """The link, or None (reported) when its address is not one the site accepts."""
    if link.kind == K.CV and not link.url:
        return link
    try:
        validate_link_url(link.url)
    except ValidationError:
        report.note(
            name, f"the {link.label} link “{link.url}” is not a web or mailto: address: left out"
        )
        return None
    return link


def _value(value):
    if value is None or value is False:
        return ""
    if isinstance(value, (list, tuple)):
        return ""
    return str(value).strip()


def alfolio_links(socials, name, report, *, ordered, cv_link=None):
    """al-folio socials (a dict from socials.yml or _config.yml) as Links.

    ordered: the file's own order (socials.yml); otherwise al-folio's fixed order.
    cv_link(value) turns a cv_pdf value into a Link (a local file is the uploaded CV).
    """
    keys = list(socials) if ordered else [k for k in ALFOLIO if k in socials]
    links = []
    for key in keys:
        value = socials[key]
        if key in ALFOLIO_IGNORED:
            if value:
                report.note(name, f"{key}: not imported ({ALFOLIO_IGNORED[key]})")
            continue
        if isinstance(value, dict) and key not in ALFOLIO:
            # A custom social: logo, title and url of the owner's choosing.
            url, label = _value(value.get("url")), _value(value.get("title")) or key
            if url:
                links.append(Link(label, url, kind_of(url)))
            continue
        if key not in ALFOLIO:
            if ordered and value:
                report.note(name, f"{key}: not a social link al-folio knows: left out")
            continue
        label, pattern, kind = ALFOLIO[key]
        if isinstance(value, dict):
            value = value.get("value") or value.get(key) or value.get("url")
        value = _value(value)
        if not value:
            continue
        if key == "cv_pdf" and cv_link:
            link = cv_link(value)
            if link:
                links.append(link)
            continue
        if key == "email":
            value = deobfuscate_email(value)
        links.append(Link(label, pattern % value, kind))
    return [link for link in links if checked(link, name, report)]


def academicpages_links(author, name, report):
    links = []
    for key, (label, pattern, kind) in ACADEMICPAGES.items():
        value = _value(author.get(key))
        if not value:
            continue
        if key == "email":
            value = deobfuscate_email(value)
        links.append(Link(label, pattern % value, kind))
    return [link for link in links if checked(link, name, report)]


def hugo_links(entries, name, report, *, email=""):
    links = []
    for entry in entries or []:
        if not isinstance(entry, dict):
            continue
        icon = _value(entry.get("icon")).removeprefix("brands/").removeprefix("academicons/")
        url = _value(entry.get("link") or entry.get("url"))
        label, kind = HUGO_ICONS.get(icon, (icon.replace("-", " ").title() or "Link", K.OTHER))
        if not url:
            continue
        if url.startswith(("/#contact", "#contact")) and kind == K.EMAIL:
            if not email:
                report.note(
                    name,
                    "the Email icon points at the contact section, which has no address: left out",
                )
                continue
            url = f"mailto:{email}"
        elif url.startswith("/") and kind != K.CV:
            report.note(name, f"the {label} link “{url}” is a page of the old site: left out")
            continue
        elif kind == K.CV and "://" not in url:
            url = ""  # a file of the site (static/uploads/cv.pdf): the uploaded CV
        links.append(Link(label, url, kind))
    return [link for link in links if checked(link, name, report)]
