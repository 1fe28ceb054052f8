"""The PDF report and the printable questionnaire, read back with pypdf."""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from ktmsc.export import selected_sections
from ktmsc.labels import status_label
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, PERSPECTIVE_CITIZEN
from ktmsc.model.schema import DONT_KNOW
from ktmsc.readout import build_readout
from ktmsc.report import build_questionnaire_pdf, build_report, fastpdf, render_report
from ktmsc.report.document import PAGES_ALIAS, REPLACEMENT, clean
from ktmsc.scoring import score
from ktmsc.texts import t

NAME = "Groß-Umstadt – Süd"
WHEN = datetime(2026, 3, 7, 9, 30, tzinfo=UTC)


def random_answers(questionnaire, seed: int, dont_know: float = 0.15) -> dict:
    rnd = random.Random(seed)
    answers = {}
    for item in questionnaire.items.values():
        if rnd.random() < dont_know:
            answers[item.id] = DONT_KNOW
        elif item.type == "single":
            answers[item.id] = rnd.choice(item.options).id
        elif item.type == "multi":
            answers[item.id] = [rnd.choice([o for o in item.options if not o.exclusive]).id]
        else:
            answers[item.id] = rnd.randint(0, 40)
    return answers


def assessment(questionnaire, *, name=NAME, domains=None, answers=None, **extra) -> Assessment:
    profile = {"name": name, "body_kind": "kreisangehoerige_gemeinde", "state": "he", "population": 21_000}
    profile.update(extra.pop("profile", {}))
    fields = {"created_at": datetime(2026, 2, 1, tzinfo=UTC), "updated_at": datetime(2026, 3, 1, tzinfo=UTC), **extra}
    return Assessment(
        questionnaire_version=questionnaire.version,
        profile=AssessmentProfile(**profile),
        domains=list(questionnaire.domain_ids if domains is None else domains),
        answers=answers or {},
        **fields,
    )


