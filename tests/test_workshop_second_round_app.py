"""The second round as facilitator and participants go through it: reveal, open round 2 for
chosen questions, a participant keeps or changes an answer beside their first one and gives a
reason, nobody new joins, and the dashboard shows who moved and whether the group converged."""

from __future__ import annotations

import test_workshop_app as workshop_app

import app_driver as drive
from ktmsc.scoring import extreme_answers
from ktmsc.ui.safe import md
from ktmsc.ui.second_round_views import REASON_KEY


def joined_with(app_store, questionnaire, code: str, name: str, quadrant: dict[str, str]):
    """A participant who joined through the app; their answers are those of a municipality in
    ``quadrant`` (stored at once: answering 40 questions widget by widget shows nothing new here)."""
    at = workshop_app.join(code, name)
    stored = app_store.open_for_edit(workshop_app.edit_token_of(at))
    answers = extreme_answers(questionnaire, quadrant)
    app_store.replace_answers(stored.id, stored.assessment.model_copy(update={"answers": answers}))
    return at.run(), answers


def answer_again(app_store, questionnaire, cem, chosen: list[str], strong: dict, weak: dict) -> None:
    """Cem sees only the second round's questions, his first answer and the group's answers;
    he moves to the strong answer on the strategy and says why."""
    cem = cem.run()
    drive.assert_ok(cem)
    page = drive.texts(cem)
    assert "Zweite Runde" in page
    assert {item.id for item in drive.visible_items(cem, "de")} == set(chosen)
    assert page.count("Ihre Antwort in Runde 1:") == 2
    assert page.count("Die Gruppe in Runde 1:") == 2  # three answered: enough to show it
    strategy = questionnaire.items["g_strategy"]
    drive.answer(cem, "de", strategy, strong["g_strategy"])
    cem.run()
    cem.text_input(key=f"{REASON_KEY}.g_strategy").input("Nach der Diskussion überzeugt").run()
    drive.assert_ok(cem)
    stored = app_store.open_for_edit(workshop_app.edit_token_of(cem))
    assert stored.assessment.answers["g_strategy"] == strong["g_strategy"]
    assert "g_strategy" in app_store.first_round_answers(stored.workshop_id)[stored.id]
    assert app_store.first_round_answers(stored.workshop_id)[stored.id]["g_strategy"] == weak["g_strategy"]


def test_a_second_round_shows_the_first_answer_and_the_dashboard_who_moved(app_store, questionnaire):
    x, y = questionnaire.dimension_ids
    facilitator, _, code = workshop_app.create_workshop("Zweite Runde")
    anna, strong = joined_with(app_store, questionnaire, code, "Anna", {x: "high", y: "high"})
    joined_with(app_store, questionnaire, code, "Ben", {x: "high", y: "high"})
    cem, weak = joined_with(app_store, questionnaire, code, "Cem", {x: "low", y: "low"})

    # Hidden until revealed: no offer of a second round before.
    dashboard = facilitator.run()
    assert not [e for e in dashboard.expander if e.label == "Zweite Runde"]
    dashboard = workshop_app.reveal(dashboard)
    preselected = dashboard.multiselect[0].value
    assert 1 <= len(preselected) <= 8, preselected  # the agenda's questions, most disputed first
    chosen = ["g_strategy", *[i for i in preselected if i != "g_strategy"][:1]]
    assert strong["g_strategy"] != weak["g_strategy"]
    dashboard.multiselect[0].set_value(chosen).run()
    dashboard = drive.click(dashboard, "Zweite Runde öffnen")
    drive.assert_ok(dashboard)
    page = drive.texts(dashboard)
    assert "Zweite Runde seit" in page and "mit 2 Fragen" in page
    assert "Hat sich die Gruppe angenähert?" in page
    assert "0 von 3 Teilnehmenden haben mindestens eine Antwort geändert." in page

    answer_again(app_store, questionnaire, cem, chosen, strong, weak)

    # Anna still sees her results' way; nobody new joins.
    assert "Zu meinen Ergebnissen" in [b.label for b in anna.run().button]
    late = drive.open_app("de", page="join")
    late.text_input(key="join.code").input(code).run()
    late = drive.click(late, "Workshop suchen")
    assert "Neu beitreten ist nicht mehr möglich" in drive.texts(late)
    assert not [b for b in late.button if b.label == "Teilnehmen"]

    dashboard = dashboard.run()
    drive.assert_ok(dashboard)
    page = drive.texts(dashboard)
    assert "1 von 3 Teilnehmenden haben mindestens eine Antwort geändert." in page
    assert md("Uneinigkeit 94 → 0 · 1 von 3 hat die Antwort geändert (1 stärker, 0 schwächer)") in page
    assert md("Uneinigkeit 94 → 94 · 0 von 3 haben ihre Antwort geändert") in page  # the other question
    assert "Nach der Diskussion überzeugt" in page
    assert len(dashboard.get("vega_lite_chart")) == 2  # the domain's group and its arrow

    # The group result from round 1, named so.
    dashboard.radio(key="workshop.second_round.result_round").set_value(1).run()
    result = drive.click(dashboard, "Gruppenergebnis als Bewertung öffnen")
    drive.assert_ok(result)
    assert result.title[0].value == "Ergebnis"
    assert "Zweite Runde – Runde 1" in drive.texts(result)
