"""One read-out: the results page, the PDF report and the CSV files show the same numbers.

The screen is the real results page (AppTest), the paper is the PDF read back with pypdf,
the files are the answers CSV and the workshop's participant CSV. Random assessments make
fractional scores, so the cases where rounding could split screen and paper come up.
"""

from __future__ import annotations

import io
import random
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from spreadsheet import read_records

from app_driver import open_app
from ktmsc.export import ANSWER_CSV_COLUMNS, answers_csv
from ktmsc.labels import fmt_delta, fmt_number, fmt_percent, fmt_range, fmt_score, item_score_cell, status_code
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.model.schema import DONT_KNOW
from ktmsc.readout import build_readout
from ktmsc.report import render_report
from ktmsc.texts import t
from ktmsc.ui.safe import md
from ktmsc.workshop import PARTICIPANTS_CSV_COLUMNS, Participant, participants_csv

SEEDS = [3, 11, 29]
DOMAINS = ["mobilitaet", "wirtschaft", "resilienz_sicherheit"]


@pytest.mark.parametrize(
    ("now", "before", "shown"),
    [
        (11.6, 10.4, "+2"),  # 12 − 10, although the unrounded change is 1.2
        (10.6, 10.4, "+1"),
        (10.4, 10.6, "−1"),
        (10.4, 10.4, "±0"),
        (10.49, 9.51, "±0"),  # both show as 10
        (0.0, 100.0, "−100"),
        (None, 10.0, "–"),
        (10.0, None, "–"),
    ],
)
def test_delta__is_the_difference_of_the_shown_scores(now, before, shown):
    assert fmt_delta(now, before) == shown
    if now is not None and before is not None:
        assert int(fmt_score(now)) - int(fmt_score(before)) == int(shown.replace("−", "-").replace("±", ""))


@pytest.mark.parametrize(
    ("value", "lang", "digits", "shown"),
    [
        (1234567.25, "de", 1, "1.234.567,2"),
        (1234567.25, "en", 1, "1,234,567.2"),
        (-0.4, "de", 0, "0"),
        (-2.5, "en", 1, "−2.5"),
        (50.0, "de", 0, "50"),
    ],
)
def test_numbers__one_spelling_per_language(value, lang, digits, shown):
    assert fmt_number(value, lang, digits) == shown


def test_percent_and_dates__the_same_in_every_renderer():
    assert fmt_percent(0.5, "de") == "50\u00a0%"  # German: a no-break space before the sign
    assert fmt_percent(0.5, "en") == "50%"
    assert fmt_percent(0.083, "de", 1) == "8,3\u00a0%"
    assert fmt_range(55.4, 40.2, 70.6) == "55 (40–71)"
    assert fmt_range(55.4, 55.2, 55.4) == "55"
    from ktmsc.labels import fmt_date, fmt_datetime

    moment = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # already 2 December in Germany
    assert fmt_date(moment, "de") == "02.12.2026"
    assert fmt_date(moment, "en") == "2 Dec 2026"
    assert fmt_datetime(moment, "de") == "02.12.2026, 00:30"
    assert fmt_datetime(moment, "en") == "2 Dec 2026, 00:30"


# --- screen = paper = files -------------------------------------------------------------------


def random_answers(questionnaire, rnd: random.Random, dont_know: float) -> dict:
    answers = {}
    for item in questionnaire.items.values():
        roll = rnd.random()
        if roll < dont_know:
            answers[item.id] = DONT_KNOW
        elif roll < dont_know + 0.1:
            continue  # left open
        elif item.type == "single":
            answers[item.id] = rnd.choice(item.options).id
        elif item.type == "multi":
            plain = [o.id for o in item.options if not o.exclusive]
            answers[item.id] = rnd.sample(plain, rnd.randint(1, len(plain)))
        else:
            answers[item.id] = rnd.randint(0, 60)
    return answers


