"""House rules that keep the code base honest: import direction, texts, safety."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ktmsc.i18n import LANGS
from ktmsc.texts import catalogue

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "ktmsc"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def core_files():
    return [p for p in CORE.rglob("*.py") if "ui" not in p.relative_to(CORE).parts]


@pytest.mark.parametrize("path", core_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_never_imports_streamlit(path):
    assert "streamlit" not in imports_of(path)


@pytest.mark.parametrize(
    "path",
    [p for p in core_files() if "storage" not in p.relative_to(CORE).parts],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_only_storage_imports_sqlalchemy(path):
    assert not {"sqlalchemy", "alembic", "psycopg"} & imports_of(path)


# --- import directions of the whole core ------------------------------------------------------
#
# A "room" is a top-level module of ktmsc (ktmsc/labels.py) or a sub-package (ktmsc/model/).
# Rooms are stacked in layers; a module may import its own room and the rooms of lower
# layers only. Lazy imports inside functions count the same as imports at the top.

LAYERS: list[set[str]] = [
    {"ktmsc", "i18n", "yamlsafe", "qr", "lru", "collector"},  # no ktmsc imports at all
    {"model", "texts"},  # the vocabulary: schema, questionnaire, answers, assessment, limits
    {"content", "scoring", "batch", "storage"},  # read and validate content; score (one, many); store
    {"instrument", "labels", "history", "recommendations", "outside", "wizard", "plan"},
    {"targets", "action_plan"},  # the proposal read out, what if; the action plan and its check
    {"export", "charts", "rounds", "quick"},
    {"readout", "workshop", "host"},
    {"report", "example"},
    {"cli", "ui"},
    {"__main__"},
]
LAYER_OF = {room: index for index, rooms in enumerate(LAYERS) for room in rooms}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "ktmsc"


def ktmsc_imports(path: Path) -> set[str]:
    """Every ktmsc name this file imports, as a dotted path (``from ktmsc.content import rules``
    gives ``ktmsc.content.rules``); :func:`graph` shortens each to the module it lives in."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "ktmsc")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            if base.split(".")[0] == "ktmsc":
                found.update(f"{base}.{a.name}" for a in node.names)
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in CORE.rglob("*.py") if "migrations" not in p.parts}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for target in ktmsc_imports(path):
            while target not in modules and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in modules and target != name:
                targets.add(target)
        edges[name] = targets
    return edges


def test_every_room_has_a_layer():
    rooms = {room_of(m) for m in graph()}
    assert not rooms - set(LAYER_OF), f"add these to LAYERS: {sorted(rooms - set(LAYER_OF))}"


@pytest.mark.parametrize("module", sorted(graph()))
def test_imports_point_down(module):
    here = room_of(module)
    upward = [t for t in graph()[module] if room_of(t) != here and LAYER_OF[room_of(t)] >= LAYER_OF[here]]
    assert not upward, f"{module} (layer {LAYER_OF[here]}) imports {upward}: imports must point to lower layers"


def test_model_imports_nothing_above_it():
    above = {t for m, ts in graph().items() if room_of(m) == "model" for t in ts if room_of(t) not in ("model", "i18n")}
    assert not above


def test_content_never_imports_scoring():
    used = {t for m, ts in graph().items() if room_of(m) == "content" for t in ts}
    assert not {t for t in used if room_of(t) in ("scoring", "instrument", "readout", "labels")}


def test_nothing_outside_ui_imports_ui():
    offenders = {m for m, ts in graph().items() if room_of(m) != "ui" and any(room_of(t) == "ui" for t in ts)}
    assert not offenders


def test_no_import_cycles():
    edges, state, cycle = graph(), {}, []

    def visit(node: str, path: list[str]) -> bool:
        state[node] = "open"
        for target in edges[node]:
            if state.get(target) == "open":
                cycle.extend([*path[path.index(target) :], target] if target in path else [node, target])
                return True
            if target not in state and visit(target, [*path, target]):
                return True
        state[node] = "done"
        return False

    for start in sorted(edges):
        if start not in state and visit(start, [start]):
            break
    assert not cycle, " -> ".join(cycle)


def test_no_core_module_is_longer_than_600_lines():
    long = {str(p.relative_to(ROOT)): n for p in CORE.rglob("*.py") if (n := len(p.read_text().splitlines())) > 600}
    assert not long


