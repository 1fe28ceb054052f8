"""Content: the shipped YAML validates, and broken content gets precise messages."""

from __future__ import annotations

import pytest

import content_factory as cf
from ktmsc.content import CATALOGUE
from ktmsc.content.loader import DEFAULT_CONTENT_DIR
from ktmsc.instrument import load_content


def test_shipped_content__ok():
    result = load_content(DEFAULT_CONTENT_DIR)
    assert result.errors == [], "\n".join(p.format() for p in result.errors)
    assert result.ok


def test_shipped_content__has_no_warnings():
    result = load_content(DEFAULT_CONTENT_DIR)
    assert result.warnings == [], "\n".join(p.format() for p in result.warnings)


def test_shipped_content__meets_the_counts(questionnaire):
    rules = questionnaire.model.content_rules
    assert len(questionnaire.general.items) >= max(12, rules.min_general_items)
    for domain in questionnaire.domain_ids:
        items = questionnaire.section(domain).items
        assert len(items) >= 8, domain
        for dim in questionnaire.dimension_ids:
            main = [i for i in items if i.weight(dim) == max(i.weight(d) for d in questionnaire.dimension_ids)]
            assert len(main) >= 3, (domain, dim)


def test_shipped_content__every_type_and_domain_has_three_recommendations(questionnaire):
    for type_id in questionnaire.types:
        for domain in questionnaire.domain_ids:
            assert len(questionnaire.recommendations_by_type[(type_id, domain)]) >= 3


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        ({"leistungsfaehigkeit": 1.0, "veraenderungsbereitschaft": 0.2}, {"leistungsfaehigkeit"}),
        (
            {"leistungsfaehigkeit": 0.5, "veraenderungsbereitschaft": 0.5},
            {"leistungsfaehigkeit", "veraenderungsbereitschaft"},
        ),
        ({"veraenderungsbereitschaft": 2.0}, {"veraenderungsbereitschaft"}),
        ({}, set()),
    ],
)
def test_item__primary_dimensions(questionnaire, weights, expected):
    item = next(iter(questionnaire.items.values())).model_copy(update={"weights": weights})
    assert item.primary_dimensions(questionnaire.dimension_ids) == expected


def test_generated_content__ok(tmp_path):
    result = load_content(cf.build(tmp_path))
    assert result.ok, [p.format() for p in result.problems]


def _first_item(files, section="sections/umwelt_energie.yaml"):
    return files[section]["items"][0]


def _set(path_getter, key, value):
    def change(files):
        path_getter(files)[key] = value

    return change


def _delete(path_getter, key):
    def change(files):
        del path_getter(files)[key]

    return change


# (name, change, expected code, file, YAML path, words in the message)
_LE = [f"wir_le_{n}" for n in range(4)]  # the items of the generated wirtschaft section
_VE = [f"wir_ve_{n}" for n in range(4)]


def _topics(*groups: list[str]) -> list[dict]:
    return [{"id": f"topic_{n}", "name": cf.text(f"Topic {n}"), "items": group} for n, group in enumerate(groups)]