def make(questionnaire, answers: dict, stamp: datetime) -> Assessment:
    return Assessment(
        questionnaire_version=questionnaire.version,
        profile=AssessmentProfile(name="Teststadt", body_kind="kreisangehoerige_gemeinde", population=48_000),
        domains=DOMAINS,
        answers=answers,
        created_at=stamp,
        updated_at=stamp,
    )


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(spaced(page.extract_text()) for page in reader.pages)


def spaced(text: str) -> str:
    """Runs of white space (line breaks, the no-break space of "50 %") as one space, as read back."""
    return " ".join(text.split())


def unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.fixture(scope="module", params=SEEDS)
def case(request, questionnaire, app_store):
    rnd = random.Random(request.param)
    earlier = make(questionnaire, random_answers(questionnaire, rnd, 0.1), datetime(2025, 5, 1, tzinfo=UTC))
    current = make(questionnaire, random_answers(questionnaire, rnd, 0.15), datetime(2026, 5, 1, tzinfo=UTC))
    stored_earlier = app_store.create_assessment(earlier)
    stored = app_store.create_assessment(current, previous_id=stored_earlier.id)
    readout = build_readout(questionnaire, current, earlier)
    return readout, stored.edit_token


def test_screen_paper_and_csv_show_the_same_changes_scores_and_open_items(questionnaire, case):
    readout, token = case
    x_id, y_id = questionnaire.dimension_ids
    x_short, y_short = (questionnaire.dimension(d).short.get("de") for d in (x_id, y_id))
    at = open_app("de", page="results", a=token)
    assert not at.exception, [e.value for e in at.exception]
    paper = pdf_text(render_report(readout, "de"))

    # Changes: the screen's Δ columns and the paper's change column, from the same rounded scores.
    changes = next(t.value for t in at.table if f"Δ {x_short}" in t.value.columns)
    for change in readout.changes():
        row = changes.loc[questionnaire.domain(change.domain).name.get("de")]
        dx, dy = fmt_delta(change.after_x, change.before_x), fmt_delta(change.after_y, change.before_y)
        assert (row[f"Δ {x_short}"], row[f"Δ {y_short}"]) == (dx, dy)
        assert f"{x_short} {dx}, {y_short} {dy}" in paper

    # Scores and coverage: the overview table on screen (one line per dimension) and on paper,
    # no bound rounded across its threshold (the interval of a stable type never seems to touch
    # the other quadrant).
    overview = at.table[0].value
    x_cut, y_cut = questionnaire.threshold(x_id), questionnaire.threshold(y_id)
    for domain_id, shown in readout.domains.items():
        x, y = shown.result.dimensions[x_id], shown.result.dimensions[y_id]
        row = overview.loc[md(questionnaire.domain(domain_id).name.get("de"))]
        x_shown = fmt_range(x.score, x.min, x.max, "de", x_cut)
        y_shown = fmt_range(y.score, y.min, y.max, "de", y_cut)
        lines = unescape(row[t("ui.result.scores", "de")]).split("  \n")
        assert lines[:2] == [f"{x_short} {x_shown}", f"{y_short} {y_shown}"]
        assert x_shown.startswith(fmt_score(x.score, "de", x_cut)) and y_shown.startswith(
            fmt_score(y.score, "de", y_cut)
        )
        assert x_shown in paper and y_shown in paper
        coverage = fmt_percent(shown.result.coverage, "de")
        assert lines[2] == f"Abdeckung {coverage}" and spaced(coverage) in paper

    # Open items: the same questions, in the same order, on screen and on paper (whose domain
    # sections come in the model's order, each list after its heading).
    on_paper = [re.findall(r"• (\d+\.\d+) ", part) for part in paper.split("Diese offenen Fragen würden")[1:]]
    with_open = [shown for shown in readout.domains.values() if shown.open_items]
    assert len(on_paper) == len(with_open)
    for shown, listed in zip(with_open, on_paper, strict=True):
        expected = [readout.numbers[i] for i in shown.open_items]
        assert listed[: len(expected)] == expected
    for domain_id, shown in readout.domains.items():
        at.radio(key="results.domain").set_value(domain_id).run()
        shown_open = next((e for e in at.expander if e.label == "Was das Ergebnis schärfen würde"), None)
        block = unescape(shown_open.markdown[0].value) if shown_open is not None else ""
        assert re.findall(r"^- (\d+\.\d+) ", block, flags=re.M) == [readout.numbers[i] for i in shown.open_items]


