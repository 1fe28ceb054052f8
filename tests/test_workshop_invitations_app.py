"""Personal invitations on the facilitator's page: the links are made and shown once, an invited
person's link opens their own questions with what the facilitator sees of them, and the
facilitator follows who has started."""

from __future__ import annotations

import re

import test_workshop_app as workshop_app

import app_driver as drive
from ktmsc.texts import t


def test_invitations_from_the_workshop_page_to_a_started_participant(app_store, questionnaire):
    facilitator, _, _ = workshop_app.create_workshop("Über mehrere Tage")
    facilitator.text_area(key="invitations.lines").input("Frau Weber; Fachbereich\nHerr Kaya; IT").run()
    facilitator = drive.click(facilitator, t("invitations.create", "de"))
    drive.assert_ok(facilitator)
    links = [c.value for c in facilitator.code if "Frau Weber" in c.value]
    assert links, drive.texts(facilitator)
    tokens = dict(re.findall(r"^(Frau Weber|Herr Kaya) \([^)]*\): \S*[?&]a=([\w-]+)", links[0], re.M))
    assert set(tokens) == {"Frau Weber", "Herr Kaya"}, links[0]

    # Frau Weber opens her link: her own questions, and she is told she is not anonymous here.
    weber = drive.open_app("de", page="questions", a=tokens["Frau Weber"])
    drive.assert_ok(weber)
    assert "Frau Weber" in drive.texts(weber)
    strategy = questionnaire.items["g_strategy"]
    drive.answer(weber, "de", strategy, "none")
    weber.run()
    stored = app_store.open_for_edit(tokens["Frau Weber"])
    assert stored.assessment.answers["g_strategy"] == "none"
    assert stored.participant_role == "Fachbereich" and stored.participant_name is None

    facilitator = drive.click(facilitator, t("invitations.dismiss", "de"))  # links saved: hide them
    page = drive.texts(facilitator)
    assert "1 von 2 noch nicht begonnen, 1 unterwegs, 0 fertig" in page
    assert not [c for c in facilitator.code if tokens["Frau Weber"] in c.value]  # shown once only
