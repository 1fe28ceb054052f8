"""Comparison rounds in AppTest: a host creates a round from a CSV list, an invited municipality
starts from its personal link, the host sees who started, and a municipality sees where it
stands among its peers – never a rank, never another municipality's name."""

from __future__ import annotations

import random
from dataclasses import replace

import app_driver as drive
from benchmarks.answers import random_answers
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.ui.safe import md

GOOD = (
    "AGS;Gemeinde;Art;Einwohner\n"
    + "".join(f"0811{n:04d};Kleinstadt {n};Gemeinde;{12_000 + n}\n" for n in range(6))
    + "08111000;Großstadt Eins;Kreisfreie Stadt;600.000\n"
)
BAD = GOOD + "8111000;Ohne Null;Gemeinde;4.000\n08110001;Doppelt;Gemeinde;5.000\n"
DOMAINS = ["wirtschaft", "mobilitaet"]  # the questionnaire's order


def create_round(csv_text: str) -> drive.AppTest:
    at = drive.open_app("de", page="round")
    drive.assert_ok(at)
    at.text_input(key="round.create.title").input("Smart-City-Check 2027")
    at.multiselect(key="round.create.domains").select("mobilitaet").select("wirtschaft")
    at.file_uploader(key="round.create.roster").set_value(("kommunen.csv", csv_text.encode("utf-8"), "text/csv"))
    at.run()
    return drive.click(at, "Runde anlegen")


def host_key(at: drive.AppTest) -> str:
    key = at.query_params["h"]
    return key[0] if isinstance(key, list) else key


def test_a_wrong_list_is_named_line_by_line_and_nothing_is_created(app_store):
    at = create_round(BAD)
    drive.assert_ok(at)
    shown = drive.texts(at)
    assert "nicht übernommen" in shown and "Zeile 9" in shown and "Zeile 10" in shown
    assert "steht schon in Zeile 3" in shown  # the duplicate names the line where the key was first
    assert "h" not in at.query_params
    with app_store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM rounds").scalar() == 0


def test_host_creates_a_round_and_a_municipality_starts_from_its_invitation(app_store):
    host = create_round(GOOD)
    drive.assert_ok(host)
    key = host_key(host)
    round_ = app_store.round_for_host(key)
    assert round_ is not None and round_.domains == DOMAINS
    round_id, invitations = host.session_state["round.invitations"]
    assert round_id == round_.id and len(invitations) == 7
    shown = drive.texts(host)
    assert "7 neue Einladungslinks" in shown
    assert [m.value for m in host.metric] == ["7", "0", "0"]  # invited, started, finished

    token = invitations["08110003"]
    guest = drive.open_app("de", page="round", r=token)
    drive.assert_ok(guest)
    assert md("Smart-City-Check 2027") in drive.texts(guest) and md("Kleinstadt 3") in drive.texts(guest)
    guest = drive.click(guest, "Bewertung beginnen")
    drive.assert_ok(guest)
    stored = app_store.open_for_edit(token)  # the invitation is the resume link
    assert stored is not None and stored.assessment.profile.name == "Kleinstadt 3"
    assert stored.assessment.profile.population == 12_003 and stored.assessment.domains == DOMAINS

    # The same link again continues the same assessment.
    again = drive.open_app("de", page="round", r=token)
    assert "Bewertung fortsetzen" in [b.label for b in again.button]
    drive.click(again, "Bewertung fortsetzen")
    assert app_store.round_assessments(round_.id)[3][1].id == stored.id

    reopened = drive.open_app("de", page="round", h=key)
    drive.assert_ok(reopened)
    assert [m.value for m in reopened.metric] == ["6", "1", "0"]
    assert "neue Einladungslinks" not in drive.texts(reopened)  # a new session: links are not shown again


def test_an_unknown_invitation_or_host_key_opens_nothing(app_store):
    at = drive.open_app("de", page="round", r="x" * 32)
    drive.assert_ok(at)
    assert "Diese Einladung gilt nicht" in drive.texts(at) and not at.button
    at = drive.open_app("de", page="round", h="y" * 32)
    assert "öffnet keine Vergleichsrunde" in drive.texts(at)


def test_a_municipality_sees_its_peers_without_names_and_the_host_no_small_group(app_store, questionnaire):
    from ktmsc.rounds.roster import read_roster

    members = read_roster(GOOD.encode(), questionnaire)
    created = app_store.create_round(title="Runde", domains=DOMAINS, perspective="verwaltung", members=members)
    rng = random.Random(4)
    for m in members:
        profile = AssessmentProfile(name=m.name, body_kind=m.body_kind, state=m.state, population=m.population)
        answers = random_answers(questionnaire, rng, dont_know=0.0, missing=0.0)
        assessment = Assessment(
            questionnaire_version=questionnaire.version, profile=profile, domains=DOMAINS, answers=answers
        )
        app_store.start_invitation(created.invitations[m.key], assessment)

    mine = drive.open_app("de", page="results", a=created.invitations["08110000"])
    drive.assert_ok(mine)
    shown = drive.texts(mine)
    assert "Im Vergleich: Runde" in shown
    assert md("5 Vergleichskommunen (Kleinstadt).") in shown  # its size type, without itself
    assert not any(md(other.name) in shown or other.name in shown for other in members if other.key != "08110000")

    big = drive.open_app("de", page="results", a=created.invitations["08111000"])
    # The Großstadt alone in its size type is compared with the whole round.
    assert md("6 Vergleichskommunen (alle Kommunen dieser Runde).") in drive.texts(big)

    board = drive.open_app("de", page="round", h=created.host_key)
    drive.assert_ok(board)
    assert [m.value for m in board.metric] == ["0", "0", "7"]
    tables = [df.value for df in board.dataframe]
    figures = [tab for tab in tables if "Gruppe" in tab.columns]
    assert figures
    for table in figures:
        rows = dict(zip(table["Gruppe"], table["Kommunen"], strict=True))
        assert rows["Alle Kommunen der Runde"] == "7"
        # One Großstadt is fewer than the minimum; and the Kleinstädte are hidden too, since
        # the round's total minus them would give the Großstadt away.
        assert rows.get("Großstadt", "zu wenige – nicht gezeigt") == "zu wenige – nicht gezeigt"
        assert rows.get("Kleinstadt") == "zu wenige – nicht gezeigt"


