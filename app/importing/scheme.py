"""The numbering scheme the source uses, read from the parsed tree: the form of each category level and of
the problems, and whether the problems are numbered across the notice or within each group."""
from __future__ import annotations

from collections import Counter

from app.numbering_scheme import NumberingScheme, NumberStyle, default_scheme


def detect_scheme(cat_styles: dict[int, Counter[NumberStyle]], problem_styles: Counter[NumberStyle],
                  across: bool, labels: Counter[str], unlabelled: int, progress: Counter[str],
                  layout_style: str) -> NumberingScheme:
    fallback = default_scheme(layout_style)
    categories = tuple(cat_styles[level].most_common(1)[0][0] for level in sorted(cat_styles) if cat_styles[level])
    problems = problem_styles.most_common(1)[0][0] if problem_styles else fallback.problems
    extra: dict[str, str] = {}
    label, count = labels.most_common(1)[0] if labels else ("", 0)
    extra["narrative_label"] = label if count >= unlabelled else ""
    if progress:
        extra["progress_label"] = progress.most_common(1)[0][0]
    return NumberingScheme(categories, problems, across and bool(categories), extra)


def describe_scheme(scheme: NumberingScheme) -> str:
    """The scheme in words for the clerk: "（一） → 1. → 1)，问题全文连续编号"."""
    levels = [s.value for s in scheme.categories] + [scheme.problems.value]
    how = "问题全文连续编号" if scheme.problems_across else "问题在各组内分别编号"
    if not scheme.categories:
        how = "问题依次编号"
    label = scheme.extra.get("narrative_label")
    tail = "" if label is None else (f"，整改情况前标“{label}：”" if label else "，整改情况前无标签")
    return f"{' → '.join(levels)}，{how}{tail}"
