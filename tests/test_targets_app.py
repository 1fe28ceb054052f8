"""The two-year target on the results page (AppTest): choose it, see the way there, come
back from the resume link and find it; "what if" moves the point and stores nothing."""

from __future__ import annotations

import pytest
from test_personas import assessment_of, personas

from app_driver import assert_ok, open_app, texts
from ktmsc.scoring import score_assessment
from ktmsc.targets import place_text, target_readout, what_if
from ktmsc.texts import t
from ktmsc.ui.target_views import target_key, what_if_key

DOMAIN = "wirtschaft"
PERSONA = "hochwaldhoehe"  # a Bewahrerin in Wirtschaft, one measure away from Mobilisiererin


def persona(questionnaire):
    found = next(p for p in personas() if p["id"] == PERSONA)
    return assessment_of(found, questionnaire)


def before_type(questionnaire, assessment) -> str:
    return score_assessment(questionnaire, assessment).domains[DOMAIN].type_id


def open_domain(app_store, questionnaire, lang="de"):
    stored = app_store.create_assessment(persona(questionnaire))
    at = open_app(lang, page="results", a=stored.edit_token)
    assert_ok(at)
    at.radio(key="results.domain").set_value(DOMAIN).run()
    assert_ok(at)
    return at, stored


@pytest.mark.parametrize("lang", ["de", "en"])
def test_target__chosen_saved_at_once_proposed_and_found_again_from_the_resume_link(app_store, questionnaire, lang):
    at, stored = open_domain(app_store, questionnaire, lang)
    assert t("plan.verdict.proposed", lang, target="x", count="1")[:10] not in texts(at)
    at.selectbox(key=target_key(lang, DOMAIN)).set_value("mobilisiererin").run()
    assert_ok(at)
    assert app_store.load(stored.id).assessment.targets == {DOMAIN: "mobilisiererin"}

    expected = target_readout(
        questionnaire, persona(questionnaire).model_copy(update={"targets": {DOMAIN: "mobilisiererin"}}), DOMAIN, lang
    )
    shown = texts(at).replace("\\", "")
    assert expected.verdict in shown
    assert expected.projected in shown and expected.today in shown
    table = at.table[-1].value
    assert [m.change for m in expected.measures] == [c.replace("\\", "") for c in table[t("plan.ui.change", lang)]]
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2  # the overview, and the domain's quadrant with the proposal's arrow
    assert [d.name for d in charts[1].proto.datasets] == ["domains", "proposal"]

    # Back from the resume link in a new session: the target and its proposal are there.
    again = open_app(lang, page="results", a=stored.edit_token)
    again.radio(key="results.domain").set_value(DOMAIN).run()
    assert_ok(again)
    assert again.selectbox(key=target_key(lang, DOMAIN)).value == "mobilisiererin"
    assert expected.verdict in texts(again).replace("\\", "")

    # Clearing the target clears it in the database.
    again.selectbox(key=target_key(lang, DOMAIN)).set_value("").run()
    assert app_store.load(stored.id).assessment.targets == {}


def test_target__a_shared_link_shows_it_without_a_choice(app_store, questionnaire):
    base = persona(questionnaire).model_copy(update={"targets": {DOMAIN: "mobilisiererin"}})
    stored = app_store.create_assessment(base)
    at = open_app("de", page="results", s=stored.share_token)
    at.radio(key="results.domain").set_value(DOMAIN).run()
    assert_ok(at)
    assert not [s for s in at.selectbox if s.key == target_key("de", DOMAIN)]
    assert t("plan.ui.read_only", "de", target=questionnaire.types["mobilisiererin"].name.get("de")) in texts(at)


def test_what_if__moves_the_point_at_once_and_leaves_the_stored_answers_alone(app_store, questionnaire):
    at, stored = open_domain(app_store, questionnaire)
    before = app_store.load(stored.id).assessment
    key = what_if_key("de", DOMAIN, "wi_joint_work")
    best = max(questionnaire.items["wi_joint_work"].options, key=lambda o: o.score).id
    at.selectbox(key=key).set_value(best).run()
    assert_ok(at)
    shown = texts(at).replace("\\", "")
    moved = what_if(questionnaire, before, DOMAIN, {"wi_joint_work": best})
    assert moved.type_id == "mobilisiererin" and before_type(questionnaire, before) == "bewahrerin"
    assert f"**Was wäre, wenn:** {place_text(questionnaire, moved, 'de')}" in shown
    assert len(at.get("vega_lite_chart")) == 2  # the overview, and the what-if arrow
    assert "1 Antwort probehalber geändert" in shown
    after = app_store.load(stored.id).assessment
    assert after.answers == before.answers and after.updated_at == before.updated_at
    # A full rerun keeps the hypothetical answer in its widget, still unsaved.
    at.run()
    assert at.selectbox(key=key).value == best
    assert app_store.load(stored.id).assessment.answers == before.answers
