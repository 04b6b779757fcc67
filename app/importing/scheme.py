"""The numbering scheme the source uses, read from the parsed tree: the form of each category level and of
the problems, and whether the problems are numbered across the notice or within each group."""
from __future__ import annotations

from collections import Counter

from app.numbering_scheme import NumberingScheme, NumberStyle, default_scheme


def detect_scheme(cat_styles: dict[int, Counter[NumberStyle]], problem_styles: Counter[NumberStyle],
                  across: bool, labels: Counter[str], unlabelled: int, progress: bool,
                  layout_style: str) -> NumberingScheme:
    fallback = default_scheme(layout_style)
    categories = tuple(cat_styles[level].most_common(1)[0][0] for level in sorted(cat_styles) if cat_styles[level])
    problems = problem_styles.most_common(1)[0][0] if problem_styles else fallback.problems
    extra: dict[str, str] = {}
    label, count = labels.most_common(1)[0] if labels else ("", 0)
    extra["narrative_label"] = label if count >= unlabelled else ""
    if progress:
        extra["progress_label"] = "整改进程"
    return NumberingScheme(categories, problems, across and bool(categories), extra)
