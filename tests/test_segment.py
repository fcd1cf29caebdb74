"""Segmentation of the sample corpus along its own structure."""

from dataclasses import replace

from kb.ingest import parse
from kb.passages.segment import segment, split_long
from tests.conftest import SAMPLE


def _passages():
    parsed = parse(SAMPLE, SAMPLE.read_bytes())
    return segment("harrow", parsed.blocks)


def test_baby_f_learning_points_are_four_passages_in_the_baby_f_section() -> None:
    passages = _passages()
    lead = "Other important learning points from the review were:"
    points = [p for p in passages if p.context == lead]
    assert len(points) == 4
    assert all(p.kind == "bullet" for p in points)
    assert all("'Baby F'" in p.section[-1] for p in points)
    assert all(p.reviews == ("Baby F",) for p in points)
    assert points[3].text.startswith("Greater effort should be made to contact and involve fathers")


def test_section_path_nests_under_the_top_level_heading() -> None:
    fathers = next(p for p in _passages() if p.text.startswith("The HSCB developed a course"))
    assert fathers.section[0] == "Learning from Serious Case & Learned Lessons Reviews"
    assert fathers.section[-1] == "Outcomes / Impact"


def test_long_blocks_of_the_corpus_are_cut_only_between_sentences() -> None:
    passages = _passages()
    assert max(len(p.text) for p in passages) <= 800
    blocks = [b for b in parse(SAMPLE, SAMPLE.read_bytes()).blocks if len(b.text) > 600]
    assert len(blocks) >= 5
    split = [split_long(block.text, 600) for block in blocks]
    assert sum(len(chunks) for chunks in split) > len(blocks)
    for chunks in split:
        assert all(c.rstrip()[-1] in ".!?:\")'" for c in chunks[:-1])


def test_contents_lines_are_not_passages() -> None:
    assert not any("Foreword by the Independent Chair" in p.text for p in _passages())


def test_long_blocks_are_split_between_sentences() -> None:
    text = " ".join(
        f"Sentence number {i} talks about the need to share information." for i in range(30)
    )
    chunks = split_long(text, 300)
    assert len(chunks) > 3
    assert all(c.endswith("information.") for c in chunks)
    assert " ".join(chunks) == text


def test_a_label_with_its_title_and_description_heads_its_section() -> None:
    # "Priority 4: Effective collaboration: ensuring that ..." is one long line in the report.
    safer = next(p for p in _passages() if p.text.startswith("Safer Harrow also takes"))
    assert safer.section[-1] == "Priority 4: Effective collaboration"


def test_footnotes_tables_and_short_paragraphs_keep_their_own_shape() -> None:
    passages = _passages()
    note = next(p for p in passages if "Sec 47 Children Act 1989" in p.text)
    assert note.kind == "note" and note.text.startswith("[6]")
    table = next(p for p in passages if p.text.startswith("2015 | 2016"))
    assert table.kind == "table" and "England | 6% | 9%" in table.text
    assert table.context.startswith("Percentage of Children Looked after who had a missing")
    # One-sentence paragraphs of a section share a passage, each on its own line.
    panel = next(p for p in passages if p.text.startswith("The Panel held four meetings"))
    assert panel.text.split("\n")[1].startswith("It is important to note that as the number")
    assert max(len(p.text) for p in passages if "\n" in p.text and p.kind == "paragraph") <= 600


def test_a_heading_that_states_a_finding_is_a_point_shown_above_its_text() -> None:
    from kb.records import Block
    from kb.retrieval.search import Ranked, shown_units

    blocks = (
        Block("heading", "Findings", 1, level=1),
        Block("heading", "Finding 3: Permanent exclusion removed a protective factor", 1, level=2),
        Block("paragraph", "School was the place where Child T was seen every day by adults.", 1),
        Block("paragraph", "The review found that leads were not consulted before it.", 1),
        Block("heading", "Context", 2, level=1),
        Block("paragraph", "The borough has a population of a quarter of a million people.", 2),
    )
    passages = [replace(p, passage_id=p.seq) for p in segment("t", blocks)]
    statement = passages[0]
    assert statement.text == "Finding 3: Permanent exclusion removed a protective factor"
    assert statement.point_kind == "finding"
    assert statement.section == ("Findings", statement.text)
    assert passages[1].text.startswith("School was the place")  # the text it heads follows
    # A result on the text that opens the section shows the statement above it, once.
    by_id = {p.passage_id: p for p in passages}
    groups = [(Ranked(1, 1.0), ()), (Ranked(0, 0.9), ())]
    units = shown_units(groups, by_id, lambda p: passages, limit=5)
    assert [[p.passage_id for p in shown] for _, shown in units] == [[0, 1]]


def test_a_heading_that_only_names_a_subject_is_no_point() -> None:
    from kb.records import Block

    blocks = (
        Block("heading", "Lesson 2: The voice of the child", 1, level=2),
        Block("paragraph", "Children were not asked what life at home was like for them.", 1),
    )
    assert [p.text for p in segment("t", blocks)] == [blocks[1].text]


def test_list_items_shown_together_keep_the_short_gaps_between_them() -> None:
    from kb.records import Block
    from kb.retrieval.search import Ranked, shown_units

    items = [
        "Speak to fathers and male carers directly, and on their own where you can.",
        "Give safe sleep advice to every adult who cares for a baby, not only the mother.",
        "Invite fathers to appointments and send letters to both parents at every stage.",
        "Record the name and date of birth of every adult who lives in the household.",
        "Ask the police and children's services about the past of any new partner.",
        "Check who a child spends time with outside school, and who drives them home.",
        "Remember that a father who does not live with the child may still protect them.",
    ]
    blocks = (
        Block("heading", "Learning for practice", 1, level=1),
        *(Block("bullet", item, 1) for item in items),
    )
    passages = [replace(p, passage_id=p.seq) for p in segment("t", blocks)]
    by_text = {p.text: p for p in passages}
    first, third, last = (by_text[items[i]] for i in (0, 2, 6))
    by_id = {p.passage_id: p for p in passages}
    # The list is too long to show whole. The first and third items matched: the second,
    # between them, is shown too; the last matched as well, but three items lie between,
    # so they are left out.
    groups = [(Ranked(first.passage_id, 1.0), (first, third, last))]
    units = shown_units(groups, by_id, lambda p: passages, limit=5, max_chars=400)
    assert [p.text for p in units[0][1]] == [items[0], items[1], items[2], items[6]]
    # Where the gap would take the result past what a list may show, it stays a gap.
    units = shown_units(groups, by_id, lambda p: passages, limit=5, max_chars=160)
    assert [p.text for p in units[0][1]] == [items[0], items[2], items[6]]
