"""core.memo: a result is reused while its parts are the same, and only then."""

from core.memo import PartsMemo


def test_a_result_is_reused_while_its_parts_are_the_same_or_equal():
    memo = PartsMemo()
    calls = []

    def compute(value):
        def run():
            calls.append(value)
            return value

        return run

    facets = [{"a": 1}, {"b": 2}]
    assert memo.get("choices", facets, compute("first")) == "first"
    assert memo.get("choices", facets, compute("second")) == "first"
    # Equal but not the same objects (an entry rendered again, unchanged).
    assert memo.get("choices", [{"a": 1}, {"b": 2}], compute("third")) == "first"
    assert calls == ["first"]


def test_a_changed_added_or_removed_part_computes_again():
    memo = PartsMemo()
    assert memo.get("x", [1, 2], lambda: "one") == "one"
    assert memo.get("x", [1, 3], lambda: "two") == "two"
    assert memo.get("x", [1, 3, 4], lambda: "three") == "three"
    assert memo.get("x", [1, 3], lambda: "four") == "four"
    # Names are kept apart.
    assert memo.get("y", [1, 3], lambda: "other") == "other"
    assert memo.get("x", [1, 3], lambda: "five") == "four"


def test_the_oldest_names_are_dropped_past_the_size():
    memo = PartsMemo(size=2)
    memo.get("a", [1], lambda: "a")
    memo.get("b", [1], lambda: "b")
    memo.get("c", [1], lambda: "c")
    assert memo.get("a", [1], lambda: "a again") == "a again"
    assert memo.get("c", [1], lambda: "c again") == "c"