def test_core_imports_without_streamlit_loaded():
    code = (
        "import sys, ktmsc.cli, ktmsc.scoring, ktmsc.recommendations, ktmsc.export, ktmsc.charts, ktmsc.model.assessment\n"
        "import ktmsc.labels, ktmsc.readout, ktmsc.instrument, ktmsc.report\n"
        "assert 'streamlit' not in sys.modules, 'the core pulled in streamlit'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_the_start_page_loads_nothing_it_does_not_draw():
    """The first page people see (and the server's first run) does without the database
    library, the migrations, the charts, the PDF and the data frames: they load on first use."""
    code = (
        "import sys, ktmsc.ui.frame, ktmsc.ui.session, ktmsc.ui.links, ktmsc.ui.safe, ktmsc.ui.server, ktmsc.wizard\n"
        "heavy = {'sqlalchemy', 'alembic', 'altair', 'vl_convert', 'fpdf', 'pandas', 'pyarrow', 'numpy'}\n"
        "loaded = sorted(heavy & {name.split('.')[0] for name in sys.modules})\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def importable_modules() -> list[str]:
    """Every core module and package that callers import (migration scripts run under Alembic)."""
    names = []
    for path in core_files():
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts or parts[-1] == "__main__":
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return sorted(names)


@pytest.mark.parametrize("module", importable_modules())
def test_each_core_module_can_be_imported_first(module):
    """No import cycle hides behind the order in which the app happens to import things."""
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_texts__every_key_has_both_languages():
    for key, entry in catalogue().items():
        for lang in LANGS:
            assert entry.get(lang, "").strip(), f"{key} lacks {lang}"


def test_texts__placeholders_match_between_languages():
    for key, entry in catalogue().items():
        de, en = (set(re.findall(r"\{(\w+)", entry[lang])) for lang in LANGS)
        assert de == en, f"{key}: placeholders differ: de {sorted(de)} vs en {sorted(en)}"


def test_texts__every_key_used_in_code_exists():
    used: set[str] = set()
    for path in [*CORE.rglob("*.py"), ROOT / "app.py"]:
        if path.exists():
            used.update(
                re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']\s*[,)]""", path.read_text(encoding="utf-8"))
            )
    missing = sorted(k for k in used if k not in catalogue())
    assert not missing, f"texts used in code but missing from ktmsc/locale: {missing}"


def test_texts__every_counted_text_has_each_plural_form_of_both_languages():
    """``labels.counted(key, n, lang)`` picks ``key.one`` or ``key.other`` by the language's
    plural rules: every family the code counts with has both forms."""
    from ktmsc.labels import PLURAL_FORMS, plural_form

    used: set[str] = set()
    for path in [*CORE.rglob("*.py"), ROOT / "app.py"]:
        used.update(re.findall(r"""\bcounted\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""", path.read_text(encoding="utf-8")))
    assert used, "no counted texts found: the pattern no longer matches the code"
    missing = sorted(f"{key}.{form}" for key in used for form in PLURAL_FORMS if f"{key}.{form}" not in catalogue())
    assert not missing, f"plural forms missing from ktmsc/locale: {missing}"
    # Every form a count from 0 to 1,000 can ask for is one of the forms the files hold.
    assert {plural_form(n, lang) for n in range(1001) for lang in LANGS} <= set(PLURAL_FORMS)


def test_texts__every_import_error_has_a_message():
    from ktmsc.model.assessment import ERROR_MESSAGES

    missing = [key for key in ERROR_MESSAGES if f"ui.import_error.{key}" not in catalogue()]
    assert not missing


def test_texts__every_page_and_level_has_a_name():
    from ktmsc.ui.links import PAGES_DIR

    pages = [p.stem for p in (ROOT / PAGES_DIR).glob("*.py")]
    keys = [f"ui.nav.{p}" for p in pages] + ["ui.results.level_low", "ui.results.level_high"]
    assert not [k for k in keys if k not in catalogue()]


def test_no_unsafe_html():
    offenders = []
    for path in [*ROOT.glob("*.py"), *CORE.rglob("*.py")]:
        if re.search(r"unsafe_allow_html\s*=\s*True", path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders


def test_no_legacy_pages_folder():
    # Pages live in ktmsc/ui/pages and are routed by st.navigation in app.py.
    assert not (ROOT / "pages").exists()


def test_one_version_number():
    import tomllib

    import ktmsc

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## (\d+\.\d+\.\d+)", changelog, flags=re.M)
    assert releases and releases[0] == ktmsc.__version__, "the newest release in CHANGELOG.md is the package version"
    assert re.search(r"^## Unreleased", changelog, flags=re.M), "CHANGELOG.md collects changes under 'Unreleased'"


def test_docs_cite_only_the_projects_own_design():
    for path in [ROOT / "README.md", *ROOT.glob("docs/*.md"), *ROOT.glob("benchmarks/*.md"), *CORE.rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "DESIGN.md §" not in text, f"{path.relative_to(ROOT)} cites a design section that is not in docs/"


def _duplicate_keys(node, path="") -> list[str]:
    import yaml

    found = []
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            name = f"{path}.{key.value}" if path else str(key.value)
            if key.value in seen:
                found.append(f"{name} (line {key.start_mark.line + 1})")
            seen.add(key.value)
            found += _duplicate_keys(value, name)
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            found += _duplicate_keys(value, f"{path}[{index}]")
    return found


@pytest.mark.parametrize(
    "path",
    sorted([*(ROOT / "ktmsc" / "locale").glob("*.yaml"), *(ROOT / "questionnaires").rglob("*.yaml")]),
    ids=lambda p: p.name,
)
def test_no_yaml_file_repeats_a_key(path):
    """YAML lets a repeated key silently replace the first (a whole block of texts gone)."""
    import yaml

    assert _duplicate_keys(yaml.compose(path.read_text(encoding="utf-8"))) == []
