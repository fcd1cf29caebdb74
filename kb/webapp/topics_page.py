"""Topics: the taxonomy with counts; a topic's learning points by review and document."""

from __future__ import annotations

from itertools import groupby

import streamlit as st

from kb.packs import PackItem
from kb.webapp.common import current_pack, escape, get_kb, pack_store, style


def render() -> None:
    style()
    kb = get_kb()
    st.title("Topics")
    summaries = kb.topics()
    st.dataframe(
        [
            {"topic": s.topic.label, "learning points": s.points, "passages": s.passages}
            for s in summaries
        ],
        hide_index=True,
        use_container_width=True,
    )
    by_id = {s.topic.id: s for s in summaries}
    wanted = st.query_params.get("topic", summaries[0].topic.id if summaries else "")
    ids = list(by_id)
    topic_id = st.selectbox(
        "Choose a topic",
        ids,
        format_func=lambda t: by_id[t].topic.label,
        index=ids.index(wanted) if wanted in ids else 0,
    )
    if not topic_id:
        return
    st.query_params["topic"] = topic_id
    topic = by_id[topic_id].topic
    st.caption(topic.description)
    points = kb.points(topic=topic_id)
    if not points:
        st.info("No learning points on this topic yet.")
        return

    # Grouped by review and document; within a group, the most central first.
    def group_key(p):  # noqa: ANN001, ANN202
        return (p.review or "General learning", p.document.title)

    ordered = sorted(points, key=lambda p: (group_key(p), -p.centrality))
    for (review, title), group in groupby(ordered, key=group_key):
        st.subheader(f"{review} — {title}")
        for point in group:
            with st.container(border=True):
                st.markdown(
                    f'<div class="kb-text">{escape(point.passage.text)}</div>',
                    unsafe_allow_html=True,
                )
                where = f"p. {point.passage.page} · " if point.passage.page else ""
                st.caption(
                    f"{where}{point.passage.section_path} · centrality {point.centrality:.2f}"
                )
                if st.button("Add to pack", key=f"tp-{point.passage.passage_id}"):
                    pack_store().add(current_pack(), PackItem.from_point(point))
                    st.toast(f"Added to '{current_pack()}'")