def test_a_study_invites_a_reproducible_stratified_sample(app_store):
    def draw():
        at = drive.open_app("de", page="round")
        at.text_input(key="round.create.title").input("Studie 2027")
        at.multiselect(key="round.create.domains").select("mobilitaet")
        at.radio(key="round.create.perspective").set_value("buergerin")
        at.file_uploader(key="round.create.roster").set_value(("kommunen.csv", GOOD.encode("utf-8"), "text/csv"))
        at.checkbox(key="round.create.sample").check().run()
        at.number_input(key="round.create.size").set_value(4)
        at.number_input(key="round.create.minimum").set_value(1)
        at.number_input(key="round.create.seed").set_value(42)
        at = drive.click(at, "Runde anlegen")
        drive.assert_ok(at)
        return at

    first, second = draw(), draw()
    keys = [sorted(at.session_state["round.invitations"][1]) for at in (first, second)]
    assert keys[0] == keys[1] and len(keys[0]) == 4  # the same seed, the same sample
    assert "08111000" in keys[0]  # the one Großstadt: the minimum per size type
    shown = drive.texts(first)
    assert "Gezogene Stichprobe je Größentyp" in shown and "1 von 1" in shown and "3 von 6" in shown
    round_ = app_store.round_for_host(host_key(first))
    assert round_.perspective == "buergerin" and len(app_store.round_members(round_.id)) == 4
    assert "Mit Unsicherheit – für Studien" in [e.label for e in first.expander]


def test_a_round_split_at_its_median_says_so_and_its_municipalities_results_follow(app_store, questionnaire):
    """The host chooses the round's median for willingness to change; a municipality's results
    name the threshold in force and show the type the round's figures count it in."""
    at = drive.open_app("de", page="round")
    at.text_input(key="round.create.title").input("Relativ 2027")
    at.multiselect(key="round.create.domains").select("mobilitaet").select("wirtschaft")
    at.file_uploader(key="round.create.roster").set_value(("kommunen.csv", GOOD.encode("utf-8"), "text/csv"))
    at.radio(key="round.create.threshold.veraenderungsbereitschaft").set_value("median")
    at = drive.click(at, "Runde anlegen")
    drive.assert_ok(at)
    round_ = app_store.round_for_host(host_key(at))
    assert round_.thresholds == {"leistungsfaehigkeit": "fixed", "veraenderungsbereitschaft": "median"}
    _, invitations = at.session_state["round.invitations"]
    board = drive.texts(at)
    assert md("Veränderungsbereitschaft relativ zum Median der Runde, sobald 5 Kommunen eingeordnet sind") in board

    rng = random.Random(8)
    # A round of cautious municipalities: about half the single-choice answers are the weakest,
    # so the round's median lies well below the fixed 50.
    weakest = {
        item.id: min(item.options, key=lambda o: o.score).id
        for item in questionnaire.items.values()
        if item.type == "single" and item.options
    }
    for m in app_store.round_members(round_.id):
        profile = AssessmentProfile(name=m.name, body_kind=m.body_kind, state=m.state, population=m.population)
        answers = random_answers(questionnaire, rng, dont_know=0.0, missing=0.0)
        answers.update({i: o for i, o in weakest.items() if i in answers and rng.random() < 0.5})
        assessment = Assessment(
            questionnaire_version=questionnaire.version, profile=profile, domains=DOMAINS, answers=answers
        )
        app_store.start_invitation(invitations[m.key], assessment)

    from ktmsc import host

    pairs = app_store.round_assessments(round_.id)
    scored = host.score_round(questionnaire, round_, pairs)
    median = scored.thresholds.values["veraenderungsbereitschaft"]
    assert scored.thresholds.relative["veraenderungsbereitschaft"]
    # A municipality the median puts in another type than the fixed 50 would, in some domain.
    fixed = host.score_round(questionnaire, replace(round_, thresholds=None), pairs)
    key = next(
        k
        for k in scored.keys
        if any(scored.batch.type_id(scored.row_of(k), d) != fixed.batch.type_id(fixed.row_of(k), d) for d in DOMAINS)
    )
    mine = drive.open_app("de", page="results", a=invitations[key])
    drive.assert_ok(mine)
    shown = drive.texts(mine)
    value = f"{median:.1f}".replace(".", ",").removesuffix(",0")
    assert (
        md(f"Veränderungsbereitschaft relativ – der Median der Runde, {value} (aus 7 eingeordneten Kommunen)") in shown
    )
    assert md("Leistungsfähigkeit fest bei 50") in shown
    row = scored.row_of(key)
    for domain in DOMAINS:
        type_name = questionnaire.types[scored.batch.type_id(row, domain)].name.get("de")
        name = questionnaire.domain(domain).name.get("de")
        overview = next(df.value for df in mine.table if name in df.value.index)
        assert type_name in " ".join(map(str, overview.loc[name].tolist())), (name, type_name)
    board = drive.texts(drive.open_app("de", page="round", h=host_key(at)))
    assert md(f"Veränderungsbereitschaft relativ – der Median der Runde, {value}") in board
