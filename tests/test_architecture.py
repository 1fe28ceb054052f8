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


def test_core_imports_without_streamlit_loaded():
    code = (
        "import sys, ktmsc.cli, ktmsc.scoring, ktmsc.recommendations, ktmsc.export, ktmsc.charts, ktmsc.assessment\n"
        "assert 'streamlit' not in sys.modules, 'the core pulled in streamlit'\n"
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


def test_texts__every_import_error_has_a_message():
    from ktmsc.assessment import ERROR_MESSAGES

    missing = [key for key in ERROR_MESSAGES if f"ui.import_error.{key}" not in catalogue()]
    assert not missing


def test_texts__every_page_and_level_has_a_name():
    from ktmsc.ui.frame import PAGES_DIR

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
