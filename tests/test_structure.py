"""The code's rooms stay separate: no import cycles between apps or between one app's modules.

Read from the source with ast, as a newcomer reads it: every import statement
counts, also those inside functions (a deferred import is still a dependency).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".venv", "node_modules", "tests", "migrations", "bench", "static", "templates"}


def project_packages():
    return sorted(
        p.name
        for p in ROOT.iterdir()
        if p.is_dir() and (p / "__init__.py").exists() and p.name not in SKIP
    )


def modules():
    """{dotted module name: source path} for every project module outside tests."""
    found = {}
    for package in project_packages():
        for path in (ROOT / package).rglob("*.py"):
            if SKIP.intersection(path.relative_to(ROOT).parts[1:]):
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports_of(name, path, known):
    """Project modules that `name` imports (relative imports resolved)."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module or "").split(".")]).strip(".")
            candidates = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


def find_cycle(graph):
    """One cycle in a {node: {nodes}} graph as a list, or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


@pytest.fixture(scope="module")
def module_graph():
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def test_no_import_cycle_between_top_level_packages(module_graph):
    packages = {}
    for name, targets in module_graph.items():
        top = name.split(".")[0]
        packages.setdefault(top, set()).update(
            t.split(".")[0] for t in targets if t.split(".")[0] != top
        )
    assert find_cycle(packages) is None


def test_no_import_cycle_between_modules_of_one_app(module_graph):
    within = {
        name: {t for t in targets if t.split(".")[0] == name.split(".")[0]}
        for name, targets in module_graph.items()
    }
    # A package's __init__ importing nothing of its own keeps this meaningful.
    assert find_cycle(within) is None


def test_the_project_package_is_only_glue():
    names = {p.name for p in (ROOT / "site_project").glob("*.py")}
    assert names <= {
        "__init__.py",
        "settings.py",
        "urls.py",
        "wsgi.py",
        "asgi.py",
        "gunicorn.conf.py",
    }


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
