"""Results reused while what they are made of is unchanged: a list page's aggregates.

A cold /research/ takes its thousand entries from this process's memory
(research.listing), so an unchanged paper hands in the very same facets, marks
and HTML objects as on the request before. What a page works out over all of
them (the filters' choices, the footnote, a year's HTML) is kept here under a
name and handed out again while each part is the same object as last time, or
equal to it: the check costs a pointer comparison per part, and an edit of one
paper recomputes only what that paper really changed.

Results are shared between requests: callers must not change them.
"""

import threading
from collections import OrderedDict

# Names kept per process: a few per kind of list page (home, research, tags...).
SIZE = 256


class PartsMemo:
    def __init__(self, size=SIZE):
        self.size = size
        self.items = OrderedDict()
        self.lock = threading.Lock()

    def get(self, name, parts, compute):
        """compute(), or what it gave last time under name if parts are the same."""
        parts = tuple(parts)
        with self.lock:
            found = self.items.get(name)
            if found is not None:
                self.items.move_to_end(name)
        if found is not None and _same(found[0], parts):
            return found[1]
        result = compute()
        with self.lock:
            self.items[name] = (parts, result)
            self.items.move_to_end(name)
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return result

    def clear(self):
        with self.lock:
            self.items.clear()


def _same(old, new):
    return len(old) == len(new) and all(a is b or a == b for a, b in zip(old, new, strict=True))


memo = PartsMemo()
