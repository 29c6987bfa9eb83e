"""The arrows allowed between the apps, as data: a forbidden import fails here.

- every app may import the core (`lab`); the core imports no app, except its wiring (the URL
  configuration, the API router, the home page), which gathers the apps;
- community may use programmes (projects, programmes) and Superpublic's spaces and booking
  services (events hold rooms); publications may use programmes; nothing else imports community
  or publications; programmes and superpublic import no other app;
- members (the membership's life) reads the other apps' figures through their selectors only
  (the usage report, the public organisation pages), and no app imports members;
- inside the core, no import cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = {"lab", "programmes", "community", "superpublic", "publications", "members"}
ALLOWED = {
    "lab": set(),
    "programmes": {"lab"},
    "superpublic": {"lab"},
    "community": {"lab", "programmes", "superpublic.models", "superpublic.services"},
    "publications": {"lab", "programmes"},
    # The usage report and the public pages count what each app holds through that app's own
    # selectors, never its models: a change of their tables stays their business.
    "members": {"lab", "programmes.selectors", "superpublic.selectors", "publications.selectors",
                "community.selectors"},
}  # fmt: skip
WIRING = {"lab/urls.py", "lab/api_urls.py", "lab/views.py"}


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" not in relative:
            yield relative, ast.parse(path.read_text(encoding="utf-8"))


def _imports(tree: ast.AST):
    """Every module named by an import, at the top or inside a function."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def forbidden_imports(app: str, modules) -> list[str]:
    wrong = []
    for relative, tree in modules:
        if relative in WIRING:
            continue
        for module in _imports(tree):
            target = module.split(".")[0]
            if target not in APPS or target == app:
                continue
            allowed = ALLOWED[app]
            if target not in allowed and not any(
                module == a or module.startswith(a + ".") for a in allowed
            ):
                wrong.append(f"{relative} imports {module}")
    return wrong


@pytest.mark.parametrize("app", sorted(APPS))
def test_each_app_imports_only_what_it_may(app):
    assert forbidden_imports(app, _modules(app)) == []


def test_a_forbidden_import_is_caught():
    tree = ast.parse("def f():\n    from community.models import Profile\n")
    assert forbidden_imports("superpublic", [("superpublic/x.py", tree)]) == [
        "superpublic/x.py imports community.models"
    ]


def test_the_core_has_no_import_cycle():
    graph: dict[str, set[str]] = {}
    for relative, tree in _modules("lab"):
        name = relative.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        graph[name] = {m for m in _imports(tree) if m.split(".")[0] == "lab"}
    for relative, tree in _modules("lab"):
        name = relative.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        for node in ast.walk(tree):
            # `from lab import access` names the module lab.access
            if isinstance(node, ast.ImportFrom) and node.module in {"lab", "lab.lib"}:
                graph[name] |= {f"{node.module}.{alias.name}" for alias in node.names}
    cycles = []

    def visit(module, path):
        for target in graph.get(module, ()):
            if target in path:
                cycles.append(" → ".join([*path[path.index(target) :], target]))
            elif target in graph and len(path) < 20:
                visit(target, [*path, target])

    for module in graph:
        visit(module, [module])
    assert not cycles, cycles[:5]
