"""From a notice's (or a feedback document's) text to a ParsedNotice: structure, facts, warnings.

Lines get a numbering kind; part 二 is the part whose numbered lines carry 整改情况 blocks;
the kind that heads those blocks is the problem level, shallower kinds are categories.
Nothing is guessed silently: every doubtful place becomes a warning with its line number.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from app.importing import facts as F
from app.importing.model import ParsedCategory, ParsedNotice, ParsedProblem
from app.importing.numbering import DEPTH, ITEM, Kind, Numbered, classify, normalise
from app.numerals import parse_date, to_chinese
from db.models import Status

LABEL = re.compile(r"^(整改情况|整改措施及成效|整改措施和成效|整改成效|整改进展情况|整改进展|整改落实情况|整改措施)\s*[：:]\s*(.*)$")
PROGRESS = re.compile(r"^整改进程\s*[：:]\s*(.*)$")
FURNITURE = re.compile(
    r"^(打印本页|【?打印】?|关闭窗口|【?关闭】?|扫一扫.*|分享到.*|【字体.*|字号[：:].*|浏览次数.*|阅读次数.*|访问量.*|"
    r"来源\s*[：:].*|发布时间\s*[：:].*|责任编辑\s*[：:].*|\d{4}-\d{1,2}-\d{1,2}(\s+\d{1,2}:\d{2}(:\d{2})?)?|"
    r"\[?(大|中|小)\]?\s*\[?(大|中|小)\]?\s*\[?(大|中|小)\]?|上一篇.*|下一篇.*|【?收藏】?|返回顶部)$")
CLOSING = re.compile(r"^(欢迎|如有意见|联系方式|联系电话|监督电话|公开期限)")
QUOTED_PROBLEM = re.compile(r"^关于[“\"](.+)[”\"]的问题[。.]?$")
LOST_DATE = re.compile(r"(?<![\d年])(\d{4})(\d{1,2})(\d{1,2})日|(\d{4})年(\d{3,4})日")


@dataclass
class Line:
    no: int              # 1-based in the source
    text: str
    num: Numbered | None


def parse_notice(text: str) -> ParsedNotice:
    notice = ParsedNotice()
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    notice.lines = raw
    lines: list[Line] = []
    for i, t in enumerate(raw, 1):
        t = t.strip().replace("\u3000", " ").strip()
        if not t:
            continue
        if FURNITURE.match(t):
            notice.dropped.append((i, t))
            continue
        lines.append(Line(i, t, classify(t)))
    if not lines:
        notice.warn(0, "文件中没有文字内容。")
        return notice

    _check_dates(lines, notice)
    used = F.read_metadata([ln.text for ln in lines], notice.facts, notice)
    lines = lines[used:]
    lines = _read_title(lines, notice)
    lines = _read_ending(lines, notice)
    if any(LABEL.match(ln.text) for ln in lines):
        _read_notice_body(lines, notice)
    else:
        _read_feedback_body(lines, notice)
    # Figures come from the notice's own prose, not from the problems' narratives
    # (a narrative's "13条问题线索" is not the number of problems).
    prose = [notice.opening, notice.part_one, notice.part_two_intro, notice.part_three]
    F.read_statistics(normalise("\n".join(prose)), notice.statistics)
    _check_counts(notice)
    return notice


# -- head and tail ---------------------------------------------------------------------------
def _read_title(lines: list[Line], notice: ParsedNotice) -> list[Line]:
    first = lines[0]
    is_opening = first.text.startswith(("根据", "按照", "依据")) or ("巡察组" in first.text and "。" in first.text)
    if first.num is None and not is_opening and len(first.text) <= 80:
        notice.facts.title = notice.facts.title or first.text
        if notice.facts.title != first.text:
            notice.warn(first.no, "标题与网页信息栏中的标题不一致，已采用信息栏中的标题。")
        lines = lines[1:]
    elif not notice.facts.title:
        notice.warn(first.no, "没有找到通报标题，将按轮次信息生成，请在“通报文本”中核对。")
    if lines and lines[0].num is None:
        notice.opening = lines[0].text
        F.read_opening(lines[0].text, notice.facts, lines[0].no, notice)
        return lines[1:]
    notice.warn(lines[0].no if lines else 0, "没有找到开头段（“根据……统一部署……”），请在“通报文本”中补写。")
    return lines


def _read_ending(lines: list[Line], notice: ParsedNotice) -> list[Line]:
    """Signature and date at the end, then the closing (supervision and contact) paragraphs."""
    end = len(lines)
    if end and _as_date(lines[end - 1].text):
        notice.facts.sign_date = _as_date(lines[end - 1].text)
        end -= 1
        if end and len(lines[end - 1].text) <= 40 and "。" not in lines[end - 1].text and lines[end - 1].num is None:
            notice.facts.signature = lines[end - 1].text
            end -= 1
    else:
        notice.warn(lines[-1].no if lines else 0, "末尾没有找到成文日期，请在“通报文本”中填写。")
    if not notice.facts.signature:
        notice.warn(lines[end - 1].no if end else 0, "末尾没有找到署名，请在“通报文本”中填写。")
    start = end
    while start > 0 and CLOSING.match(lines[start - 1].text) and lines[start - 1].num is None:
        start -= 1
    closing = [ln.text for ln in lines[start:end]]
    notice.contact_paragraph = "\n".join(closing)
    joined = normalise("".join(closing))
    F.read_contact(joined, notice.facts.contact)
    F.read_disclosure(joined, notice.facts)
    return lines[:start]


def _as_date(text: str) -> dt.date | None:
    try:
        return parse_date(normalise(text).replace(" ", ""))
    except ValueError:
        return None


def _check_dates(lines: list[Line], notice: ParsedNotice) -> None:
    for ln in lines:
        for m in LOST_DATE.finditer(normalise(ln.text)):
            notice.warn(ln.no, f"日期“{m.group(0)}”缺字，无法确定是哪一天，请核对原文。")


# -- a published notice: parts 一 二 三 -------------------------------------------------------------
def _read_notice_body(lines: list[Line], notice: ParsedNotice) -> None:
    parts = [i for i, ln in enumerate(lines) if ln.num and ln.num.kind == Kind.CN_COMMA]
    label_at = [i for i, ln in enumerate(lines) if LABEL.match(ln.text)]
    two = max((p for p in parts if p < label_at[0]), default=None)
    if two is None:
        notice.warn(lines[label_at[0]].no, "“整改情况”之前没有“二、”这样的部分标题，已从开头起按问题读取。")
        body_start, before = 0, []
    else:
        body_start, before = two + 1, lines[:two]
    three = next((p for p in parts if p > label_at[-1]), None)
    body_end = three if three is not None else len(lines)
    notice.part_one = "\n".join(ln.text for ln in before)
    notice.part_three = "\n".join(ln.text for ln in lines[body_end:])
    heading = lines[two].text if two is not None else ""
    body = lines[body_start:body_end]
    problem_kind = _problem_kind(body)
    intro = _read_part_two(body, problem_kind, notice)
    notice.part_two_intro = "\n".join([heading] + intro if heading else intro)
    has_progress = any(PROGRESS.match(ln.text) for ln in body)
    notice.layout_style = ("B" if problem_kind == Kind.PROBLEM else
                           "C" if has_progress or problem_kind == Kind.AR_PAREN else "A")


def _problem_kind(body: list[Line]) -> Kind:
    """The numbering kind that most often stands before a 整改情况 block."""
    votes: Counter[Kind] = Counter()
    for i, ln in enumerate(body):
        if LABEL.match(ln.text):
            for back in range(i - 1, max(i - 6, -1), -1):
                prev = body[back]
                if LABEL.match(prev.text):
                    break
                if prev.num and not PROGRESS.match(prev.text):
                    votes[prev.num.kind] += 1
                    break
    return votes.most_common(1)[0][0] if votes else Kind.AR_DOT


def _is_category(body: list[Line], i: int, problem_kind: Kind) -> bool:
    """A shallower numbered line is a category if a problem heading comes before the next 整改情况."""
    ln = body[i]
    if ln.num is None or ln.num.kind == problem_kind or DEPTH[ln.num.kind] >= DEPTH[problem_kind]:
        return False
    for nxt in body[i + 1:]:
        if LABEL.match(nxt.text):
            return False
        if nxt.num and nxt.num.kind == problem_kind:
            return True
    return False


def _read_part_two(body: list[Line], problem_kind: Kind, notice: ParsedNotice) -> list[str]:
    intro: list[str] = []
    cat_kinds: list[Kind] = []
    stack: list[ParsedCategory] = []
    current: ParsedProblem | None = None
    in_narrative = False
    last_number = 0

    def container() -> list[ParsedProblem]:
        return stack[-1].problems if stack else notice.problems

    for i, ln in enumerate(body):
        label, progress = LABEL.match(ln.text), PROGRESS.match(ln.text)
        if progress:
            if current is None or current.narrative:
                notice.warn(ln.no, "“整改进程”前面没有对应的问题标题。")
                current = _placeholder(last_number + 1, ln.no, container(), notice)
                last_number = current.number
            current.progress_line = progress.group(1).strip()
            current.status = _status_from(current.progress_line)
            continue
        if label:
            if current is None or in_narrative:
                current = _placeholder(last_number + 1, ln.no, container(), notice)
                last_number = current.number
            in_narrative = True
            current.narrative_line = ln.no
            first = label.group(2).strip()
            if first:
                current.narrative.append(first)
            continue
        if ln.num and ln.num.kind == problem_kind:
            number = ln.num.number
            if current is not None and not current.narrative:
                notice.warn(current.line, f"问题 {current.number} 没有“整改情况”。")
            if number == last_number:
                notice.warn(ln.no, f"问题序号 {number} 重复。")
            elif number > last_number + 1 and not (number == 1):
                notice.warn(ln.no, f"问题序号从 {last_number} 跳到 {number}，中间缺少 {number - last_number - 1} 个。")
            current = ParsedProblem(number=number, text=ln.num.rest, line=ln.no)
            m = QUOTED_PROBLEM.match(ln.num.rest)
            if m:
                current.text = m.group(1)
            container().append(current)
            last_number, in_narrative = number, False
            continue
        if _is_category(body, i, problem_kind):
            assert ln.num is not None
            if ln.num.kind not in cat_kinds:
                cat_kinds.append(ln.num.kind)
                cat_kinds.sort(key=lambda k: DEPTH[k])
            level = cat_kinds.index(ln.num.kind)
            if level > 1:
                notice.warn(ln.no, "分类超过两级，已并入上一级分类。")
                level = 1
            cat = ParsedCategory(ln.num.rest, ln.no)
            del stack[level:]
            (stack[-1].children if stack else notice.categories).append(cat)
            stack.append(cat)
            current, in_narrative = None, False
            continue
        if in_narrative and current is not None:
            current.narrative.append(ln.text)
        elif current is not None:
            # The heading was a title; the problem's text follows it.
            if not current.title:
                current.title, current.text = current.text, ln.text
            else:
                current.text += "\n" + ln.text
        elif stack:
            notice.warn(ln.no, "分类标题下、第一个问题之前的文字已并入分类名称后的说明，请核对。")
            stack[-1].text += "\n" + ln.text
        else:
            intro.append(ln.text)
    if current is not None and not current.narrative:
        notice.warn(current.line, f"问题 {current.number} 没有“整改情况”。")
    return intro


def _placeholder(number: int, line: int, into: list[ParsedProblem], notice: ParsedNotice) -> ParsedProblem:
    notice.warn(line, f"这段整改情况前面缺少问题标题，已作为第 {number} 个问题导入，问题内容待补充。")
    problem = ParsedProblem(number=number, text="", line=line)
    into.append(problem)
    return problem


def _status_from(progress: str) -> Status:
    if "长期坚持" in progress or "持续推进" in progress:
        return Status.LONG_TERM
    if re.search(r"正在|整改中|推进中|未完成", progress):
        return Status.IN_PROGRESS
    return Status.DONE


# -- a feedback document (巡察反馈意见): problems without narratives --------------------------------------
def _read_feedback_body(lines: list[Line], notice: ParsedNotice) -> None:
    kinds = [ln.num.kind for ln in lines if ln.num]
    if not kinds:
        notice.warn(0, "没有找到带编号的问题。")
        return
    deepest = max(set(kinds), key=lambda k: (DEPTH[k], kinds.count(k)))
    notice.layout_style = "C" if len(set(kinds)) >= 3 else "A"
    intro = _read_part_two(lines, deepest, notice)
    notice.part_two_intro = "\n".join(intro)
    for p in notice.all_problems():
        p.status = Status.NOT_STARTED
    notice.warnings = [w for w in notice.warnings if "没有“整改情况”" not in w.message]


def _check_counts(notice: ParsedNotice) -> None:
    stats, problems = notice.statistics, notice.all_problems()
    if stats.in_progress and stats.done and not any(p.status == Status.IN_PROGRESS for p in problems):
        notice.warn(0, f"通报称 {stats.in_progress} 个问题正在整改，但未指明是哪一个；已全部按“已完成”导入，请核对状态。")


def split_items(paragraphs: list[str]) -> list[str]:
    """一是……；二是……。 items of a narrative, for turning into measures."""
    text = "\n".join(paragraphs)
    starts = [m.start() for m in re.finditer(rf"(?:^|(?<=[。；;！\n]))\s*({'|'.join(to_chinese(n) for n in range(1, 31))})是", text)]
    if len(starts) < 2:
        return []
    items = [text[a:b].strip().rstrip("；;") for a, b in zip(starts, starts[1:] + [len(text)], strict=True)]
    return [re.sub(r"\s+", "", i) for i in items if ITEM.match(i)]
