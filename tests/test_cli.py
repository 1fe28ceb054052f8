"""Command line: validate, questionnaire export, score — and bad input files."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from spreadsheet import read_records

import content_factory as cf
from hostile_files import HOSTILE_FILES
from ktmsc.cli import main
from ktmsc.export import questionnaire_csv_columns
from ktmsc.scoring import extreme_answers


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assessment_file(tmp_path, data, name="assessment.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def valid(questionnaire):
    answers = extreme_answers(questionnaire, {"leistungsfaehigkeit": "high", "veraenderungsbereitschaft": "low"})
    return {
        "format": "ktmsc-assessment",
        "version": 1,
        "profile": {"name": "Musterstadt", "population": 42000, "perspective": "verwaltung"},
        "domains": ["mobilitaet", "wirtschaft"],
        "answers": answers,
    }


def test_validate__ok_on_shipped_content(capsys):
    code, out, _ = run(capsys, "validate")
    assert code == 0
    assert out.strip().splitlines()[-1].startswith("ok: questionnaire")


def test_validate__broken_content_exits_1_with_every_problem(capsys, tmp_path):
    def breaking(files):
        files["sections/wirtschaft.yaml"]["items"][0]["options"][0]["score"] = 2
        files["sections/mobilitaet.yaml"]["items"][0]["text"].pop("de")

    base = cf.build(tmp_path, breaking)
    code, out, err = run(capsys, "validate", str(base))
    assert code == 1
    assert "questionnaires/sections/wirtschaft.yaml:" in out and "I004" in out
    assert "questionnaires/sections/mobilitaet.yaml:" in out and "T001" in out
    assert "invalid: 2 error(s)" in err


def test_validate__uses_the_global_content_option(capsys, tmp_path):
    def breaking(files):
        files["sections/wirtschaft.yaml"]["items"][0]["options"][0]["score"] = 2

    base = cf.build(tmp_path, breaking)
    code, out, err = run(capsys, "--content", str(base), "validate")
    assert code == 1
    assert "I004" in out and "invalid: 1 error(s)" in err
    missing, _, _ = run(capsys, "--content", str(tmp_path / "nowhere"), "validate")
    assert missing == 1


def test_validate__directory_wins_over_the_content_option(capsys, tmp_path):
    code, out, _ = run(capsys, "--content", str(tmp_path / "nowhere"), "validate", str(cf.build(tmp_path)))
    assert code == 0
    assert out.strip().splitlines()[-1].startswith("ok: questionnaire")


def test_questionnaire_json__has_everything(capsys, questionnaire):
    code, out, _ = run(capsys, "questionnaire", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["version"] == questionnaire.version
    items = [item for section in data["sections"] for item in section["items"]]
    assert {i["id"] for i in items} == set(questionnaire.items)
    first = items[0]
    assert set(first) >= {"id", "text", "help", "weights", "tags", "public", "show_if", "options", "dont_know"}
    assert set(first["text"]) == {"de", "en"}
    assert all({"id", "label", "score"} <= set(o) for o in first["options"])
    assert [t["id"] for t in data["model"]["types"]] == ["bewahrerin", "mobilisiererin", "aktivistin", "leuchtturm"]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_questionnaire_csv__one_row_per_option(capsys, questionnaire, lang):
    """``--lang`` chooses the spreadsheet: German Excel's ";" and German headers, or ","."""
    code, out, _ = run(capsys, "questionnaire", "--format", "csv", "--lang", lang)
    assert code == 0
    rows = read_records(out.rstrip("\n") + "\n", lang, questionnaire_csv_columns(questionnaire, lang))
    # Options or bands, "don't know", and "not our task" where an item offers it.
    expected = sum(len(i.options or i.bands) + 1 + (i.not_applicable is not None) for i in questionnaire.items.values())
    assert len(rows) == expected
    assert {r["item_id"] for r in rows} == set(questionnaire.items)
    assert any(r["option_id"] == "dont_know" for r in rows)
    decimal = {"de": ",", "en": "."}[lang]
    assert any(decimal in r["score"] for r in rows)  # 0,75 for German Excel, 0.75 in English


def test_questionnaire_markdown__printable_in_both_languages(capsys, questionnaire):
    for lang, dont_know in (("de", "Weiß nicht"), ("en", "Don't know")):
        code, out, _ = run(capsys, "questionnaire", "--format", "markdown", "--lang", lang)
        assert code == 0
        assert out.count(f"- [ ] {dont_know}") == len(questionnaire.items)
        for item in questionnaire.items.values():
            assert item.text.get(lang) in out


def test_questionnaire_markdown__citizen_view_only_public_items(capsys, questionnaire):
    code, out, _ = run(
        capsys, "questionnaire", "--format", "markdown", "--perspective", "buergerin", "--domains", "mobilitaet"
    )
    assert code == 0
    for item in questionnaire.items_for("mobilitaet"):
        assert (item.text.de in out) == item.public
    assert "Wo Sie nachsehen können" in out


