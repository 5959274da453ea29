"""House rules that no single feature test sees: the arrows between apps, unused templates,
missing migrations, Django-free engines."""

import ast
import itertools
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "partenariats"

# The floors of the building (ARCHITECTURE.md): an app may import only apps on a lower
# floor. Apps on the same floor do not import each other, except on the top floor, whose
# apps assemble everything. A new app must be placed here before it can land.
FLOORS: dict[str, int] = {
    # 0: the little that every app shares.
    "core": 0,
    # 1: the pure engines (which may use core's Django-free helpers) and the territories.
    "terms": 1,
    "charts": 1,
    "reader": 1,
    "territories": 1,
    "directory": 2,
    "accounts": 3,
    # 4: the conventions (they use the terms engine, the directory and the accounts).
    "conventions": 4,
    # 5: plans, activities and what they count toward; 6: indicators computed from them.
    "activities": 5,
    "indicators": 6,
    # 7: workflows over several apps: reading a convention file into a reviewed record; the
    # steering committee and the yearly review written from the indicators.
    "intake": 7,
    "steering": 7,
    # 8: the dashboard gathers what every app shows a user.
    "dashboard": 8,
    # Top: they may import anything.
    "api": 9,
    "demo": 9,
}
TOP_FLOOR = max(FLOORS.values())

# Packages that must stay free of Django (and of the apps built on it): plain Python,
# tested in isolation. Listed before they exist; missing ones are skipped.
PURE_PACKAGES = ["partenariats.terms", "partenariats.reader", "partenariats.charts"]
FRAMEWORK_ROOTS = ("django", "ninja", "dsfr", "django_htmx", "simple_history", "csp", "axes")

# Templates nobody names in the code because a library finds them by convention.
TEMPLATE_ALLOW_LIST: dict[str, str] = {
    "400.html": "Django's default bad-request handler looks it up by name (an unreadable upload)",
    "403.html": "Django's default permission-denied handler looks it up by name",
    "404.html": "Django's default page-not-found handler looks it up by name",
    "500.html": "Django's default server-error handler looks it up by name",
    "django/forms/widgets/select.html": "overrides Django's own (Select.template_name), found first by the renderer",
}


def app_names() -> list[str]:
    """The project's packages: every folder of ``partenariats/`` holding Python code."""
    return sorted(p.name for p in PACKAGE_DIR.iterdir() if p.is_dir() and any(p.rglob("*.py")))


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at module level or inside functions, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            modules.add(prefix)
            # ``from partenariats import directory`` names an app too.
            modules.update(f"{prefix}.{alias.name}" for alias in node.names)
    return modules


def app_imports() -> dict[str, dict[str, set[str]]]:
    """app → imported app → the files that import it."""
    apps = app_names()
    graph: dict[str, dict[str, set[str]]] = {app: {} for app in apps}
    for app in apps:
        for path in (PACKAGE_DIR / app).rglob("*.py"):
            for module in imported_modules(path):
                parts = module.split(".")
                if len(parts) >= 2 and parts[0] == "partenariats" and parts[1] in apps and parts[1] != app:
                    graph[app].setdefault(parts[1], set()).add(str(path.relative_to(PACKAGE_DIR.parent)))
    return graph


def find_cycle(graph: dict[str, set[str]] | dict[str, dict]) -> list[str] | None:
    """One cycle of the directed graph, as the list of its nodes with the first repeated, or None."""
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target, [*path, target])):
                return cycle
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start, [start])):
            return cycle
    return None


def test_it_finds_a_cycle_when_there_is_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_it_reads_function_level_and_relative_imports(tmp_path, monkeypatch):
    package = tmp_path / "partenariats" / "plans"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    module = package / "views.py"
    module.write_text("from .models import Plan\n\ndef view():\n    from partenariats.accounts import services\n")
    monkeypatch.setattr(f"{__name__}.PACKAGE_DIR", tmp_path / "partenariats")
    assert {"partenariats.plans.models", "partenariats.accounts.services"} <= imported_modules(module)


def test_it_follows_imports_through_the_project_to_django(tmp_path, monkeypatch):
    engine = tmp_path / "partenariats" / "engine"
    engine.mkdir(parents=True)
    (engine / "rules.py").write_text("from partenariats.engine.helpers import clean\n")
    (engine / "helpers.py").write_text("def clean():\n    from django.utils.text import slugify\n")
    monkeypatch.setattr(f"{__name__}.PACKAGE_DIR", tmp_path / "partenariats")
    assert framework_imports(engine / "rules.py") == [
        "partenariats/engine/rules.py → partenariats/engine/helpers.py → django.utils.text"
    ]


