"""The two-year target on the results page (AppTest): choose it, see the way there, come
back from the resume link and find it; "what if" moves the point and stores nothing."""

from __future__ import annotations

from datetime import date

import pytest
from test_faults import refusing_writes
from test_personas import assessment_of, personas

from app_driver import assert_ok, button, open_app, texts
from ktmsc.action_plan import entries_from
from ktmsc.scoring import score_assessment
from ktmsc.targets import place_text, proposal, target_readout, what_if
from ktmsc.texts import t
from ktmsc.ui.plan_views import field_key
from ktmsc.ui.safe import md
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
    assert not [s for s in at.selectbox if s.key == key]  # drawn only when asked for
    at.toggle(key=f"whatif.de.{DOMAIN}.open").set_value(True).run()
    multi = questionnaire.items["wi_business_open_data"]
    boxes = at.multiselect(key=what_if_key("de", DOMAIN, multi.id))
    assert boxes.options == [o.label.de for o in multi.options if not o.exclusive]  # labels, never ids
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

    # Taken into the plan, the hypothetical answer becomes an entry – and still no answer changes.
    button(at, t("plan.action.accept_what_if", "de")).click().run()
    assert_ok(at)
    after = app_store.load(stored.id).assessment
    assert [(e.item_id, e.to_value, e.status) for e in after.plan] == [("wi_joint_work", best, "planned")]
    assert after.answers == before.answers


def test_plan__accept_the_proposal_edit_an_entry_and_find_it_from_the_resume_link(app_store, questionnaire):
    at, stored = open_domain(app_store, questionnaire)
    at.selectbox(key=target_key("de", DOMAIN)).set_value("mobilisiererin").run()
    assert t("plan.action.empty", "de") in texts(at)
    button(at, t("plan.action.accept", "de")).click().run()
    assert_ok(at)
    plan = app_store.load(stored.id).assessment.plan
    found = proposal(questionnaire, app_store.load(stored.id).assessment, DOMAIN)
    assert [(e.domain, e.item_id, e.to_value) for e in plan] == [
        (DOMAIN, m.item_id, m.to_value) for m in found.measures
    ]
    button(at, t("plan.action.accept", "de")).click().run()  # again: nothing added twice
    assert len(app_store.load(stored.id).assessment.plan) == len(plan)

    entry = plan[0]
    at.text_input(key=field_key("de", entry.id, "who")).set_value("Wirtschaftsförderung <b>").run()
    at.date_input(key=field_key("de", entry.id, "due")).set_value(date(2027, 3, 31)).run()
    at.selectbox(key=field_key("de", entry.id, "status")).set_value("under_way").run()
    at.text_area(key=field_key("de", entry.id, "note")).set_value("*Absprache* mit | Kreis").run()
    assert_ok(at)
    saved = app_store.load(stored.id).assessment.plan[0]
    assert (saved.who, saved.due, saved.status, saved.note) == (
        "Wirtschaftsförderung <b>",
        date(2027, 3, 31),
        "under_way",
        "*Absprache* mit | Kreis",
    )

    again = open_app("de", page="results", a=stored.edit_token)
    again.radio(key="results.domain").set_value(DOMAIN).run()
    assert_ok(again)
    table = again.table[-1].value
    assert list(table[t("plan.action.who", "de")]) == [md("Wirtschaftsförderung <b>")]
    assert list(table[t("plan.action.status", "de")]) == [t("plan.status.under_way", "de")]
    assert list(table[t("plan.action.due", "de")]) == ["31.03.2027"]
    assert list(table[t("plan.action.note", "de")]) == [md("*Absprache* mit | Kreis")]
    assert again.selectbox(key=target_key("de", DOMAIN)).value == "mobilisiererin"


def test_plan__a_follow_up_shows_what_became_of_the_earlier_plan(app_store, questionnaire):
    base = persona(questionnaire)
    best = max(questionnaire.items["wi_joint_work"].options, key=lambda o: o.score).id
    earlier_plan = entries_from(DOMAIN, [("wi_joint_work", best), ("wi_drive", "steered")])
    earlier = app_store.create_assessment(
        base.model_copy(update={"targets": {DOMAIN: "mobilisiererin"}, "plan": earlier_plan})
    )
    now = base.model_copy(update={"answers": {**base.answers, "wi_joint_work": best}})
    follow = app_store.create_assessment(now, previous_id=earlier.id)
    at = open_app("de", page="results", a=follow.edit_token)
    assert_ok(at)
    assert t("plan.follow_up.title", "de") in texts(at)
    table = next(tb.value for tb in at.table if t("plan.follow_up.check", "de") in tb.value.columns)
    assert list(table[t("plan.follow_up.check", "de")]) == [
        t("plan.follow_up.happened", "de"),
        t("plan.follow_up.open", "de"),
    ]
    mobiliser = questionnaire.types["mobilisiererin"].name.get("de")
    assert f"Ziel „{mobiliser}“, heute „{mobiliser}“ – erreicht" in texts(at).replace("\\", "")


def test_target_and_plan_the_database_refuses_stay_pending_and_are_saved_once_it_is_back(app_store, questionnaire):
    at, stored = open_domain(app_store, questionnaire)
    at.selectbox(key=target_key("de", DOMAIN)).set_value("mobilisiererin").run()
    button(at, t("plan.action.accept", "de")).click().run()
    entry = app_store.load(stored.id).assessment.plan[0]
    with refusing_writes(app_store, stored.id):
        at.selectbox(key=target_key("de", DOMAIN)).set_value("leuchtturm").run()
        at.text_input(key=field_key("de", entry.id, "who")).set_value("Ordnungsamt").run()
        assert_ok(at)
        assert at.selectbox(key=target_key("de", DOMAIN)).value == "leuchtturm"  # on screen, not yet stored
        assert t("plan.action.not_saved", "de") in texts(at)
        saved = app_store.load(stored.id).assessment
        assert saved.targets == {DOMAIN: "mobilisiererin"} and saved.plan[0].who == ""
    at.run()  # the next run saves what is pending
    assert_ok(at)
    saved = app_store.load(stored.id).assessment
    assert saved.targets == {DOMAIN: "leuchtturm"} and saved.plan[0].who == "Ordnungsamt"
