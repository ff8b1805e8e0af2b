"""The tree itself: the tests import this checkout, every package is shipped, the public API is plain."""
from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT, _imported_from_checkout

CORE = ROOT / "core"


def test_dafu_is_this_checkout():
    """The imported dafu (and dafu.cli) are the files of this working tree, not an installed copy."""
    assert _imported_from_checkout() is None


def test_every_package_is_listed_in_pyproject():
    """A wheel (`pip install .`) ships every package folder of core/ and cli/."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])
    found = {"dafu", "dafu.cli"} | {
        "dafu." + ".".join(init.parent.relative_to(CORE).parts)
        for init in CORE.rglob("__init__.py") if init.parent != CORE and "data" not in init.parts}
    assert listed == found


def test_public_api():
    """`dafu` exports its names with `__all__`; the stage names are the stage functions."""
    import dafu

    for name in dafu.__all__:
        assert getattr(dafu, name) is not None, name
    assert callable(dafu.normalize) and callable(dafu.segment) and callable(dafu.extract)
    assert not {"sys", "types", "import_module", "annotations"} & set(dir(dafu))
    assert (CORE / "py.typed").is_file()


def test_options_reject_an_unknown_script():
    """Options(script=...) names the choices instead of silently picking one."""
    from dafu import Options

    with pytest.raises(ValueError, match="simplified, traditional, keep"):
        Options(script="Simplified")


def test_import_is_cheap():
    """`import dafu` and `import dafu.cli` load neither opencc, jieba, charset_normalizer, jsonschema, rich,
    nor the pipeline and the stages' parts (their patterns are compiled when a letter first needs them)."""
    heavy = ("opencc", "jieba", "charset_normalizer", "jsonschema", "rich", "dafu.pipeline", "dafu.read",
             "dafu.segment.header", "dafu.segment.text", "dafu.extract.labels", "dafu.extract.quantities")
    code = f"import sys, dafu, dafu.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _imports(path: Path) -> list[str]:
    """Return the dafu modules a core module imports (relative imports resolved)."""
    package = ["dafu", *path.relative_to(CORE).with_suffix("").parts]
    if package[-1] == "__init__":
        package = package[:-1]
    else:
        package = package[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                out.append(".".join(base + ([node.module] if node.module else [])))
            elif node.module and node.module.startswith("dafu"):
                out.append(node.module)
        elif isinstance(node, ast.Import):
            out += [a.name for a in node.names if a.name.startswith("dafu")]
    return out


STAGES = ["read", "normalize", "segment", "extract", "output"]


def _stage(module: str) -> int | None:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else None


def test_imports_run_forward():
    """No stage imports a later stage: read -> normalize -> segment -> extract -> output."""
    backward = []
    for path in sorted(CORE.rglob("*.py")):
        here = _stage("dafu." + ".".join(path.relative_to(CORE).with_suffix("").parts))
        if here is None:
            continue
        for target in _imports(path):
            there = _stage(target)
            if there is not None and there > here:
                backward.append(f"{path.relative_to(ROOT)} imports {target}")
    assert backward == []


def _graph() -> dict[str, set[str]]:
    """Return module -> the dafu modules it imports (anywhere in its body), for every module of core/."""
    mods = {}
    for path in sorted(CORE.rglob("*.py")):
        parts = list(path.relative_to(CORE).with_suffix("").parts)
        mods[".".join(["dafu", *(parts[:-1] if parts[-1] == "__init__" else parts)])] = path
    graph = {}
    for name, path in mods.items():
        targets = set()
        for target in _imports(path):
            while target and target not in mods:
                target = target.rpartition(".")[0]
            if target and target != name:
                targets.add(target)
        graph[name] = targets
    return graph


def test_no_import_cycle():
    """The modules of core/ import each other without a cycle (lazy imports inside functions included)."""
    graph, done, path = _graph(), set(), []

    def visit(name: str) -> None:
        if name in path:
            pytest.fail("import cycle: " + " -> ".join([*path[path.index(name):], name]))
        if name in done:
            return
        path.append(name)
        for target in sorted(graph[name]):
            visit(target)
        path.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)


def _cli_imports(path: Path) -> set[str]:
    """Return the modules of cli/ that a cli/ module imports (relative or as dafu.cli.X, lazy ones included)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            out |= {node.module} if node.module else {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dafu.cli."):
            out.add(node.module.split(".")[2])
    return out


def test_no_command_imports_another_command():
    """Each command module (registered in cli/__init__.py) leans on shared modules only, never on a sibling command."""
    tree = ast.parse((ROOT / "cli" / "__init__.py").read_text("utf-8"))
    commands = {node.args[0].value for node in ast.walk(tree) if isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "_register"}
    assert commands == {"convert", "validate", "inspect", "review"}
    leaning = [f"cli/{path.name} imports cli/{target}.py" for path in sorted((ROOT / "cli").glob("*.py"))
               if path.name != "__init__.py" for target in sorted(_cli_imports(path) & commands)
               if target != path.stem]
    assert leaning == []


def test_core_never_imports_the_cli():
    """The library does not know its command line (only `python -m dafu`, core/__main__.py, starts it)."""
    found = [f"{path.relative_to(ROOT)} imports {target}" for path in sorted(CORE.rglob("*.py"))
             if path.name != "__main__.py" for target in _imports(path) if target.startswith("dafu.cli")]
    assert found == []