def test_it_places_every_app_on_a_floor():
    missing = [app for app in app_names() if app not in FLOORS]
    assert not missing, f"Apps missing from FLOORS in tests/test_consistency.py: {', '.join(missing)}"


def test_it_has_no_import_cycle_between_apps():
    graph = app_imports()
    cycle = find_cycle(graph)
    assert cycle is None, (
        "Import cycle between apps: "
        + " → ".join(cycle)
        + "".join(f"\n  {a} → {b}: {', '.join(sorted(graph[a][b]))}" for a, b in itertools.pairwise(cycle))
    )


def test_it_imports_only_from_lower_floors():
    wrong = []
    for app, targets in app_imports().items():
        floor = FLOORS.get(app, -1)
        for target, files in sorted(targets.items()):
            if floor == TOP_FLOOR:
                continue
            if FLOORS.get(target, TOP_FLOOR) >= floor:
                wrong.append(f"{app} (floor {floor}) imports {target} (floor {FLOORS.get(target)}): {sorted(files)}")
    assert not wrong, "Imports that go up or sideways:\n  " + "\n  ".join(wrong)


def _template_dirs() -> list[Path]:
    return [PACKAGE_DIR / "templates", *sorted(PACKAGE_DIR.glob("*/templates"))]


def test_it_uses_every_template():
    templates = {}
    for directory in _template_dirs():
        for path in directory.rglob("*"):
            if path.is_file():
                templates[path.relative_to(directory).as_posix()] = path
    # Every quoted string of the code and templates, per file.
    quoted = {
        path: set(re.findall(r"[\"']([\w./-]+)[\"']", path.read_text(encoding="utf-8")))
        for pattern in ("*.py", "*.html", "*.txt")
        for path in PACKAGE_DIR.rglob(pattern)
        if "migrations" not in path.parts
    }

    def named(name: str, strings: set[str]) -> bool:
        if name in strings:
            return True
        # A prefix completed in code: f"{prefix}_subject.txt" with prefix = "accounts/emails/invitation".
        return any("/" in s and name.startswith(s) and re.fullmatch(r"[_-]\w+\.\w+", name[len(s) :]) for s in strings)

    unused = [
        name
        for name, template_path in sorted(templates.items())
        if name not in TEMPLATE_ALLOW_LIST
        and not any(named(name, strings) for path, strings in quoted.items() if path != template_path)
    ]
    assert not unused, (
        "Templates named nowhere in the code (delete them, or add them to TEMPLATE_ALLOW_LIST with a reason): "
        + ", ".join(unused)
    )
    stale = [name for name in TEMPLATE_ALLOW_LIST if name not in templates]
    assert not stale, f"TEMPLATE_ALLOW_LIST names templates that do not exist: {', '.join(stale)}"


@pytest.mark.django_db
def test_it_has_a_migration_for_every_model_change():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail("Model changes without a migration (run makemigrations):\n" + out.getvalue())


def _module_files(module: str) -> list[Path]:
    """The files Python runs to import ``module`` of this project: its packages' ``__init__`` and itself."""
    files = []
    parts = module.split(".")
    for depth in range(1, len(parts) + 1):
        base = PACKAGE_DIR.parent.joinpath(*parts[:depth])
        if base.is_dir():
            if (base / "__init__.py").is_file():
                files.append(base / "__init__.py")
        elif base.with_suffix(".py").is_file():
            files.append(base.with_suffix(".py"))
            break  # what follows is a name inside the module
        else:
            break
    return files


def framework_imports(start: Path) -> list[str]:
    """Chains of files from ``start`` to a framework import, following this project's modules."""
    found, seen, queue = [], {start}, [(start, [str(start.relative_to(PACKAGE_DIR.parent))])]
    while queue:
        path, chain = queue.pop(0)
        modules = imported_modules(path)
        framework = {m for m in modules if m.split(".")[0] in FRAMEWORK_ROOTS}
        # ``from django.utils.text import slugify`` reads as both modules: keep the shorter.
        found += [" → ".join([*chain, m]) for m in sorted(framework) if m.rpartition(".")[0] not in framework]
        for module in sorted(m for m in modules if m.startswith("partenariats")):
            for file in _module_files(module):
                if file not in seen:
                    seen.add(file)
                    queue.append((file, [*chain, str(file.relative_to(PACKAGE_DIR.parent))]))
    return found


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_it_keeps_the_pure_packages_free_of_django(package):
    directory = PACKAGE_DIR.parent.joinpath(*package.split("."))
    if not directory.is_dir():
        pytest.skip(f"{package} does not exist yet")
    wrong = [chain for path in sorted(directory.rglob("*.py")) for chain in framework_imports(path)]
    assert not wrong, f"{package} must not import Django, even through another module:\n  " + "\n  ".join(wrong)