BROKEN = [
    (
        "score_out_of_range",
        lambda f: _first_item(f)["options"][1].update(score=1.5),
        "I004",
        "sections/umwelt_energie.yaml",
        "items[0].options[1].score",
        "1.5",
    ),
    (
        "quoted_number",
        lambda f: _first_item(f)["options"][1].update(score="0.5"),
        "S003",
        "sections/umwelt_energie.yaml",
        "items[0].options[1].score",
        "without quotes",
    ),
    (
        "missing_english",
        lambda f: _first_item(f)["text"].pop("en"),
        "T001",
        "sections/umwelt_energie.yaml",
        "items[0].text.en",
        "English",
    ),
    (
        "empty_german",
        lambda f: _first_item(f)["help"].update(de="  "),
        "T002",
        "sections/umwelt_energie.yaml",
        "items[0].help.de",
        "German",
    ),
    (
        "missing_key",
        lambda f: _first_item(f).pop("help"),
        "S001",
        "sections/umwelt_energie.yaml",
        "items[0].help",
        "`help`",
    ),
    (
        "unknown_key",
        lambda f: _first_item(f).update(titel=cf.text("x")),
        "S002",
        "sections/umwelt_energie.yaml",
        "items[0].titel",
        "did you mean `title`",
    ),
    (
        "duplicate_item_id",
        lambda f: f["sections/mobilitaet.yaml"]["items"][0].update(id="umw_le_0"),
        "I001",
        "sections/mobilitaet.yaml",
        "items[0].id",
        "umw_le_0",
    ),
    (
        "bad_id",
        lambda f: _first_item(f).update(id="Umw-1"),
        "I002",
        "sections/umwelt_energie.yaml",
        "items[0].id",
        "Umw-1",
    ),
    (
        "duplicate_option",
        lambda f: _first_item(f)["options"][2].update(id="some"),
        "I003",
        "sections/umwelt_energie.yaml",
        "items[0].options[2].id",
        "some",
    ),
    (
        "no_weight",
        lambda f: _first_item(f).update(weights={"leistungsfaehigkeit": 0}),
        "I005",
        "sections/umwelt_energie.yaml",
        "items[0].weights",
        "no dimension",
    ),
    (
        "public_without_hint",
        lambda f: _first_item(f).pop("public_hint"),
        "I006",
        "sections/umwelt_energie.yaml",
        "items[0].public",
        "public_hint",
    ),
    (
        "unknown_tag",
        lambda f: _first_item(f).update(tags=["fundng"]),
        "I007",
        "sections/umwelt_energie.yaml",
        "items[0].tags[0]",
        "did you mean `funding`",
    ),
    (
        "reserved_option",
        lambda f: _first_item(f)["options"][0].update(id="dont_know"),
        "I008",
        "sections/umwelt_energie.yaml",
        "items[0].options[0].id",
        "reserved",
    ),
    (
        "one_option",
        lambda f: _first_item(f).update(options=_first_item(f)["options"][:1]),
        "I009",
        "sections/umwelt_energie.yaml",
        "items[0].options",
        "two options",
    ),
    (
        "unknown_dimension",
        lambda f: _first_item(f)["weights"].update(leistungsfähigkeit=1),
        "I013",
        "sections/umwelt_energie.yaml",
        "items[0].weights.leistungsfähigkeit",
        "did you mean `leistungsfaehigkeit`",
    ),
    (
        "condition_unknown_item",
        lambda f: _first_item(f, "sections/umwelt_energie.yaml").update(
            show_if=[{"item": "umw_xx", "any_of": ["full"]}]
        ),
        "C001",
        "sections/umwelt_energie.yaml",
        "items[0].show_if[0].item",
        "umw_xx",
    ),
    (
        "condition_later_item",
        lambda f: _first_item(f).update(show_if=[{"item": "umw_le_1", "any_of": ["full"]}]),
        "C002",
        "sections/umwelt_energie.yaml",
        "items[0].show_if[0].item",
        "umw_le_1",
    ),
    (
        "condition_other_domain",
        lambda f: _first_item(f).update(show_if=[{"item": "mob_le_0", "any_of": ["full"]}]),
        "C002",
        "sections/umwelt_energie.yaml",
        "items[0].show_if[0].item",
        "mob_le_0",
    ),
    (
        "condition_unknown_option",
        lambda f: f["sections/umwelt_energie.yaml"]["items"][1].update(
            show_if=[{"item": "umw_le_0", "any_of": ["ful"]}]
        ),
        "C003",
        "sections/umwelt_energie.yaml",
        "items[1].show_if[0].any_of",
        "did you mean `full`",
    ),
    (
        "condition_not_monotone",
        lambda f: f["sections/umwelt_energie.yaml"]["items"][1].update(
            show_if=[{"item": "umw_le_0", "any_of": ["some"]}]
        ),
        "C004",
        "sections/umwelt_energie.yaml",
        "items[1].show_if[0].any_of",
        "`full`",
    ),
    (
        "condition_public_on_internal",
        lambda f: (
            _first_item(f).update(public=False),
            f["sections/umwelt_energie.yaml"]["items"][1].update(show_if=[{"item": "umw_le_0", "any_of": ["full"]}]),
        ),
        "C006",
        "sections/umwelt_energie.yaml",
        "items[1].show_if[0].item",
        "umw_le_0",
    ),
    (
        "wrong_threshold",
        lambda f: f["model.yaml"]["scoring"]["thresholds"].update(leistungsfaehigkeit=150),
        "M004",
        "model.yaml",
        "scoring.thresholds.leistungsfaehigkeit",
        "between 0 and 100",
    ),
    (
        "round_threshold_for_one_dimension_only",
        lambda f: f["model.yaml"]["rounds"]["thresholds"].pop("leistungsfaehigkeit"),
        "M004",
        "model.yaml",
        "rounds.thresholds",
        "`fixed` or `median` for each of",
    ),
    (
        "general_share_one",
        lambda f: f["model.yaml"]["scoring"]["general_share"].update(leistungsfaehigkeit=1.0),
        "M004",
        "model.yaml",
        "scoring.general_share.leistungsfaehigkeit",
        "fraction",
    ),
    (
        "general_share_for_one_dimension_only",
        lambda f: f["model.yaml"]["scoring"]["general_share"].pop("veraenderungsbereitschaft"),
        "M004",
        "model.yaml",
        "scoring.general_share",
        "one share for each of",
    ),
    (
        "same_quadrant",
        lambda f: f["model.yaml"]["types"][1].update(
            quadrant={"leistungsfaehigkeit": "low", "veraenderungsbereitschaft": "low"}
        ),
        "M003",
        "model.yaml",
        "types[1].quadrant",
        "same quadrant",
    ),
    (
        "same_axis",
        lambda f: f["model.yaml"]["dimensions"][1].update(axis="x"),
        "M005",
        "model.yaml",
        "dimensions",
        "x, x",
    ),
    (
        "size_gap",
        lambda f: f["model.yaml"]["profile"]["size_types"][1].update(min_population=6000),
        "M006",
        "model.yaml",
        "profile.size_types[1].min_population",
        "kleinstadt",
    ),
    (
        "missing_section",
        lambda f: f.pop("sections/mobilitaet.yaml"),
        "D001",
        "questionnaires/sections/",
        "",
        "mobilitaet",
    ),
    (
        "too_few_items",
        lambda f: f["sections/mobilitaet.yaml"].update(items=f["sections/mobilitaet.yaml"]["items"][:5]),
        "D003",
        "sections/mobilitaet.yaml",
        "items",
        "at least 6",
    ),
    (
        "too_few_on_dimension",
        lambda f: (
            [i.update(weights={"leistungsfaehigkeit": 1}) for i in f["sections/wirtschaft.yaml"]["items"][4:6]] and None
        ),
        "D004",
        "sections/wirtschaft.yaml",
        "items",
        "veraenderungsbereitschaft",
    ),
    (
        "topic_unknown_item",
        lambda f: f["sections/wirtschaft.yaml"].update(topics=_topics(_LE, [*_VE, "wir_ve_9"])),
        "D008",
        "sections/wirtschaft.yaml",
        "topics[1].items[4]",
        "wir_ve_9",
    ),
    (
        "topic_missing_item",
        lambda f: f["sections/wirtschaft.yaml"].update(topics=_topics(_LE, _VE[:3])),
        "D009",
        "sections/wirtschaft.yaml",
        "items[7].id",
        "wir_ve_3",
    ),
    (
        "topic_out_of_order",
        lambda f: f["sections/wirtschaft.yaml"].update(
            topics=_topics(["wir_le_0", "wir_le_2", "wir_le_1", "wir_le_3"], _VE)
        ),
        "D010",
        "sections/wirtschaft.yaml",
        "topics[0].items[1]",
        "`wir_le_2` is not the item after `wir_le_0`",
    ),
    (
        "topic_too_long",
        lambda f: f["sections/wirtschaft.yaml"].update(topics=_topics([*_LE, *_VE])),
        "D011",
        "sections/wirtschaft.yaml",
        "topics[0].items",
        "has 8 items; a step shows at most 7",
    ),
    (
        "unknown_section",
        lambda f: f["sections/mobilitaet.yaml"].update(section="mobilität"),
        "D007",
        "sections/mobilitaet.yaml",
        "section",
        "mobilität",
    ),
    (
        "too_few_recommendations",
        lambda f: f["recommendations/wirtschaft.yaml"]["by_type"]["aktivistin"].pop(),
        "R001",
        "recommendations/wirtschaft.yaml",
        "by_type",
        "aktivistin × wirtschaft has 2",
    ),
    (
        "unknown_type",
        lambda f: f["recommendations/wirtschaft.yaml"]["by_type"].update(leuchttum=[cf.recommendation("x_1")]),
        "R002",
        "recommendations/wirtschaft.yaml",
        "by_type.leuchttum",
        "did you mean `leuchtturm`",
    ),
    (
        "tip_unknown_item",
        lambda f: f["recommendations/wirtschaft.yaml"].update(
            tips=[{"id": "t1", "item": "wir_le_9", "max_score": 0.3, "text": cf.text("t")}]
        ),
        "R003",
        "recommendations/wirtschaft.yaml",
        "tips[0].item",
        "wir_le_9",
    ),
    (
        "tip_in_wrong_file",
        lambda f: f["recommendations/wirtschaft.yaml"].update(
            tips=[{"id": "t1", "item": "mob_le_0", "max_score": 0.3, "text": cf.text("t")}]
        ),
        "R007",
        "recommendations/wirtschaft.yaml",
        "tips[0].item",
        "mobilitaet",
    ),
    (
        "too_few_paths",
        lambda f: f["recommendations/general.yaml"]["paths"]["leistungsfaehigkeit"].pop(),
        "R004",
        "recommendations/general.yaml",
        "paths",
        "leistungsfaehigkeit",
    ),
    (
        "duplicate_recommendation",
        lambda f: f["recommendations/wirtschaft.yaml"]["by_type"]["bewahrerin"][1].update(id="wir_bew_0"),
        "R005",
        "recommendations/wirtschaft.yaml",
        "by_type.bewahrerin[1].id",
        "wir_bew_0",
    ),
    (
        "unknown_role",
        lambda f: f["recommendations/wirtschaft.yaml"]["by_type"]["bewahrerin"][0].update(roles=["innovaton"]),
        "M007",
        "recommendations/wirtschaft.yaml",
        "by_type.bewahrerin[0].roles[0]",
        "did you mean `innovation`",
    ),
    (
        "missing_recommendations",
        lambda f: f.pop("recommendations/wohnen_gesundheit.yaml"),
        "R006",
        "questionnaires/recommendations/",
        "",
        "wohnen_gesundheit",
    ),
    (
        "inseparable_weights",
        lambda f: (
            [
                i.update(weights={"leistungsfaehigkeit": 1, "veraenderungsbereitschaft": 1})
                for i in f["sections/mobilitaet.yaml"]["items"]
            ]
            and None
        ),
        "D005",
        "model.yaml",
        "types",
        "mobilitaet",
    ),
    (
        "missing_rationale",
        lambda f: f["sections/mobilitaet.yaml"]["items"][0].pop("rationale"),
        "I016",
        "sections/mobilitaet.yaml",
        "items[0]",
        "does not say why it loads",
    ),
    (
        "duty_counted_as_willingness",
        lambda f: f["sections/mobilitaet.yaml"]["items"][4].update(mandatory=cf.text("Gesetz, Frist 2028")),
        "I017",
        "sections/mobilitaet.yaml",
        "items[4].weights.veraenderungsbereitschaft",
        "legal duty",
    ),
    (
        "not_applicable_unknown_body_kind",
        lambda f: f["sections/mobilitaet.yaml"]["items"][0].update(
            not_applicable={"body_kinds": ["kreisfreie_stad"], "why": cf.text("why")}
        ),
        "I018",
        "sections/mobilitaet.yaml",
        "items[0].not_applicable.body_kinds[0]",
        "did you mean `kreisfreie_stadt`",
    ),
    (
        "size_bands_incomplete",
        lambda f: f["sections/mobilitaet.yaml"]["items"].append(
            cf.number_item("mob_le_9", "leistungsfaehigkeit", size_bands={"landgemeinde": cf.bands()})
        ),
        "I019",
        "sections/mobilitaet.yaml",
        "items[8].size_bands",
        "no bands for the size type `kleinstadt`",
    ),
    (
        "size_bands_unknown_size_type",
        lambda f: f["sections/mobilitaet.yaml"]["items"].append(
            cf.number_item("mob_le_9", "leistungsfaehigkeit", size_bands={"grosstadt": cf.bands()})
        ),
        "I020",
        "sections/mobilitaet.yaml",
        "items[8].size_bands.grosstadt",
        "did you mean `grossstadt`",
    ),
    (
        "follow_up_heavier_than_the_gate_step",
        lambda f: f["sections/mobilitaet.yaml"]["items"][1].update(
            show_if=[{"item": "mob_le_0", "any_of": ["some", "full"]}]
        ),
        "C007",
        "sections/mobilitaet.yaml",
        "items[1].show_if[0].item",
        "going from `none` to `some` on `mob_le_0` gains 0.50",
    ),
    (
        "weighted_follow_up_of_a_number",
        lambda f: f["sections/mobilitaet.yaml"]["items"].extend(
            [
                cf.number_item("mob_le_8", "leistungsfaehigkeit"),
                cf.item("mob_le_9", "leistungsfaehigkeit", public=False, show_if=[{"item": "mob_le_8", "at_least": 2}]),
            ]
        ),
        "C008",
        "sections/mobilitaet.yaml",
        "items[9].show_if[0].item",
        "a follow-up of the number item `mob_le_8` carries weight",
    ),
    (
        "recommendation_without_triggers",
        lambda f: f["recommendations/wirtschaft.yaml"]["by_type"]["aktivistin"][0].pop("triggers"),
        "R008",
        "recommendations/wirtschaft.yaml",
        "by_type.aktivistin[0]",
        "has no `triggers`",
    ),
    (
        "trigger_in_another_domain",
        lambda f: f["recommendations/wirtschaft.yaml"]["by_type"]["aktivistin"][0].update(
            triggers=[{"item": "mob_le_0", "max_score": 0.5}]
        ),
        "R009",
        "recommendations/wirtschaft.yaml",
        "by_type.aktivistin[0].triggers[0].item",
        "is asked in mobilitaet, not here",
    ),
    (
        "not_if_unknown_option",
        lambda f: f["recommendations/wirtschaft.yaml"]["by_type"]["aktivistin"][0].update(
            not_if=[{"item": "g_le_0", "any_of": ["nothing"]}]
        ),
        "R009",
        "recommendations/wirtschaft.yaml",
        "by_type.aktivistin[0].not_if[0].item",
        "has no option nothing",
    ),
    (
        "unknown_size_scheme",
        lambda f: f["model.yaml"]["profile"]["body_kinds"][0].update(size_scheme="gemeinde"),
        "M008",
        "model.yaml",
        "profile.body_kinds[0].size_scheme",
        "did you mean `gemeinden`",
    ),
]


