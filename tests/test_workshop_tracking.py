"""Personal invitations in the core: the facilitator's lines, the links' CSV file, and who has
not started, who is under way and who is finished (ktmsc.workshop.tracking)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pytest

from ktmsc.model.limits import MAX_INVITATION_LABEL, MAX_INVITATIONS, MAX_ROLE
from ktmsc.workshop import Participant, Progress, aggregate
from ktmsc.workshop import tracking as tr


@dataclass(frozen=True)
class Person:
    id: str
    invited_as: str | None
    participant_role: str | None = None


# --- the lines ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        ("Frau Weber, Bauamt; Fachbereich", [("Frau Weber, Bauamt", "Fachbereich")]),
        ("Herr Yılmaz", [("Herr Yılmaz", None)]),
        ("Herr Yılmaz;", [("Herr Yılmaz", None)]),
        ("  Bürgermeisterin  ;  Verwaltungsspitze ", [("Bürgermeisterin", "Verwaltungsspitze")]),
        ("Weber\tIT", [("Weber", "IT")]),  # two columns pasted from a spreadsheet
        ("Weber; Bauamt; IT", [("Weber", "Bauamt; IT")]),  # only the first separator splits
        ("A; IT\n\n   \nB; Politik\n", [("A", "IT"), ("B", "Politik")]),  # blank lines skipped
        ("Frau   Weber\x00; IT", [("Frau Weber", "IT")]),  # whitespace collapsed, control characters gone
    ],
)
def test_lines__ok(text, entries):
    assert tr.parse_lines(text) == (entries, [])


@pytest.mark.parametrize(
    ("text", "taken", "problems"),
    [
        ("", (), [tr.Problem("empty")]),
        ("  \n ", (), [tr.Problem("empty")]),
        ("A\n; IT", (), [tr.Problem("label_missing", 2)]),
        ("A\nB\na ", (), [tr.Problem("twice", 3, "a")]),
        ("Frau  Weber; IT", ["frau weber"], [tr.Problem("taken", 1, "Frau Weber")]),
        ("x" * (MAX_INVITATION_LABEL + 1), (), [tr.Problem("label_too_long", 1, "x" * 40)]),
        ("A; " + "r" * (MAX_ROLE + 1), (), [tr.Problem("role_too_long", 1, "A")]),
        ("\n".join(f"P{n}" for n in range(MAX_INVITATIONS + 1)), (), [tr.Problem("too_many")]),
    ],
)
def test_lines__error(text, taken, problems):
    _, found = tr.parse_lines(text, taken)
    assert found == problems
    assert all(tr.problem_text(p, "de") and not tr.problem_text(p, "de").startswith("invitations.") for p in found)


def test_lines__at_the_limits_are_accepted():
    text = "\n".join(
        f"{n:03d}" + "x" * (MAX_INVITATION_LABEL - 3) + "; " + "r" * MAX_ROLE for n in range(MAX_INVITATIONS)
    )
    entries, problems = tr.parse_lines(text)
    assert problems == [] and len(entries) == MAX_INVITATIONS


def test_lines__problems_say_the_line_in_both_languages():
    _, problems = tr.parse_lines("A\n;IT\nA")
    assert [tr.problem_text(p, "de") for p in problems] == [
        "Zeile 2: Vor dem Semikolon fehlt, für wen die Einladung ist.",
        "Zeile 3: „A“ steht zweimal in der Liste.",
    ]
    assert tr.problem_text(problems[1], "en") == "Line 3: “A” is in the list twice."


def test_suggested_roles():
    assert tr.role_names("de") == ["Verwaltungsspitze", "Fachbereich", "IT", "Politik", "Zivilgesellschaft"]
    assert tr.role_names("en") == ["Administration leadership", "Department", "IT", "Politics", "Civil society"]


def test_links_csv__one_row_per_invitation_and_no_formulas():
    text = tr.links_csv([("=HYPERLINK(1)", None, "http://x/questions?a=t"), ("Weber", "IT", "http://y")], "de")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows == [
        ["Für wen", "Rolle", "Persönlicher Link"],
        ["'=HYPERLINK(1)", "", "http://x/questions?a=t"],
        ["Weber", "IT", "http://y"],
    ]


# --- the states -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answered", "asked", "state"),
    [
        (0, 0, tr.NOT_STARTED),
        (0, 40, tr.NOT_STARTED),
        (1, 40, tr.UNDER_WAY),
        (39, 40, tr.UNDER_WAY),
        (40, 40, tr.FINISHED),
        (41, 40, tr.FINISHED),  # a hidden follow-up answered before its condition changed
    ],
)
def test_state_of(answered, asked, state):
    assert tr.state_of(Progress(answered=answered, dont_know=0, asked=asked)) == state


def test_track__only_invitations_in_their_order_with_counts_and_texts():
    people = [
        Person("a", "Frau Weber, Bauamt", "Fachbereich"),
        Person("b", None, "IT"),  # joined by code: not an invitation
        Person("c", "Herr Yılmaz", "IT"),
        Person("d", "Bürgermeisterin"),
        Person("e", "Ratsfrau Kaya", "Politik"),  # not read yet: not started
    ]
    progress = {
        "a": Progress(0, 0, 40),
        "b": Progress(40, 0, 40),
        "c": Progress(199, 3, 200),
        "d": Progress(40, 5, 40),
    }
    tracking = tr.track(people, progress)
    assert [(s.id, s.label, s.role, s.state) for s in tracking.invitations] == [
        ("a", "Frau Weber, Bauamt", "Fachbereich", tr.NOT_STARTED),
        ("c", "Herr Yılmaz", "IT", tr.UNDER_WAY),
        ("d", "Bürgermeisterin", None, tr.FINISHED),
        ("e", "Ratsfrau Kaya", "Politik", tr.NOT_STARTED),
    ]
    assert (tracking.total, tracking.count(tr.NOT_STARTED), tracking.count(tr.FINISHED)) == (4, 2, 1)
    assert tr.summary_text(tracking, "de") == "2 von 4 noch nicht begonnen, 1 unterwegs, 1 fertig"
    assert tr.summary_text(tracking, "en") == "2 of 4 not started yet, 1 under way, 1 finished"
    texts = [tr.state_text(s, "de") for s in tracking.invitations]
    assert texts == ["noch nicht begonnen", "unterwegs (99\u00a0%)", "fertig", "noch nicht begonnen"]  # never "100 %"
    assert tr.state_text(tracking.invitations[1], "en") == "under way (99%)"


def test_track__from_the_group_result(questionnaire):
    item = next(iter(questionnaire.items_for("general", "verwaltung")))
    option = item.options[0].id if item.options else 0
    group = aggregate(
        questionnaire,
        [Participant("a"), Participant("b", answers={item.id: option})],
        ["mobilitaet"],
    )
    tracking = tr.track([Person("a", "A"), Person("b", "B")], tr.progress_by_id(group))
    assert [s.state for s in tracking.invitations] == [tr.NOT_STARTED, tr.UNDER_WAY]
    assert tracking.invitations[1].progress.answered == 1 and tracking.invitations[1].progress.asked > 1