def test_questionnaire__unknown_domain(capsys):
    code, _, err = run(capsys, "questionnaire", "--domains", "mobility")
    assert code == 2 and "unknown domain" in err


def test_score__valid_file(capsys, tmp_path, valid):
    code, out, err = run(capsys, "score", str(assessment_file(tmp_path, valid)))
    assert code == 0, err
    result = json.loads(out)
    assert list(result) == ["wirtschaft", "mobilitaet"]
    for domain in result.values():
        assert set(domain) >= {
            "leistungsfaehigkeit",
            "veraenderungsbereitschaft",
            "coverage",
            "type",
            "stable",
            "levers",
        }
        assert set(domain["leistungsfaehigkeit"]) == {"score", "min", "max", "coverage"}
        assert domain["type"] == "aktivistin" and domain["stable"] is True
    # At most three next steps in all, none of them repeated among a domain's first steps.
    leading = {step for domain in result.values() for step in domain["next_steps"]}
    assert len(leading) <= 3
    assert not leading & {step for domain in result.values() for step in domain["first_steps"]}


def test_score__levers_point_at_weak_answers(capsys, tmp_path, valid, questionnaire):
    _, out, _ = run(capsys, "score", str(assessment_file(tmp_path, valid)))
    levers = json.loads(out)["mobilitaet"]["levers"]
    assert levers and all(lever["gain"] > 0 for lever in levers)
    assert {lever["dimension"] for lever in levers} <= {"leistungsfaehigkeit", "veraenderungsbereitschaft"}
    assert all(lever["item"] in questionnaire.items for lever in levers)


BAD_FILES = [
    ("empty", b"", "empty"),
    ("whitespace", b"  \n ", "empty"),
    ("truncated", b'{"format": "ktmsc-assessment", "version": 1, "answers": {"g_stra', "not valid JSON"),
    ("array", b"[1, 2, 3]", "not an assessment"),
    ("foreign", b'{"type": "FeatureCollection", "features": []}', "not a KTMSC assessment"),
    (
        "wrong_version",
        b'{"format": "ktmsc-assessment", "version": 3, "domains": ["mobilitaet"], "answers": {}}',
        "version 3",
    ),
    ("no_domains", b'{"format": "ktmsc-assessment", "version": 1, "domains": [], "answers": {}}', "no domain"),
    (
        "unknown_domain",
        b'{"format": "ktmsc-assessment", "version": 1, "domains": ["mobility"], "answers": {}}',
        "mobility",
    ),
    (
        "unknown_items",
        b'{"format": "ktmsc-assessment", "version": 1, "domains": ["mobilitaet"], "answers": {"q_999": "yes"}}',
        "q_999",
    ),
    (
        "unknown_option",
        b'{"format": "ktmsc-assessment", "version": 1, "domains": ["mobilitaet"], "answers": {"g_strategy": "maybe"}}',
        "g_strategy",
    ),
    (
        "wrong_type",
        b'{"format": "ktmsc-assessment", "version": 1, "domains": ["mobilitaet"], "answers": {"g_strategy": {"a": 1}}}',
        "answers",
    ),
    ("binary", bytes(range(256)) * 4, "not text"),
    ("latin1", '{"format": "ktmsc-assessment", "profile": {"name": "Köln"}}'.encode("latin-1"), "not text"),
    ("deeply_nested", b"[" * 100_000 + b"]" * 100_000, "too"),
]


BAD_FILES += [(name, content, words) for name, (content, words) in HOSTILE_FILES.items()]


