"""Topics: the taxonomy with counts (click a row to open it); a topic's learning points grouped
by review and document, the group with the most central point first, filtered by kind, type
and year, each with its context, the PDF and "Add to pack"."""

from __future__ import annotations

from itertools import groupby

import streamlit as st

from kb.app.common import (
    KIND_LABELS,
    actions,
    badges_html,
    cite_html,
    escape,
    get_kb,
    html,
    seed,
    set_url,
    style,
    url_list,
    url_param,
)
from kb.index.store import Filters
from kb.knowledge_base import KnowledgeBase, TopicSummary
from kb.outputs.packs import PackItem
from kb.passages.citation import Citation
from kb.records import DOC_TYPES, POINT_KINDS, LearningPoint

__all__ = ["grouped", "point_card", "point_filters", "render", "topic_table"]


def _table_clicked(ids: list[str]) -> None:
    rows = st.session_state["topics-table"].selection.rows
    if rows:
        st.session_state["topics-topic"] = ids[rows[0]]


def topic_table(summaries: list[TopicSummary]) -> None:
    ids = [s.topic.id for s in summaries]
    st.dataframe(
        [
            {"topic": s.topic.label, "learning points": s.points, "passages": s.passages}
            for s in summaries
        ],
        hide_index=True,
        width="stretch",
        on_select=lambda: _table_clicked(ids),
        selection_mode="single-row",
        key="topics-table",
    )


def point_filters(kb: KnowledgeBase) -> tuple[list[str], Filters, dict[str, str]]:
    years = sorted({d.year for d in kb.documents() if d.year})
    types = ["any", *DOC_TYPES]
    seed("topics-kinds", url_list("kinds", POINT_KINDS))
    seed("topics-type", url_param("type") if url_param("type") in types else "any")
    year_options = ["any", *map(str, years)]
    seed("topics-year", url_param("year") if url_param("year") in year_options else "any")
    kinds_col, type_col, year_col = st.columns(3)
    kinds = kinds_col.multiselect(
        "Kind", POINT_KINDS, format_func=lambda k: KIND_LABELS[k], key="topics-kinds"
    )
    doc_type = type_col.selectbox("Document type", types, key="topics-type")
    year = year_col.selectbox("Year", year_options, key="topics-year")
    chosen = None if year == "any" else int(year)
    filters = Filters(
        doc_type=None if doc_type == "any" else doc_type,
        year_from=chosen,
        year_to=chosen,
    )
    params = {
        "kinds": ",".join(kinds),
        "type": "" if doc_type == "any" else doc_type,
        "year": "" if year == "any" else year,
    }
    return kinds, filters, params


def render() -> None:
    style()
    kb = get_kb()
    st.title("Topics")
    summaries = kb.topics()
    if not summaries:
        st.info("No topics yet.")
        return
    by_id = {s.topic.id: s for s in summaries}
    topic_table(summaries)
    seed(
        "topics-topic", url_param("topic") if url_param("topic") in by_id else summaries[0].topic.id
    )
    topic_id = st.selectbox(
        "Choose a topic",
        list(by_id),
        format_func=lambda t: by_id[t].topic.label,
        key="topics-topic",
    )
    kinds, filters, params = point_filters(kb)
    set_url({"topic": topic_id, **params})
    topic = by_id[topic_id].topic
    st.caption(topic.description)
    points = [
        p
        for p in kb.points(topic=topic_id, filters=filters)
        if not kinds or (p.passage.point_kind or "learning") in kinds
    ]
    if not points:
        st.info("No learning points on this topic with these filters.")
        return
    st.caption(f"{len(points)} learning points, the most central to the topic first")
    for (review, title), group in grouped(points):
        html(f"<h3>{escape(review)} — {escape(title)}</h3>", "kb-group")
        for point in group:
            point_card(kb, point)


def grouped(points: list[LearningPoint]) -> list[tuple[tuple[str, str], list[LearningPoint]]]:
    """Points by review and document; the groups ordered by their most central point, and
    within a group the most central first."""

    def key(p: LearningPoint) -> tuple[str, str]:
        return (p.review or "General learning", p.document.title)

    ordered = sorted(points, key=lambda p: (key(p), -p.centrality))
    groups = [(k, list(g)) for k, g in groupby(ordered, key=key)]
    return sorted(groups, key=lambda g: -g[1][0].centrality)


def point_card(kb: KnowledgeBase, point: LearningPoint) -> None:
    passage = point.passage
    with st.container(border=True):
        html(badges_html(kb, [passage]), "kb-badges")
        lead = (
            f'<span class="kb-lead">{escape(passage.context)}</span><br>' if passage.context else ""
        )
        html(f"{lead}{escape(passage.text)}")
        html(cite_html(Citation.of(point.document, passage)), "kb-cite")
        actions(
            kb,
            point.document,
            [passage],
            f"t-{passage.passage_id}",
            "",
            lambda: PackItem.from_point(point),
        )
