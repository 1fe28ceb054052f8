"""A workshop's group result says what it is: the median of N participants, with the group's
middle half and agreement per domain – on the results, in the PDF, in its JSON file and in
the storage (SQLite and PostgreSQL)."""

from __future__ import annotations

import io

import storage_fixtures
from pypdf import PdfReader

from ktmsc.instrument import get_questionnaire
from ktmsc.labels import group_line, group_origin_line, status_label
from ktmsc.model.assessment import parse_assessment
from ktmsc.model.schema import GENERAL
from ktmsc.report import build_report
from ktmsc.scoring import extreme_answers, score_assessment
from ktmsc.workshop import Participant, aggregate, group_assessment

backend = storage_fixtures.backend
pg_server = storage_fixtures.pg_server
pg_shared = storage_fixtures.pg_shared
db_url = storage_fixtures.db_url
store = storage_fixtures.store

Q = get_questionnaire()
MOB = "mobilitaet"
LF, VB = Q.dimension_ids


def pattern(type_id: str) -> dict:
    """Answers of the general section and Mobilität that put a participant in ``type_id``."""
    answers = extreme_answers(Q, Q.types[type_id].quadrant)
    mine = {i.id for i in (*Q.items_for(GENERAL), *Q.items_for(MOB))}
    return {k: v for k, v in answers.items() if k in mine}


def crowd(*type_ids: str) -> list[Participant]:
    return [Participant(f"p{n}", None, None, pattern(type_id)) for n, type_id in enumerate(type_ids, 1)]


def test_two_of_three_in_the_group_quadrant_is_no_agreement_and_the_result_says_so():
    people = crowd("leuchtturm", "leuchtturm", "bewahrerin")
    group = aggregate(Q, people, [MOB]).by_domain[MOB]
    ga = group_assessment(Q, people, [MOB], title="Klausur März")
    assert ga.group is not None and ga.group.participants == 3 and ga.group.title == "Klausur März"
    spread = ga.group.domains[MOB]
    assert (spread.placed, spread.in_group_type, spread.agrees) == (3, 2, False)
    assert spread.middle_half == {d: (group.spread[d].q1, group.spread[d].q3) for d in (LF, VB)}

    domain = score_assessment(Q, ga).domains[MOB]
    # The median answers leave nothing open: alone they would read "stable".
    assert domain.stable and domain.type_id == "leuchtturm"
    assert status_label(domain, "de") == "Gruppe nicht einig"
    assert status_label(domain, "en") == "group does not agree"
    line = group_line(Q, domain, "de")
    assert "3 Teilnehmende eingeordnet" in line and "nur 2 von 3" in line and "nicht einig" in line
    assert "Median von 3 Teilnehmenden" in group_origin_line(ga.group, "de")
    assert "„Klausur März“" in group_origin_line(ga.group, "de")


def test_a_group_that_agrees_keeps_its_status_and_names_its_spread():
    ga = group_assessment(Q, crowd("aktivistin", "aktivistin", "aktivistin"), [MOB])
    domain = score_assessment(Q, ga).domains[MOB]
    assert domain.group.agrees and status_label(domain, "de") in {"stabil", "Grenzfall"}
    assert "3 von 3 liegen im Quadranten der Gruppe – die Gruppe ist sich einig" in group_line(Q, domain, "de")
    assert group_origin_line(ga.group, "en").startswith("Group result: per question the answer at the median of 3")


def test_a_single_assessment_has_no_group_line():
    ga = group_assessment(Q, crowd("aktivistin"), [MOB])
    single = ga.model_copy(update={"group": None})
    assert group_line(Q, score_assessment(Q, single).domains[MOB], "de") is None


def test_the_group_origin_survives_the_json_file():
    ga = group_assessment(Q, crowd("leuchtturm", "leuchtturm", "bewahrerin"), [MOB], title="Klausur")
    again = parse_assessment(ga.to_json(), Q)
    assert again.group == ga.group


def test_the_group_origin_is_stored_and_read_back_and_an_import_replaces_it(store):
    ga = group_assessment(Q, crowd("leuchtturm", "leuchtturm", "bewahrerin"), [MOB], title="Klausur")
    created = store.create_assessment(ga)
    assert store.open_for_edit(created.edit_token).assessment.group == ga.group
    assert store.open_shared(created.share_token).assessment.group == ga.group
    store.replace_answers(created.id, ga.model_copy(update={"group": None}))
    assert store.load(created.id).assessment.group is None


def test_the_report_of_a_group_result_says_it_is_a_median_and_that_the_group_disagrees():
    ga = group_assessment(Q, crowd("leuchtturm", "leuchtturm", "bewahrerin"), [MOB], title="Klausur")
    pdf = build_report(Q, ga, "de")
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Median von 3 Teilnehmenden" in text
    assert "Gruppe nicht einig" in text
    assert "nur 2 von 3" in text
