"""In a real browser: the answers CSV downloaded in German mode is a file German Excel opens,
and the numbers on the page are German.

Fixtures come from ``browser_plugin`` (server, Chromium in a German locale).
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

import browser
from ktmsc.export import ANSWER_CSV_COLUMNS, csv_header
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.texts import t


def test_the_answers_csv_downloads_as_a_german_excel_file(page, app_server, server_store, questionnaire):
    assessment = Assessment(
        questionnaire_version=questionnaire.version,
        profile=AssessmentProfile(name="Groß-Umstadt", population=21_000),
        domains=["mobilitaet"],
        answers={"g_strategy": "adopted", "g_staff_fte": 2.5},
        notes={"g_strategy": "Beschluss für Müller; Anlage, Seite 3"},
    )
    token = server_store.create_assessment(assessment).edit_token
    page.goto(f"{app_server.url}/data?{urlencode({'lang': 'de', 'a': token})}")
    browser.wait_for_run(page)
    with page.expect_download() as download:
        page.get_by_role("button", name=t("ui.data.download_csv", "de")).click()
    assert download.value.suggested_filename == "ktmsc-gross-umstadt-antworten.csv"
    data = download.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 for Excel
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == csv_header(ANSWER_CSV_COLUMNS, "de")
    by_id = {record["Frage-ID"]: record for record in (dict(zip(rows[0], row, strict=True)) for row in rows[1:])}
    assert by_id["g_staff_fte"]["Antwort"] == "2,5 Vollzeitstellen"
    assert by_id["g_strategy"]["Notiz"] == "Beschluss für Müller; Anlage, Seite 3"