@pytest.mark.parametrize(("name", "content", "words"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_score__bad_file__one_clear_line_and_exit_2(capsys, tmp_path, name, content, words):
    path = tmp_path / f"{name}.json"
    path.write_bytes(content)
    code, out, err = run(capsys, "score", str(path))
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error: {path}: ")
    assert words in lines[0], lines[0]
    assert "Traceback" not in err


def test_score__10_mb_file(capsys, tmp_path, valid):
    valid["profile"]["name"] = "x" * 10_000_000
    code, _, err = run(capsys, "score", str(assessment_file(tmp_path, valid)))
    assert code == 2
    assert "limit is 1000 KB" in err
    size_kb = int(re.search(r"the file is (\d+) KB", err).group(1))
    assert size_kb >= 10_000


def test_score__missing_file(capsys, tmp_path):
    code, _, err = run(capsys, "score", str(tmp_path / "nope.json"))
    assert code == 2 and "no such file" in err


def test_module_entry_point__runs(tmp_path, valid):
    path = assessment_file(tmp_path, valid)
    done = subprocess.run(
        [sys.executable, "-m", "ktmsc", "score", str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["mobilitaet"]["type"] == "aktivistin"
    bad = subprocess.run(
        [sys.executable, "-m", "ktmsc", "score", str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_report__writes_a_pdf(capsys, tmp_path, valid):
    from pypdf import PdfReader

    out = tmp_path / "bericht.pdf"
    code, stdout, err = run(capsys, "report", str(assessment_file(tmp_path, valid)), "--out", str(out), "--lang", "en")
    assert code == 0, err
    assert "wrote" in stdout
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Musterstadt" in text and "Mobility" in text


def test_report__bad_file(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    code, _, err = run(capsys, "report", str(bad), "--out", str(tmp_path / "x.pdf"))
    assert code == 2 and err.startswith("error:") and not (tmp_path / "x.pdf").exists()


def test_questionnaire_pdf__needs_out_and_writes(capsys, tmp_path):
    code, _, err = run(capsys, "questionnaire", "--format", "pdf")
    assert code == 2 and "--out" in err
    out = tmp_path / "fragebogen.pdf"
    code, _, _ = run(capsys, "questionnaire", "--format", "pdf", "--domains", "mobilitaet", "--out", str(out))
    assert code == 0 and out.read_bytes().startswith(b"%PDF")


# --- purge: the retention period, on the database the app uses ---------------------------------


def aged_database(tmp_path, monkeypatch):
    """A database with one old and one new assessment and an old closed workshop with two participants."""
    from datetime import UTC, datetime, timedelta

    import sqlalchemy as sa

    from ktmsc.model.assessment import Assessment, AssessmentProfile
    from ktmsc.storage import Store, tables

    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    monkeypatch.setenv("KTMSC_DATABASE_URL", url)
    old = datetime.now(UTC) - timedelta(days=400)
    with Store(url) as store:
        assessment = Assessment(profile=AssessmentProfile(name="Alt"), domains=["mobilitaet"])
        stale, fresh = store.create_assessment(assessment), store.create_assessment(assessment)
        workshop = store.create_workshop(
            title="Klausur", profile=AssessmentProfile(), domains=["mobilitaet"], perspective="verwaltung"
        ).workshop
        for _ in range(2):
            store.create_assessment(assessment, kind="participant", workshop_id=workshop.id)
        store.set_workshop_closed(workshop.id, True)
        with store.engine.begin() as conn:
            for table, row_id in ((tables.assessments, stale.id), (tables.workshops, workshop.id)):
                conn.execute(sa.update(table).where(table.c.id == row_id).values(updated_at=old))
    return url, stale.id, fresh.id


def stored_ids(url):
    from ktmsc.storage import Store

    with Store(url) as store, store.engine.connect() as conn:
        return {row[0] for row in conn.exec_driver_sql("SELECT id FROM assessments")}


def test_purge__dry_run_counts_and_deletes_nothing(capsys, tmp_path, monkeypatch):
    url, _stale, _fresh = aged_database(tmp_path, monkeypatch)
    code, out, err = run(capsys, "purge", "--months", "12", "--dry-run")
    assert (code, err) == (0, "")
    assert out.strip() == (
        "would delete 1 closed workshop(s) with 2 participant(s) and 1 assessment(s) "
        "unchanged for more than 12 month(s)"
    )
    assert len(stored_ids(url)) == 4


def test_purge__deletes_and_prints_the_counts(capsys, tmp_path, monkeypatch):
    url, _stale, fresh = aged_database(tmp_path, monkeypatch)
    code, out, _ = run(capsys, "purge", "--months", "12")
    assert code == 0
    assert out.startswith("deleted 1 closed workshop(s) with 2 participant(s) and 1 assessment(s)")
    assert stored_ids(url) == {fresh}
    code, out, _ = run(capsys, "purge", "--months", "12")
    assert code == 0 and out.startswith("deleted 0 closed workshop(s) with 0 participant(s) and 0 assessment(s)")


def test_purge__a_longer_period_keeps_everything(capsys, tmp_path, monkeypatch):
    url, _stale, _fresh = aged_database(tmp_path, monkeypatch)
    code, out, _ = run(capsys, "purge", "--months", "24")
    assert code == 0 and "deleted 0 closed workshop(s)" in out
    assert len(stored_ids(url)) == 4


@pytest.mark.parametrize("months", ["0", "-1", "5000"])
def test_purge__bad_months__one_clear_line_and_exit_2(capsys, tmp_path, monkeypatch, months):
    monkeypatch.setenv("KTMSC_DATABASE_URL", f"sqlite:///{tmp_path / 'untouched.sqlite3'}")
    code, out, err = run(capsys, "purge", "--months", months)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: --months:")
    assert not (tmp_path / "untouched.sqlite3").exists()


def test_purge__unreachable_database__one_line_without_the_password_and_exit_3(capsys, monkeypatch):
    monkeypatch.setenv("KTMSC_DATABASE_URL", "not a url :: secret-password")
    code, out, err = run(capsys, "purge", "--months", "6")
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: the database could not be purged")
    assert "secret-password" not in err
