"""academicpages (Jekyll, Minimal Mistakes)."""

from .base import Reader


class AcademicPagesReader(Reader):
    name = "academicpages"
    label = "academicpages"

    @classmethod
    def detect(cls, root):
        return (root / "_publications").is_dir()
