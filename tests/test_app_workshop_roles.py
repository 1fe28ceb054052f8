"""The facilitator's result by role in AppTest: a stored workshop, hand-made participants and
the section as the dashboard draws it (:func:`ktmsc.ui.role_views.by_role`)."""

from __future__ import annotations

import re

import pytest

import app_driver as drive
from ktmsc.model.assessment import AssessmentProfile
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN
from ktmsc.scoring import extreme_answers
from ktmsc.texts import t
from ktmsc.ui.safe import md
from ktmsc.workshop import Participant

LF, VB = "leistungsfaehigkeit", "veraenderungsbereitschaft"
SPITZE, FACH = "Verwaltungsspitze", "Fachbereich"


def _section(workshop, people, lang) -> None:
    """The page: the result by role of ``people`` in ``workshop``, nothing else."""
    from ktmsc.instrument import get_questionnaire
    from ktmsc.ui import role_views

    role_views.by_role(get_questionnaire(), workshop, people, lang)


@pytest.fixture(scope="module")
def workshop(app_store):
    """A workshop as the facilitator creates it: Mobilität, a Mittelstadt, the administration's view."""
    profile = AssessmentProfile(name="Musterstadt", population=20_000)
    created = app_store.create_workshop(
        title="Rollen im Blick", profile=profile, domains=["mobilitaet"], perspective=PERSPECTIVE_ADMIN
    )
    return created.workshop


@pytest.fixture(scope="module")
def corners(questionnaire):
    high = extreme_answers(questionnaire, {LF: "high", VB: "high"})
    low = extreme_answers(questionnaire, {LF: "low", VB: "low"})
    return high, low


def people(*groups) -> list[Participant]:
    """Participants from (role, answers, how many), numbered in the order given."""
    made: list[Participant] = []
    for role, answers, count in groups:
        made += [Participant(f"p{len(made) + n + 1}", None, role, answers) for n in range(count)]
    return made


def shown(workshop, participants, lang: str = "de") -> tuple[drive.AppTest, str]:
    at = drive.AppTest.from_function(_section, args=(workshop, participants, lang), default_timeout=drive.TIMEOUT)
    at.run()
    drive.assert_ok(at)
    return at, re.sub(r"\\(.)", r"\1", drive.texts(at))  # as the user reads it, without the Markdown escapes


def test_two_roles_that_see_the_municipality_apart(workshop, corners):
    high, low = corners
    at, text = shown(workshop, people((SPITZE, high, 3), (FACH, low, 3)))
    assert [e.label for e in at.expander] == ["Nach Rolle"]
    assert (
        "Mobilität: Verwaltungsspitze sieht die Kommune als „Der Leuchtturm“, Fachbereich als „Die Bewahrerin“." in text
    )
    assert "Verwaltungsspitze: Der Leuchtturm (LF 100 · VB 100, 3 Personen)" in text
    assert "Fachbereich: Die Bewahrerin (LF 0 · VB 0, 3 Personen)" in text
    assert "Fragen, bei denen die Rollen am weitesten auseinanderliegen" in text
    lines = re.findall(r"Abstand \d+ Punkte – .*", text)
    assert 1 <= len(lines) <= 5
    assert lines[0] == "Abstand 100 Punkte – Verwaltungsspitze 100 (3 Antworten) · Fachbereich 0 (3 Antworten)"


def test_in_english(workshop, corners):
    high, low = corners
    at, text = shown(workshop, people((SPITZE, high, 3), (FACH, low, 3)), "en")
    assert [e.label for e in at.expander] == ["By role"]
    assert (
        "Mobility: Verwaltungsspitze sees the municipality as “The Lighthouse”, Fachbereich as “The Preserver”." in text
    )
    assert "Fachbereich: The Preserver (CAP 0 · WTC 0, 3 participants)" in text


def test_a_role_of_two_is_said_as_fewer_than_three_never_its_count(workshop, corners):
    high, low = corners
    _, text = shown(workshop, people((SPITZE, high, 3), (FACH, low, 3), ("IT", high, 2)))
    assert "IT: weniger als 3 Personen mit Position" in text
    assert not [line for line in text.splitlines() if "IT" in line and "2" in line]
    assert not re.search(r"(^|· )IT \d", text)  # no middle answer of IT to any question either
    # The two would follow from the group's count minus 3 + 3: the roles' counts are left out too.
    assert "Verwaltungsspitze: Der Leuchtturm (LF 100 · VB 100)" in text
    assert "Personen)" not in text and "Antworten)" not in text
    assert t("roles.view.withheld", "de") in text


def test_nobody_with_a_role_gets_one_line_that_says_why(workshop, corners):
    high, _ = corners
    at, text = shown(workshop, people((None, high, 4), ("  ", high, 1)))
    assert [i.value for i in at.info] == [
        "Noch hat keine Rolle mindestens 3 eingeordnete Teilnehmende. "
        "Rollen mit weniger als 3 Personen werden nicht einzeln gezeigt, um sie zu schützen."
    ]
    assert "Der Leuchtturm" not in text and "Abstand" not in text


def test_a_user_written_role_shows_as_written(workshop, corners):
    high, low = corners
    at, text = shown(workshop, people(("**Bau**amt <b>", high, 3), (FACH, low, 3)))
    line = "**Bau**amt <b>: Der Leuchtturm (LF 100 · VB 100, 3 Personen)"
    assert line in text
    assert md(line) in drive.texts(at)  # escaped: no bold, no HTML, the stars and brackets as typed