@pytest.mark.parametrize(("name", "change", "code", "file", "path", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_content__error(tmp_path, name, change, code, file, path, words):
    result = load_content(cf.build(tmp_path, change))
    assert not result.ok
    matching = [p for p in result.problems if p.code == code]
    assert matching, f"expected {code}, got:\n" + "\n".join(p.format() for p in result.problems)
    found = matching[0]
    assert found.file.endswith(file) or found.file == f"questionnaires/{file}"
    assert found.path == path
    text = found.format()
    assert words in text, text
    assert "Fix:" in text
    if found.line is not None:
        assert f"{found.file}:{found.line}" in text


def test_yaml_syntax_error__names_the_line(tmp_path):
    base = cf.build(tmp_path)
    path = base / "sections" / "wirtschaft.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5] + ': "unclosed'
    path.write_text("\n".join(lines), encoding="utf-8")
    result = load_content(base)
    problem = next(p for p in result.problems if p.code == "F003")
    assert problem.file == "questionnaires/sections/wirtschaft.yaml"
    assert problem.line is not None and 5 <= problem.line <= 8
    assert "double quotes" in problem.fix


def test_duplicate_key__error(tmp_path):
    base = cf.build(tmp_path)
    path = base / "sections" / "wirtschaft.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("section: wirtschaft", "section: wirtschaft\nsection: wirtschaft"),
        encoding="utf-8",
    )
    problem = next(p for p in load_content(base).problems if p.code == "F006")
    assert problem.line == 2 and problem.path == "section"


def test_empty_file__error(tmp_path):
    base = cf.build(tmp_path)
    (base / "sections" / "wirtschaft.yaml").write_text("", encoding="utf-8")
    codes = {p.code for p in load_content(base).problems}
    assert {"F004", "D001"} <= codes


def test_missing_folder__error(tmp_path):
    result = load_content(tmp_path / "nowhere")
    assert [p.code for p in result.problems] == ["F001"]


def test_stray_file__warning(tmp_path):
    base = cf.build(tmp_path)
    (base / "notes.txt").write_text("draft", encoding="utf-8")
    result = load_content(base)
    assert result.ok
    assert [p.code for p in result.warnings] == ["F005"]


def test_best_option_below_one__warning(tmp_path):
    result = load_content(cf.build(tmp_path, lambda f: _first_item(f)["options"][2].update(score=0.9)))
    assert result.ok
    assert [p.code for p in result.warnings] == ["I011"]


def test_every_code_is_documented():
    doc = (DEFAULT_CONTENT_DIR.parent / "docs" / "CONTENT.md").read_text(encoding="utf-8")
    for code, entry in CATALOGUE.items():
        assert f"| {code} | {entry.severity.value} |" in doc, f"{code} is missing from docs/CONTENT.md"


def test_every_documented_code_exists():
    import re

    doc = (DEFAULT_CONTENT_DIR.parent / "docs" / "CONTENT.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| ([A-Z]\d{3}) \|", doc, flags=re.M))
    assert documented == set(CATALOGUE)


def test_repeated_advice__warned_once_per_repeat(tmp_path):
    def repeat(files):
        title = files["recommendations/wirtschaft.yaml"]["by_type"]["bewahrerin"][0]["title"]
        files["recommendations/mobilitaet.yaml"]["by_type"]["bewahrerin"][0]["title"] = dict(title)

    result = load_content(cf.build(tmp_path, repeat))
    assert result.ok, "a repeat is a warning, not an error"
    (warning,) = [p for p in result.warnings if p.code == "R010"]
    assert warning.file.endswith("recommendations/wirtschaft.yaml") or "mobilitaet" in warning.file
    assert "cross_domain" in warning.format()


def test_topics__ok(tmp_path):
    result = load_content(cf.build(tmp_path, lambda f: f["sections/wirtschaft.yaml"].update(topics=_topics(_LE, _VE))))
    assert result.ok, "\n".join(p.format() for p in result.problems)
    topics = result.questionnaire.section("wirtschaft").topics
    assert [t.items for t in topics] == [_LE, _VE]
    assert topics[0].name.de == "Topic 0 (de)"
