import json

from research.metadata import json_for_script, plain_text


def test_json_for_script_cannot_close_the_script_element():
    data = {"title": "</script><script>alert(1)</script> <!-- & -->"}
    text = json_for_script(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data


def test_plain_text_drops_markup_and_entities():
    assert plain_text("We **find** <em>it</em> & more\n\nsecond  line") == (
        "We find it & more second line"
    )
