import io

from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from profiles.models import Profile
from research.models import Publication


def image_bytes(size, fmt="JPEG", mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 80, 40) if mode == "RGB" else (200, 80, 40, 128)).save(
        buffer, format=fmt
    )
    return buffer.getvalue()


def named(name, data):
    return ContentFile(data, name=name)


def stored(url):
    """The stored file behind a /media/ URL, opened with Pillow."""
    name = url.removeprefix("/media/")
    assert default_storage.exists(name), url
    return Image.open(default_storage.open(name))


def candidates(srcset):
    return [item.strip().split() for item in srcset.split(",")]


def homepage(client):
    return BeautifulSoup(client.get("/").content, "html.parser")


def test_photo_is_a_picture_with_webp_and_a_fallback_at_1x_and_2x(client, seeded):
    profile = Profile.load()
    profile.photo.save("portrait.jpg", named("portrait.jpg", image_bytes((1200, 900))))
    picture = homepage(client).select_one(".profile picture")
    source, img = picture.find("source"), picture.find("img")

    assert source["type"] == "image/webp"
    webp = candidates(source["srcset"])
    assert [density for _, density in webp] == ["1x", "2x"]
    assert [stored(url).format for url, _ in webp] == ["WEBP", "WEBP"]
    assert [stored(url).size for url, _ in webp] == [(256, 192), (512, 384)]

    fallback = candidates(img["srcset"])
    assert img["src"] == fallback[0][0]
    assert [stored(url).format for url, _ in fallback] == ["JPEG", "JPEG"]
    assert [stored(url).size for url, _ in fallback] == [(256, 192), (512, 384)]

    # Laid out before it loads, and not lazy: the photo is at the top of the page.
    assert (img["width"], img["height"]) == ("256", "192")
    assert "loading" not in img.attrs
    assert img["alt"] == "Mikita Balesni"
    assert "circular" in img["class"]


def test_renditions_are_smaller_than_the_original(client, seeded):
    profile = Profile.load()
    profile.photo.save("big.png", named("big.png", image_bytes((1000, 1000), fmt="PNG")))
    img = homepage(client).select_one(".profile picture img")
    original = default_storage.size(profile.photo.name)
    for url, _ in candidates(img["srcset"]):
        assert default_storage.size(url.removeprefix("/media/")) < original


def test_thumbnails_are_160_and_320_wide_lazy_with_their_size_set(client, seeded):
    pictures = homepage(client).select(".paper .thumbnail picture")
    assert len(pictures) == 5
    for picture in pictures:
        img = picture.find("img")
        assert img["loading"] == "lazy"
        assert img["width"] == "160"
        webp = candidates(picture.find("source")["srcset"])
        assert [stored(url).width for url, _ in webp] == [160, 320]
        ratio = stored(webp[0][0]).height / 160
        assert abs(int(img["height"]) / 160 - ratio) < 0.02


def test_transparent_pngs_keep_a_png_fallback(client, seeded):
    paper = Publication.objects.get(slug="reversal-curse")
    paper.thumbnail.save("logo.png", named("logo.png", image_bytes((600, 300), "PNG", "RGBA")))
    img = homepage(client).select_one('.paper img[alt^="The Reversal Curse"]')
    fallback = stored(img["src"])
    assert fallback.format == "PNG"
    assert fallback.mode == "RGBA"


def test_small_originals_are_not_enlarged(client, seeded):
    paper = Publication.objects.get(slug="reversal-curse")
    paper.thumbnail.save("tiny.jpg", named("tiny.jpg", image_bytes((100, 50))))
    img = homepage(client).select_one('.paper img[alt^="The Reversal Curse"]')
    assert [density for _, density in candidates(img["srcset"])] == ["1x"]
    assert stored(img["src"]).size == (100, 50)
    assert (img["width"], img["height"]) == ("100", "50")


def test_a_replaced_photo_gets_new_renditions(client, seeded):
    profile = Profile.load()
    profile.photo.save("first.jpg", named("first.jpg", image_bytes((600, 600))))
    first = homepage(client).select_one(".profile img")["src"]
    profile.photo.save("second.jpg", named("second.jpg", image_bytes((600, 300))))
    img = homepage(client).select_one(".profile img")
    assert img["src"] != first
    assert stored(img["src"]).size == (256, 128)


def test_renditions_missing_for_older_uploads_are_made_when_shown(client, seeded):
    paper = Publication.objects.get(slug="reversal-curse")
    webp_dir = "renditions/thumbnails"
    for name in default_storage.listdir(webp_dir)[1]:
        default_storage.delete(f"{webp_dir}/{name}")
    img = homepage(client).select_one(f'.paper img[alt^="{paper.title[:18]}"]')
    assert stored(img["src"]).width == 160


def test_an_unreadable_original_still_shows_an_image(client, seeded):
    paper = Publication.objects.get(slug="reversal-curse")
    for name in default_storage.listdir("renditions/thumbnails")[1]:
        default_storage.delete(f"renditions/thumbnails/{name}")
    with default_storage.open(paper.thumbnail.name, "wb") as handle:
        handle.write(b"not an image any more")
    response = client.get("/")
    assert response.status_code == 200
    img = BeautifulSoup(response.content, "html.parser").select_one(
        '.paper img[alt^="The Reversal Curse"]'
    )
    assert img["src"] == paper.thumbnail.url
    assert (img["width"], img["height"]) == ("160", "100")  # from the stored dimensions


def test_paper_page_figure_is_384_wide_and_not_lazy(client, seeded):
    paper = Publication.objects.get(slug="reversal-curse")
    paper.thumbnail.save("wide.jpg", named("wide.jpg", image_bytes((1600, 1000))))
    page = BeautifulSoup(client.get(paper.get_absolute_url()).content, "html.parser")
    picture = page.select_one(".paper-thumbnail picture")
    img = picture.find("img")
    assert (img["width"], img["height"]) == ("384", "240")
    assert "loading" not in img.attrs
    webp = candidates(picture.find("source")["srcset"])
    assert [stored(url).size for url, _ in webp] == [(384, 240), (768, 480)]


def test_pages_ask_the_storage_about_renditions_only_the_first_time(
    client, seeded, settings, monkeypatch
):
    # On S3 each exists() is a network round trip: a render must not ask per image.
    settings.PAGE_CACHE_ENABLED = False
    asked = []
    real_exists = type(default_storage._wrapped).exists

    def counting_exists(storage, name):
        asked.append(name)
        return real_exists(storage, name)

    monkeypatch.setattr(type(default_storage._wrapped), "exists", counting_exists)
    first = homepage(client)
    assert any(name.startswith("renditions/") for name in asked)
    asked.clear()
    second = homepage(client)
    assert asked == []
    assert [img["src"] for img in second.select("img")] == [
        img["src"] for img in first.select("img")
    ]