def test_answers_csv_and_participant_csv_write_the_scores_the_score_counts(questionnaire, case):
    readout, _ = case
    assessment = readout.assessment
    rows = read_records(answers_csv(questionnaire, assessment, "de"), "de", ANSWER_CSV_COLUMNS)
    for row in rows:
        state = readout.result.states[row["item_id"]]
        assert row["status"] == status_code(state.state)
        assert row["item_score"] == item_score_cell(state, "de")
    participant = Participant(id="p1", answers=assessment.answers)
    group_rows = read_records(
        participants_csv(questionnaire, [participant], assessment.domains, population=assessment.profile.population),
        "de",
        PARTICIPANTS_CSV_COLUMNS,
    )
    assert [(r["item_id"], r["status"], r["item_score"]) for r in group_rows] == [
        (r["item_id"], r["status"], r["item_score"]) for r in rows
    ]


def test_answers_csv__a_follow_up_hidden_by_its_gate_has_no_score(questionnaire):
    # Answered while there were pilots, then the pilots were answered "none".
    answers = {"g_pilots": "none", "g_pilot_decision": "decided"}
    stamp = datetime(2026, 5, 1, tzinfo=UTC)
    rows = {
        r["item_id"]: r
        for r in read_records(answers_csv(questionnaire, make(questionnaire, answers, stamp)), "de", ANSWER_CSV_COLUMNS)
    }
    assert (rows["g_pilot_decision"]["status"], rows["g_pilot_decision"]["item_score"]) == ("hidden", "")


def test_a_number_a_percent_and_a_date_are_spelled_alike_on_screen_on_paper_and_in_the_csv(questionnaire, app_store):
    """German spellings from one place: the number answer "1.234,5 Vollzeitstellen", the
    coverage "… %" and the earlier assessment's date on the results page, in the PDF and
    in the answers CSV."""
    from app_driver import texts

    earlier_stamp, stamp = datetime(2025, 5, 1, 9, tzinfo=UTC), datetime(2026, 5, 1, 9, tzinfo=UTC)
    answers = {"g_staff_fte": 1234.5, "g_strategy": "adopted"}
    earlier = make(questionnaire, {"g_strategy": "adopted"}, earlier_stamp)
    current = make(questionnaire, answers, stamp)
    stored = app_store.create_assessment(current, previous_id=app_store.create_assessment(earlier).id)
    readout = build_readout(questionnaire, current, earlier)
    answer, date = "1.234,5 Vollzeitstellen", "01.05.2025"

    at = open_app("de", page="results", a=stored.edit_token)
    assert not at.exception, [e.value for e in at.exception]
    on_screen = [cell for table in at.dataframe for cell in table.value.to_numpy().ravel().tolist()]
    assert answer in on_screen  # the contributions table
    assert date in texts(at)
    overview = at.table[0].value
    paper = pdf_text(render_report(readout, "de"))
    assert answer in paper and date in paper
    for domain_id, shown in readout.domains.items():
        coverage = fmt_percent(shown.result.coverage, "de")
        scores = unescape(overview.loc[md(questionnaire.domain(domain_id).name.get("de"))][t("ui.result.scores", "de")])
        assert scores.split("  \n")[-1] == f"Abdeckung {coverage}"
        assert spaced(coverage) in paper
    rows = read_records(answers_csv(questionnaire, current, "de"), "de", ANSWER_CSV_COLUMNS)
    assert next(r for r in rows if r["item_id"] == "g_staff_fte")["answer"] == answer