def pages_of(pdf: bytes) -> list[str]:
    """The text of every page, whitespace collapsed (line breaks inside a title become spaces)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def fmt(value):
    return "–" if value is None else f"{value:.0f}"


@pytest.fixture(scope="module")
def full(questionnaire):
    """Six domains, mixed answers, notes and evidence, and an earlier assessment."""
    current = assessment(
        questionnaire,
        answers=random_answers(questionnaire, 1),
        notes={"g_strategy": "Beschluss vom 3. 5. 2024 – siehe „Drucksache 12/345“ 😀👍🏽 <b>fett</b>"},
        evidence={"g_strategy": "https://example.org/ratsinfo?id=" + "x" * 200},
    )
    previous = assessment(
        questionnaire,
        answers=random_answers(questionnaire, 2, dont_know=0.3),
        updated_at=datetime(2025, 3, 1, tzinfo=UTC),
    )
    pdf = build_report(questionnaire, current, "de", previous=previous, generated_at=WHEN)
    return current, previous, pdf, pages_of(pdf)


def test_report__is_a_plausible_pdf(full):
    _, _, pdf, pages = full
    assert pdf.startswith(b"%PDF-")
    # cover, contents, overview, history, at least one page per domain, method, appendix
    assert 6 + 6 <= len(pages) <= 80
    assert pages[0].count(f"Seite 1 von {len(pages)}") == 1
    assert f"Seite {len(pages)} von {len(pages)}" in pages[-1]
    assert PAGES_ALIAS not in " ".join(pages)


def test_report__cover_names_the_profile(full, questionnaire):
    _, _, _, pages = full
    cover = pages[1]
    for expected in (
        NAME,
        "Kreisangehörige Stadt oder Gemeinde",
        "Hessen",
        "21.000",
        "Mittelstadt",
        "Verwaltung (Innensicht)",
        "07.03.2026",
        questionnaire.version,
    ):
        assert expected in cover, expected


CITIZEN = {"perspective": PERSPECTIVE_CITIZEN}


def _glance_case(questionnaire, seed: int, citizen: bool):
    answers = random_answers(questionnaire, seed)
    if citizen:
        answers = {k: v for k, v in answers.items() if questionnaire.items[k].public}
    current = assessment(questionnaire, answers=answers, profile=CITIZEN if citizen else {})
    return build_readout(questionnaire, current)


@pytest.mark.parametrize(("seed", "citizen"), [(1, False), (4, False), (7, False), (1, True), (9, True)])
def test_report__first_page_is_the_council_summary_and_fits_on_it(questionnaire, seed, citizen):
    """Municipality, date, type and classification per domain, the next steps and the two
    caveats – on page 1, six domains included; the cover follows on page 2."""
    readout = _glance_case(questionnaire, seed, citizen)
    pages = pages_of(render_report(readout, "de", generated_at=WHEN))
    first = pages[0]
    assert first.startswith("KTMSC Self-Check Auf einen Blick " + NAME)
    assert "Stand der Antworten: 01.03.2026 · Bericht erstellt am 07.03.2026" in first
    rest = first.split("Einordnung", 1)[1]
    for domain in readout.domains.values():
        name = questionnaire.domain(domain.domain).name.get("de")
        row = f"{name} {questionnaire.types[domain.result.type_id].name.get('de')} {status_label(domain.result, 'de')}"
        assert row in rest, row
    if citizen:
        titles = [s.step.title.get("de") for s in readout.outside.steps]
        assert readout.next_steps == () and len(titles) == 3
        assert t("core.outside.unseen", "de") in first
    else:
        titles = [s.recommendation.title.get("de") for s in readout.next_steps]
        assert len(titles) == 3
        for step in readout.next_steps:
            assert step.recommendation.first_step.get("de") in first
            assert f"Für: {readout.domain_names(step.domains, 'de')} · Weil: „" in first
    positions = [first.find(title) for title in titles]
    assert -1 not in positions and positions == sorted(positions)
    # The caveats come last: when they are on page 1, the whole summary fits on it.
    assert first.rstrip().endswith(
        f"{t('core.caveats.self', 'de')} {t('core.caveats.model', 'de')} Seite 1 von {len(pages)}"
    )
    assert pages[1].startswith(NAME) and "Ergebnisbericht" in pages[1]


@pytest.mark.parametrize("citizen", [False, True])
def test_report__first_page_fits_in_english_too(questionnaire, citizen):
    readout = _glance_case(questionnaire, 3, citizen)
    pages = pages_of(render_report(readout, "en", generated_at=WHEN))
    assert pages[0].startswith("KTMSC Self-Check At a glance " + NAME)
    caveats = f"{t('core.caveats.self', 'en')} {t('core.caveats.model', 'en')}"
    assert pages[0].endswith(f"{caveats} Page 1 of {len(pages)}")


def test_report__outside_view_lists_what_it_cannot_see(questionnaire):
    readout = _glance_case(questionnaire, 3, citizen=True)
    text = " ".join(pages_of(render_report(readout, "de", generated_at=WHEN)))
    overview = text.split("Was die Außensicht nicht sieht", 1)[1]
    topics = {topic.id: topic.name.get("de") for topic in questionnaire.model.topics}
    for topic, items in readout.outside.unseen:
        assert f"{topics[topic]}: " in overview
        for item_id in items:
            assert questionnaire.items[item_id].text.get("de") in overview
    assert "Bürgersicht" in text and "nur selten stabil" in text  # the method's caveat
    assert t("core.outside.admin_advice", "de") in overview  # advice to the administration says so


def test_report__special_characters_survive(full):
    _, _, _, pages = full
    text = " ".join(pages)
    assert "Groß-Umstadt – Süd" in text
    assert "„Drucksache 12/345“" in text
    assert "<b>fett</b>" in text  # markup in notes is printed as text


def test_report__header_from_page_two(full):
    _, _, _, pages = full
    assert not pages[0].startswith(NAME)
    assert all(page.startswith(NAME) for page in pages[1:])


def test_report__contents_page_with_six_domains(full):
    _, _, _, pages = full
    contents = pages[2]
    assert "Inhalt Überblick 4" in contents
    assert "Anhang: Fragen und Antworten" in contents
    assert "Umwelt und Energie" in contents and "Resilienz und Sicherheit" in contents


def test_report__overview_has_a_vector_chart_and_the_table(full, questionnaire):
    current, _, pdf, pages = full
    overview = next(i for i, page in enumerate(pages) if "Überblick" in page and "Position je Domäne" in page)
    # The chart's labels are text (SVG drawn as vectors), not pixels.
    assert "Leistungsfähigkeit (0–100)" in pages[overview]
    resources = PdfReader(io.BytesIO(pdf)).pages[overview]["/Resources"]
    images = resources.get("/XObject", {})
    assert not any(images[name].get_object().get("/Subtype") == "/Image" for name in images)
    result = score(questionnaire, current.answers, current.domains, current.perspective, current.profile.population)
    for domain in result.domains.values():
        assert questionnaire.domain(domain.domain).name.get("de") in pages[overview]
        assert f"{domain.coverage * 100:.0f} %" in pages[overview]  # a no-break space, collapsed by pages_of


def test_report__every_domain_with_its_type_and_every_recommendation(full, questionnaire):
    current, _, _, pages = full
    text = " ".join(pages)
    readout = build_readout(questionnaire, current)
    result = readout.result
    assert result.domains.keys() == set(questionnaire.domain_ids)
    for step in (*readout.next_steps, *readout.cross_domain):
        assert step.recommendation.title.get("de") in text, step.recommendation.id
    for domain_id, domain in result.domains.items():
        name = questionnaire.domain(domain_id).name.get("de")
        type_name = questionnaire.types[domain.type_id].name.get("de")
        section = [p for p in pages if p.startswith(f"{NAME} KTMSC Self-Check – Ergebnisbericht {name} ")]
        assert section, f"no section page for {name}"
        assert f"Typ in dieser Domäne {type_name}" in section[0]
        advice = readout.domains[domain_id].advice
        assert advice.first_steps or advice.recommendations
        for rec in [s.recommendation for s in advice.first_steps] + list(advice.recommendations):
            assert rec.title.get("de") in text, rec.id
        for paths in advice.paths.values():
            for path in paths:
                assert path.title.get("de") in text, path.id
        for tip in advice.tips:
            assert " ".join(tip.text.get("de").split()) in text, tip.id


def test_report__history_shows_both_positions(full, questionnaire):
    current, previous, _, pages = full
    history = next(page for page in pages if "Früher (LF / VB, Typ)" in page)
    assert "Veränderung seit der Einschätzung vom 01.03.2025" in history
    now = score(questionnaire, current.answers, current.domains, current.perspective, current.profile.population)
    before = score(questionnaire, previous.answers, current.domains, previous.perspective, previous.profile.population)
    x, y = questionnaire.dimension_ids
    for domain_id in current.domains:
        a, b = before.domains[domain_id], now.domains[domain_id]
        row = (
            f"{questionnaire.domain(domain_id).name.get('de')} "
            f"{fmt(a.dimensions[x].score)} / {fmt(a.dimensions[y].score)} {questionnaire.types[a.type_id].name.get('de')} "
            f"{fmt(b.dimensions[x].score)} / {fmt(b.dimensions[y].score)} {questionnaire.types[b.type_id].name.get('de')}"
        )
        assert row in history, row


def test_report__history_of_an_undated_earlier_file_has_no_empty_date(questionnaire):
    current = assessment(questionnaire, domains=["mobilitaet"], answers=random_answers(questionnaire, 3))
    undated = assessment(
        questionnaire,
        domains=["mobilitaet"],
        answers=random_answers(questionnaire, 4),
        created_at=None,
        updated_at=None,
    )
    text = " ".join(pages_of(build_report(questionnaire, current, "de", previous=undated, generated_at=WHEN)))
    assert "Veränderung seit der früheren Einschätzung" in text
    assert "Einschätzung vom –" not in text


def test_report__appendix_lists_answers_notes_and_evidence(full, questionnaire):
    current, _, _, pages = full
    start = next(i for i, page in enumerate(pages) if "Anhang: Fragen und Antworten Alle Fragen" in page)
    appendix = " ".join(pages[start:])
    for _, items in selected_sections(questionnaire, current.domains, current.perspective):
        for item in items:
            assert item.text.get("de") in appendix, item.id
    assert "Antwort: Weiß nicht" in appendix
    assert "Notiz: Beschluss vom 3. 5. 2024" in appendix
    assert "Beleg: https://example.org/ratsinfo?id=" in appendix


def test_report__without_answers_says_so(questionnaire):
    empty = assessment(questionnaire, domains=["mobilitaet", "wirtschaft"])
    pages = pages_of(build_report(questionnaire, empty, "de", generated_at=WHEN))
    text = " ".join(pages)
    assert 4 <= len(pages) <= 20
    assert "Es wurde noch keine Frage beantwortet" in pages[0]
    assert "Es wurde noch keine Frage beantwortet" in text.split("Überblick", 1)[1]
    assert "kein Typ" in text
    for type_def in questionnaire.model.types:  # only the method's table of the four types names them
        assert text.count(type_def.name.get("de")) == 1, type_def.id
    assert "Inhalt" not in pages[2]  # two domains: no table of contents


def test_report__english_without_answers(questionnaire):
    empty = assessment(questionnaire, domains=["mobilitaet"])
    pages = pages_of(build_report(questionnaire, empty, "en", generated_at=WHEN))
    assert "No question has been answered yet" in pages[0]
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert "7 Mar 2026" in pages[0]


def test_report__markup_in_the_name_is_text(questionnaire):
    hostile = assessment(questionnaire, name="<script>alert(1)</script>", domains=["mobilitaet"])
    pages = pages_of(build_report(questionnaire, hostile, "de", generated_at=WHEN))
    assert "<script>alert(1)</script>" in pages[0]
    assert all(page.startswith("<script>alert(1)</script>") for page in pages[1:])


def test_report__survives_any_user_text(questionnaire):
    long_word = "Donaudampfschifffahrtsgesellschaft" * 6
    weird = "Zeile\r\nzwei\x00\x07 \ud800 👩‍👩‍👧 ‮rtl‬ \uf8ff {ktmsc:pages} " + long_word
    hostile = assessment(
        questionnaire,
        name=long_word[:200],
        domains=["resilienz_sicherheit"],
        answers={"rs_crisis_staff": DONT_KNOW},
        notes={"rs_crisis_staff": weird * 10},
        evidence={"rs_crisis_staff": "javascript:alert(1)", "g_strategy": "https://" + "a" * 480},
    )
    pdf = build_report(questionnaire, hostile, "de", generated_at=WHEN)
    text = " ".join(pages_of(pdf))
    assert long_word[:40] in text
    assert "javascript:alert(1)" in text
    assert b"/URI (javascript" not in pdf


def test_report__prints_what_fpdf2_alone_prints(full, questionnaire):
    """The fast line measuring and the fonts parsed once change nothing on paper: same text
    on the same pages, same bytes — also for broken long words, user text and English."""
    current, previous, pdf, _ = full
    odd = assessment(
        questionnaire,
        name="Donaudampfschifffahrtsgesellschaft" * 3,
        domains=["mobilitaet", "resilienz_sicherheit"],
        answers=random_answers(questionnaire, 3),
        notes={"rs_crisis_staff": "Weich\u00adtrenn\u00adung, ‮rtl‬ 👩‍👩‍👧 " + "x" * 300},
    )
    builds = [
        (current, "de", previous),
        (odd, "en", None),
    ]
    fast = [build_report(questionnaire, a, lang, previous=p, generated_at=WHEN) for a, lang, p in builds]
    with fastpdf.plain():
        alone = [build_report(questionnaire, a, lang, previous=p, generated_at=WHEN) for a, lang, p in builds]
    assert fast[0] == pdf  # a second report in the same process: the cached fonts are as good as new
    for mine, theirs in zip(fast, alone, strict=True):
        assert pages_of(mine) == pages_of(theirs)
        assert mine == theirs


def test_clean__keeps_what_the_font_has_and_replaces_the_rest():
    assert clean("Groß-Umstadt – Süd „x“") == "Groß-Umstadt – Süd „x“"
    assert clean("a\x00b\x07c\td") == "abc d"
    assert clean("Zeile\r\nzwei") == "Zeile\nzwei"
    assert clean("x\ud800y") == f"x{REPLACEMENT}y"
    assert clean("👍🏽") == REPLACEMENT  # no glyph: one replacement, the skin-tone modifier dropped
    assert clean(f"Seite {PAGES_ALIAS}") == "Seite "
    assert clean("Ü") == "Ü"  # decomposed umlaut composed


def test_questionnaire_pdf__citizen_view_has_public_items_only(questionnaire):
    domains = ["mobilitaet", "wohnen_gesundheit"]
    pdf = build_questionnaire_pdf(questionnaire, "de", domains, PERSPECTIVE_CITIZEN)
    pages = pages_of(pdf)
    text = " ".join(pages)
    assert "Kommune" in pages[0] and "Datum" in pages[0]
    assert f"Seite 1 von {len(pages)}" in pages[0]
    asked = 0
    for section in questionnaire.sections_for(domains):
        for item in section.items:
            if item.public:
                asked += 1
                assert item.text.get("de") in text, item.id
                assert " ".join(item.public_hint.get("de").split()) in text, item.id
            else:
                assert item.text.get("de") not in text, item.id
    assert text.count("Weiß nicht") >= asked
    assert "Wo Sie nachsehen können" in text
    assert "Nur beantworten, wenn" in text


def test_questionnaire_pdf__admin_view_in_english(questionnaire):
    pdf = build_questionnaire_pdf(questionnaire, "en", ["umwelt_energie"], PERSPECTIVE_ADMIN)
    text = " ".join(pages_of(pdf))
    for section, items in selected_sections(questionnaire, ["umwelt_energie"], PERSPECTIVE_ADMIN):
        assert section.name.name.get("en") in text
        for number, item in enumerate(items, start=1):
            assert f"{number} {item.text.get('en')}" in text, item.id
            for option in item.options:
                assert " ".join(option.label.get("en").split()) in text, (item.id, option.id)
    assert "Where to look" not in text
    assert "Don't know" in text
