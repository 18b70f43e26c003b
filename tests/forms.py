"""Fill in a real HTML form the way a browser would, for posting in tests."""

from bs4 import BeautifulSoup


def form_data(html, form_id=None):
    """The values a browser would submit for the form, before any edits.

    Unchecked checkboxes and file inputs are left out, as browsers do.
    """
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", id=form_id) if form_id else soup.find("form", method="post")
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        if field.name == "textarea":
            data[name] = field.text.removeprefix("\n")
        elif field.name == "select":
            chosen = [
                o.get("value", o.text) for o in field.find_all("option") if o.has_attr("selected")
            ]
            if field.has_attr("multiple"):
                data[name] = chosen
            elif chosen:
                data[name] = chosen[0]
            else:
                first = field.find("option")
                data[name] = first.get("value", first.text) if first else ""
        else:
            kind = field.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if field.has_attr("checked"):
                    data[name] = field.get("value", "on")
            elif kind not in {"file", "submit", "button", "image", "reset"}:
                data[name] = field.get("value", "")
    return data


def form_errors(html):
    """The error messages an admin form shows, as plain text."""
    soup = BeautifulSoup(html, "html.parser")
    return [li.get_text(" ", strip=True) for li in soup.select(".errorlist li")]
