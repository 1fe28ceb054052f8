"""Known vulnerabilities of the installed dependencies (``make audit``; also run by the tests).

Runs pip-audit on the environment the tests run in (the compatible ranges of
requirements*.txt as resolved here) and says plainly which of three things happened:

* every package was checked and none has a known vulnerability → exit 0;
* a package has a known vulnerability → one line per finding, exit 1;
* the vulnerability database could not be reached (no network, a mirror without the
  vulnerability API) → says that nothing was checked and exits 0, or 3 with ``--strict``.
  pip-audit itself reports "No known vulnerabilities found" in that case; this script
  does not let that pass as a result.

Where a database is reachable: ``make audit`` (PyPI's advisory data) or
``.venv/bin/python scripts/audit_dependencies.py --service osv``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

EXIT_CLEAN = 0
EXIT_FOUND = 1
EXIT_UNREACHABLE = 3


@dataclass(frozen=True)
class Audit:
    checked: int
    unchecked: int
    findings: tuple[str, ...]  # "package version: ID (fixed in …)"
    problem: str = ""  # why nothing could be checked

    @property
    def reached(self) -> bool:
        return self.checked > 0 and not self.problem


def read_report(report: dict) -> Audit:
    """What pip-audit's JSON report says, counting packages it could not look up."""
    checked = unchecked = 0
    findings: list[str] = []
    for dep in report.get("dependencies", []):
        if "skip_reason" in dep:
            unchecked += 1
            continue
        checked += 1
        for vuln in dep.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            findings.append(f"{dep['name']} {dep.get('version', '?')}: {vuln['id']} (fixed in {fixed})")
    problem = "" if checked else "the vulnerability database knew none of the installed packages"
    return Audit(checked, unchecked, tuple(findings), problem)


def run(service: str = "pypi") -> Audit:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "audit.json"
        command = [
            sys.executable, "-m", "pip_audit", "--local", "--skip-editable", "--progress-spinner", "off",
            "--vulnerability-service", service, "--format", "json", "--output", str(out),
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        if not out.exists():
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            return Audit(0, 0, (), f"pip-audit could not reach the {service} database ({last[:200]})")
        return read_report(json.loads(out.read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--service", choices=["pypi", "osv"], default="pypi")
    parser.add_argument("--strict", action="store_true", help=f"exit {EXIT_UNREACHABLE} when nothing could be checked")
    args = parser.parse_args(argv)
    audit = run(args.service)
    if not audit.reached:
        print(f"dependency audit: NOTHING WAS CHECKED – {audit.problem}; run it where the database is reachable")
        return EXIT_UNREACHABLE if args.strict else EXIT_CLEAN
    for finding in audit.findings:
        print(f"vulnerable: {finding}")
    skipped = f", {audit.unchecked} not found in the database" if audit.unchecked else ""
    print(f"dependency audit: {audit.checked} packages checked{skipped}, {len(audit.findings)} known vulnerabilities")
    return EXIT_FOUND if audit.findings else EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
