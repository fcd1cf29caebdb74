"""Text cleaning: what a reader would otherwise see as broken words and stray numbers."""

from kb.ingest.clean import (
    clean_line,
    dehyphenate,
    normalise_characters,
    strip_running_lines,
)


def test_words_hyphenated_across_lines_are_rejoined() -> None:
    text = "the social worker completed an assess-\nment of the family"
    assert "assessment of the family" in dehyphenate(text).replace("\n", " ")


def test_real_hyphenated_compounds_keep_their_hyphen() -> None:
    text = "a multi-agency audit found that the multi-\nagency response was slow"
    assert "multi-agency response" in dehyphenate(text).replace("\n", " ")


def test_ligatures_and_smart_quotes_are_normalised() -> None:
    assert (
        normalise_characters("\ufb01nding \ufb02ow \u2018Baby F\u2019") == "finding flow 'Baby F'"
    )


def test_footnote_markers_are_kept_out_of_words() -> None:
    cleaned = normalise_characters(
        "Harrow is an affluent borough\u00b9, but there is poverty\u00b2."
    )
    assert cleaned == "Harrow is an affluent borough, but there is poverty."


def test_an_unmapped_glyph_is_a_bullet_at_a_line_start_and_a_space_elsewhere() -> None:
    # pdfminer writes a glyph its font gives no character for as "(cid:127)".
    assert clean_line("(cid:127) how well agencies knew") == "• how well agencies knew"
    assert clean_line("the(cid:3)child(cid:3)was seen") == "the child was seen"
    # A glyph alone on its line does not make the next line (a heading) an item.
    assert normalise_characters("(cid:3)\nKey findings").endswith("\nKey findings")


def test_footnote_lines_keep_their_number_apart() -> None:
    assert normalise_characters("\u2076 Sec 47 Children Act 1989").startswith("[6] Sec 47")


def test_running_headers_footers_and_page_numbers_are_removed() -> None:
    bodies = [
        "Fathers were not seen.",
        "The family moved.",
        "Records were late.",
        "Checks were missed.",
        "Escalation worked.",
    ]
    pages = [
        [
            "Harrow SCR - Baby F",
            f"Finding {n}: {body}",
            "Analysis follows here.",
            "More text",
            f"Summary of finding {n} for page {n}, which is about {body.lower()}",
            f"Page {n}",
        ]
        for n, body in enumerate(bodies, start=1)
    ]
    cleaned = strip_running_lines(pages)
    flat = [line for page in cleaned for line in page]
    assert not any("Harrow SCR" in line or line.startswith("Page ") for line in flat)
    assert "Finding 3: Records were late." in flat


def test_a_line_repeated_in_the_body_is_not_taken_for_a_header() -> None:
    pages = [["Intro", "Learning points", "a", "b", "c", "d", "Learning points", "x", "y", "z"]]
    assert strip_running_lines(pages)[0].count("Learning points") == 2


def test_a_footer_printed_apart_from_its_page_number_on_one_page_is_still_a_footer() -> None:
    footer = "Working together to keep our children safe"
    body = ["Body text of the page.", "More body text here.", "The end."]
    pages = [[f"Report {n}", *body] for n in (1, 2, 3, 4)]
    pages[0] += [footer, "1"]  # the cover: the number set apart
    for n, page in enumerate(pages[1:], start=2):
        page.append(f"{footer} {n}")
    flat = [line for page in strip_running_lines(pages) for line in page]
    assert not any(footer in line for line in flat)


def test_a_year_at_a_lines_end_is_no_page_number() -> None:
    from kb.ingest.clean import line_key

    assert line_key("Working Together to Safeguard Children 2018") != line_key(
        "Working Together to Safeguard Children"
    )
    assert line_key("Keeping children safe 3") == line_key("Keeping children safe")
