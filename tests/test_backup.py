"""Backups of the SQLite database: taken while people answer, restored with every committed answer."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from ktmsc.cli import main
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.storage import Store
from ktmsc.storage.backup import BackupError, backup, inspect, restore


def url(path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def live(tmp_path, questionnaire):
    store = Store(url(tmp_path / "live.sqlite3"), questionnaire=questionnaire)
    yield store
    store.close()


def new_assessment(store, questionnaire, name):
    return store.create_assessment(
        Assessment(
            questionnaire_version=questionnaire.version, profile=AssessmentProfile(name=name), domains=["mobilitaet"]
        )
    ).id


def test_a_backup_taken_while_people_write_holds_every_answer_committed_before_it(live, questionnaire, tmp_path):
    ids = [new_assessment(live, questionnaire, f"Stadt {n}") for n in range(12)]
    items = [i.id for i in questionnaire.sections[0].items]
    slots = [(a, i) for i in items for a in ids]  # every write goes to a slot of its own
    committed: list[tuple[str, str]] = []
    stop = threading.Event()

    def write() -> None:
        for assessment_id, item_id in slots:
            if stop.is_set():
                return
            live.save_note(assessment_id, item_id, f"Notiz {assessment_id[:6]} {item_id}")
            committed.append((assessment_id, item_id))  # acknowledged: committed

    writer = threading.Thread(target=write)
    writer.start()
    while len(committed) < 40:
        threading.Event().wait(0.01)
    before = list(committed)
    snapshot = backup(live.url, tmp_path / "backup.sqlite3")
    stop.set()
    writer.join()
    assert len(committed) > len(before), "the writer went on during the backup"

    restored_url = url(tmp_path / "restored.sqlite3")
    restore(snapshot.path, restored_url)
    with Store(restored_url, questionnaire=questionnaire) as restored:
        for assessment_id, item_id in before:
            notes = restored.load(assessment_id).assessment.notes
            assert notes.get(item_id) == f"Notiz {assessment_id[:6]} {item_id}"
    assert snapshot.assessments == len(ids) and snapshot.answers >= len(before)


def test_restore_keeps_the_current_database_and_replaces_it(live, questionnaire, tmp_path):
    kept_id = new_assessment(live, questionnaire, "Vorher")
    snapshot = backup(live.url, tmp_path / "b.sqlite3")
    later_id = new_assessment(live, questionnaire, "Nach der Sicherung")
    live.close()
    restored, kept = restore(snapshot.path, live.url)
    assert restored.assessments == 1 and kept is not None and kept.is_file()
    with Store(live.url, questionnaire=questionnaire) as store:
        assert store.load(kept_id) is not None and store.load(later_id) is None
    with Store(url(kept), questionnaire=questionnaire) as previous:
        assert previous.load(later_id).assessment.profile.name == "Nach der Sicherung"


def test_restore_refuses_what_is_not_an_intact_ktmsc_database(live, tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("kein SQLite")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    newer = backup(live.url, tmp_path / "newer.sqlite3").path
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffffffff'")
    target = tmp_path / "target.sqlite3"
    for bad, words in ((junk, "not an SQLite database"), (other, "not a KTMSC"), (newer, "does not know")):
        with pytest.raises(BackupError, match=words):
            restore(bad, url(target))
    assert not target.exists(), "nothing was changed"
    with pytest.raises(BackupError, match="exists already"):
        backup(live.url, newer)


def test_backup_and_restore_from_the_command_line(live, questionnaire, tmp_path, monkeypatch, capsys):
    new_assessment(live, questionnaire, "Kommandozeile")
    monkeypatch.setenv("KTMSC_DATABASE_URL", live.url)
    out = tmp_path / "cli.sqlite3"
    assert main(["backup", str(out)]) == 0
    assert "1 assessment(s)" in capsys.readouterr().out and inspect(out).assessments == 1
    assert main(["backup", str(out)]) == 2
    assert "exists already" in capsys.readouterr().err
    live.close()
    assert main(["restore", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "kept the previous database as" in printed and "restored 1 assessment(s)" in printed

    monkeypatch.setenv("KTMSC_DATABASE_URL", "postgresql://user:secret@db/ktmsc")
    assert main(["backup", str(tmp_path / "pg.dump")]) == 2
    err = capsys.readouterr().err
    assert "pg_dump -Fc" in err and "secret" not in err
