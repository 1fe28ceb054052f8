"""Known vulnerabilities of the dependencies: checked where the database is reachable.

Without a reachable vulnerability database the check cannot say anything; it is then
skipped with a loud reason instead of passing as if it had looked (pip-audit itself
prints "No known vulnerabilities found" when it could look up nothing).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import audit_dependencies as audit

REACHED = {
    "dependencies": [
        {"name": "jinja2", "version": "3.1.2", "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"]}]},
        {"name": "pyyaml", "version": "6.0.2", "vulns": []},
        {"name": "ktmsc-local", "skip_reason": "Dependency not found on PyPI and could not be audited"},
    ]
}
UNREACHED = {
    "dependencies": [{"name": "alembic", "skip_reason": "Dependency not found on PyPI and could not be audited"}]
}


def test_a_report_with_findings_lists_each_with_its_fix():
    result = audit.read_report(REACHED)
    assert result.reached and result.checked == 2 and result.unchecked == 1
    assert result.findings == ("jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)",)


def test_a_report_where_nothing_could_be_looked_up_is_not_a_clean_result():
    result = audit.read_report(UNREACHED)
    assert not result.reached and result.problem


def test_the_installed_dependencies_have_no_known_vulnerabilities():
    result = audit.run()
    if not result.reached:
        pytest.skip(f"DEPENDENCY AUDIT NOT RUN: {result.problem} (make audit where the database is reachable)")
    assert not result.findings, "\n".join(result.findings)
