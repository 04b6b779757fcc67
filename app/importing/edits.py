"""Corrections the user makes to a ParsedNotice before it is stored (the import dialog's tools).

Each function changes the parsed tree in place and raises ValueError with a Chinese message
when the change makes no sense where it was asked for.
"""
from __future__ import annotations

from app.importing.model import ParsedCategory, ParsedNotice, ParsedProblem


def _containers(notice: ParsedNotice) -> list[tuple[ParsedCategory | None, list[ParsedProblem]]]:
    out: list[tuple[ParsedCategory | None, list[ParsedProblem]]] = [(None, notice.problems)]

    def walk(cats: list[ParsedCategory]) -> None:
        for c in cats:
            out.append((c, c.problems))
            walk(c.children)
    walk(notice.categories)
    return out


def _find(notice: ParsedNotice, problem: ParsedProblem) -> tuple[ParsedCategory | None, list[ParsedProblem]]:
    for cat, items in _containers(notice):
        if any(p is problem for p in items):
            return cat, items
    raise ValueError("找不到这个问题。")


def _siblings(notice: ParsedNotice, category: ParsedCategory) -> tuple[ParsedCategory | None, list[ParsedCategory]]:
    """The category's parent (None at the top) and the list it stands in, at any depth."""
    if any(c is category for c in notice.categories):
        return None, notice.categories
    stack = list(notice.categories)
    while stack:
        c = stack.pop()
        if any(ch is category for ch in c.children):
            return c, c.children
        stack.extend(c.children)
    raise ValueError("找不到这个分类。")


def _renumber(notice: ParsedNotice) -> None:
    for n, p in enumerate(notice.all_problems(), 1):
        p.number = n


def _previous(notice: ParsedNotice, problem: ParsedProblem) -> ParsedProblem:
    flat = notice.all_problems()
    i = next(i for i, p in enumerate(flat) if p is problem)
    if i == 0:
        raise ValueError("这是第一个问题，前面没有问题。")
    return flat[i - 1]


def split_problem(notice: ParsedNotice, problem: ParsedProblem, paragraph: int) -> ParsedProblem:
    """Paragraphs from `paragraph` on become a new problem right after this one."""
    if paragraph == 0:
        raise ValueError("请选择整改情况中第二段或之后的段落作为拆分点。")
    _cat, items = _find(notice, problem)
    new = ParsedProblem(number=problem.number + 1, text="", line=problem.line,
                        narrative=problem.narrative[paragraph:], status=problem.status)
    del problem.narrative[paragraph:]
    items.insert(next(i for i, p in enumerate(items) if p is problem) + 1, new)
    _renumber(notice)
    return new


def merge_with_previous(notice: ParsedNotice, problem: ParsedProblem) -> None:
    prev = _previous(notice, problem)
    if problem.text and problem.text not in prev.text:
        prev.text = f"{prev.text}\n{problem.text}" if prev.text else problem.text
    prev.narrative += problem.narrative
    _cat, items = _find(notice, problem)
    items.remove(problem)
    _renumber(notice)


def move_paragraph_back(notice: ParsedNotice, problem: ParsedProblem, paragraph: int) -> None:
    """A paragraph that belongs to the previous problem's narrative (and those before it in this one)."""
    prev = _previous(notice, problem)
    moved = problem.narrative[:paragraph + 1]
    del problem.narrative[:paragraph + 1]
    prev.narrative += moved


def promote_problem(notice: ParsedNotice, problem: ParsedProblem) -> ParsedCategory:
    """The problem's heading was a category heading: it becomes one, taking the problems after it."""
    cat, items = _find(notice, problem)
    i = next(i for i, p in enumerate(items) if p is problem)
    if problem.narrative and i == 0:
        raise ValueError("这个问题有整改情况，不能直接升为分类；请先把整改情况移到上一个问题。")
    if problem.narrative:  # its narrative belonged to the problem before the heading
        items[i - 1].narrative += problem.narrative
    new = ParsedCategory(text=problem.text or problem.title, line=problem.line, problems=items[i + 1:])
    del items[i:]
    if cat is None:
        notice.categories.insert(0, new)
    else:  # the new category stands under the one that held the problem, before its sub-categories
        cat.children.insert(0, new)
    _renumber(notice)
    return new


def demote_category(notice: ParsedNotice, category: ParsedCategory) -> ParsedProblem:
    """A category heading that is really a problem: it becomes one, its problems (at any depth) follow it."""
    problem = ParsedProblem(number=0, text=category.text, line=category.line)
    moved = [problem] + category.problems

    def gather(cats: list[ParsedCategory]) -> None:
        for c in cats:
            moved.extend(c.problems)
            gather(c.children)
    gather(category.children)
    owner, siblings = _siblings(notice, category)
    i = next(k for k, c in enumerate(siblings) if c is category)
    if i > 0:
        target = siblings[i - 1].problems
    else:
        target = owner.problems if owner is not None else notice.problems
    siblings.pop(i)
    target.extend(moved)
    _renumber(notice)
    return problem


def delete_node(notice: ParsedNotice, node: ParsedProblem | ParsedCategory) -> None:
    if isinstance(node, ParsedProblem):
        _cat, items = _find(notice, node)
        items.remove(node)
    else:
        if node.problems or node.children:
            raise ValueError("分类下还有问题或下级分类，不能删除；可以“降为问题”或先移走其中的问题。")
        _owner, siblings = _siblings(notice, node)
        siblings.remove(node)
    _renumber(notice)
