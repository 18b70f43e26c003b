"""Hugo Blox (Wowchemy, Hugo Academic)."""

from .base import Reader


class HugoBloxReader(Reader):
    name = "hugo-blox"
    label = "Hugo Blox"

    @classmethod
    def detect(cls, root):
        return (root / "content" / "authors").is_dir()
