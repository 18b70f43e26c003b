"""The base class of every management command here: output that cannot steer a terminal.

Commands print what files and the database hold (BibTeX titles, author names,
file names, error messages), so a crafted .bib could otherwise send escape
sequences that retitle the window, rewrite earlier lines or hide text. Every
line written to stdout or stderr loses its control characters (C0 but tab and
newline, DEL, C1) and the invisible bidirectional overrides, before styling
adds the command's own colours.
"""

import re

from django.core.management import base

CommandError = base.CommandError

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_control(text):
    """text without terminal control characters; tabs and newlines stay."""
    return _CONTROL.sub("", str(text))


class CleanOutputWrapper(base.OutputWrapper):
    def write(self, msg="", style_func=None, ending=None):
        super().write(strip_control(msg), style_func, ending)


class BaseCommand(base.BaseCommand):
    """django's BaseCommand, with stdout and stderr cleaned of control characters."""

    @property
    def stdout(self):
        return self._clean_stdout

    @stdout.setter
    def stdout(self, wrapper):
        self._clean_stdout = _clean(wrapper)

    @property
    def stderr(self):
        return self._clean_stderr

    @stderr.setter
    def stderr(self, wrapper):
        self._clean_stderr = _clean(wrapper)


def _clean(wrapper):
    if isinstance(wrapper, CleanOutputWrapper) or not isinstance(wrapper, base.OutputWrapper):
        return wrapper
    clean = CleanOutputWrapper(wrapper._out, ending=wrapper.ending)
    clean.style_func = wrapper._style_func
    return clean
