"""Dependencies run one way: missions ← indicators ← rbb (the report composition).

missions and indicators may use rbb's shared pieces (rbb.lib, rbb.exceptions); the REST
plumbing they plug into (rbb.api) is the one exception, for their api/ packages only.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ("rbb.lib", "rbb.exceptions")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT / app).parts
        if parts[0] not in ("api", "migrations"):
            yield path


def test_missions_and_indicators_do_not_depend_on_the_composition():
    wrong = [
        f"{path.relative_to(ROOT)}: {name}"
        for app in ("missions", "indicators")
        for path in _modules(app)
        for name in _imports(path)
        if (name == "rbb" or name.startswith("rbb.")) and not name.startswith(SHARED)
    ]
    assert wrong == []


def test_missions_does_not_depend_on_indicators():
    wrong = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _modules("missions")
        for name in _imports(path)
        if name == "indicators" or name.startswith("indicators.")
    ]
    assert wrong == []
