"""The importer's rules one by one, on short notices written the way offices write them (issue 12)."""
from __future__ import annotations

import datetime as dt

import pytest

from app.importing.numbering import classify, damaged
from app.importing.parser import parse_notice
from app.numbering_scheme import NumberStyle
from db.models import Status
from tests.app.import_checks import lost_paragraphs, stored_texts, tree_of

WEB_TWO_LINE_TITLE = """网站首页 | 机构概况 | 政务公开 | 办事服务 | 互动交流
当前位置：首页 > 政务公开 > 巡察整改
中共XX市统计局党组
关于市委第五巡察组巡察反馈意见整改情况的通报
（2022年1月6日）
来源：市统计局   作者：办公室   点击数：256
【打印】 【关闭】
根据市委统一部署，2021年4月7日至6月10日，市委第五巡察组对市统计局党组开展了常规巡察，7月23日反馈了巡察意见。现将整改进展情况公布如下。
一、整改工作总体情况
局党组把巡察整改作为重大政治任务，成立整改工作领导小组，制定整改方案，建立整改台账，实行清单化管理、项目化推进。
二、整改任务落实情况
（一）关于政治建设方面
1.学习贯彻习近平新时代中国特色社会主义思想不够深入。
整改情况：局党组修订了理论学习中心组学习制度，2021年共开展集中学习12次。
2.落实意识形态工作责任制不到位。
整改情况：制定意识形态工作责任清单，每半年专题研究一次意识形态工作。
（二）关于统计数据质量方面
3.统计数据审核把关不严。
整改情况：建立数据质量三级审核制度，对2021年数据逐项复核，纠正差错17处。
三、下一步打算
持续巩固整改成果，确保问题不反弹。
欢迎干部群众监督。联系电话：0571-12345678。
2021年12
【打印本页】【关闭窗口】"""

WITHIN_GROUPS = """中共XX镇委员会关于县委第二巡察组反馈意见整改进展情况的通报
按照县委统一部署，2021年9月1日至10月31日，县委第二巡察组对XX镇党委进行了常规巡察，并于12月10日反馈了巡察意见。
一、整改工作开展情况
镇党委召开专题会议研究部署整改工作。
二、反馈问题整改落实情况
（一）党的领导方面
1.理论学习不扎实
（1）理论学习中心组学习计划性不强。
整改进展：已完成
整改情况：制定年度学习计划，明确学习专题。具体措施如下：
（1）每月开展一次集中学习；
（2）每季度开展一次专题研讨。
（2）学习研讨流于形式。
整改进展：已完成
整改情况：规范研讨程序，要求班子成员撰写研讨材料。
2.意识形态工作不到位
（1）意识形态阵地管理不严。
整改进展：正在推进
整改情况：开展阵地排查，清理过期宣传栏3处。
（二）全面从严治党方面
1.主体责任落实不到位
（1）“两个责任”清单不具体。
整改进展：已完成
整改情况：修订“两个责任”清单，细化责任事项32项。
三、下一步工作计划
继续深化整改。
中共XX镇委员会
2022年2月15日"""

MIXED_LABELS = """中共XX县审计局党组关于巡察整改进展情况的通报
根据县委统一部署，2021年5月至6月，县委第三巡察组对县审计局党组开展了巡察，7月15日反馈意见，指出3个方面8个问题。
一、组织领导情况
（一）强化组织领导
成立整改领导小组。
（二）细化整改方案
制定整改方案。
（三）关于政治建设方面
(1)学习贯彻上级精神不及时。
整改情况:召开党组会第一时间传达学习。
(2)“第一议题”制度落实不严格。
将“第一议题”学习纳入党组会固定议程。
(3)意识形态工作薄弱。
整改情况:制定意识形态工作实施办法。
（四）关于审计业务方面
(4)审计项目质量不高。
建立审计质量控制制度。
(5审计整改跟踪不到位。
建立审计整改台账。
(6)审计人员专业能力不足。
组织业务培训3期。
（五）关于作风建设方面
(7)公车管理不规范。
完善公车使用登记制度。
(8)会议经费管理不严。
整改情况:出台会议费管理办法。
三、下一步打算
巩固成果。
中共XX县审计局党组
2021年12月30日"""

PROBLEM_CN = """中共XX区委员会关于巡察整改情况的通报
根据市委统一部署，2021年3月至5月，市委第一巡察组对XX区委进行了巡察，反馈了3个方面5个问题。
一、整改工作开展情况
区委高度重视巡察整改工作。
二、巡察反馈问题整改情况
（一）党的政治建设方面
问题一：贯彻新发展理念不到位。
整改措施及成效：制定实施方案。
问题二：防范化解重大风险不力。
整改措施及成效：建立风险台账。
（二）全面从严治党方面
问题三：管党治党不严。
整改措施及成效：开展警示教育。
问题四监督执纪问责不力。
整改措施及成效：加强执纪审查。
（三）基层党建方面
问题五：基层党组织软弱涣散。
整改措施及成效：整顿软弱涣散村党组织4个。
三、下一步打算
持续整改。
中共XX区委员会
2021年11月20日"""

NO_PARTS = """XX县林业局关于县委巡察反馈问题整改情况的报告
根据县委统一部署，县委第四巡察组于2021年4月6日至5月20日对我局进行了巡察。现将整改情况报告如下：
1.关于“森林防火责任落实不到位”的问题
整改情况：签订森林防火责任书46份。
2.关于“生态公益林补偿资金发放不及时”的问题
整改情况：已全部发放到位。
3.关于“干部作风不实”的问题
整改情况：开展作风纪律整顿。
XX县林业局
2021年9月10日"""

PROBLEMS_AS_PART_ONE = """中共XX市人社局党组关于巡察整改情况的通报
根据市委统一部署，2021年3月10日至5月10日，市委第二巡察组对市人社局党组进行了巡察。
一、巡察反馈问题整改落实情况
针对巡察反馈的4个问题，局党组逐项制定整改措施。
1.就业补贴审核不严。
整改情况：开展补贴资金专项清查。
2.社保基金监管不到位。
整改情况：建立基金监管联席会议制度。
3.窗口服务效率不高。
整改情况：推行“一窗通办”。
4.干部队伍建设滞后。
整改情况：公开遴选干部6名。
二、下一步工作打算
巩固成果。
中共XX市人社局党组
2021年11月1日"""

# Part 一's sub-sections number their paragraphs "1." like the problems do; no labels, no 二、.
SAME_FORM_NO_LABELS = """中共XX县民政局党组关于县委第三巡察组巡察反馈意见整改进展情况的通报
根据县委统一部署,2021年4月6日至5月28日,县委第三巡察组对县民政局党组进行了常规巡察。7月2日,巡察组反馈了巡察意见,指出3个方面7个问题。现将整改进展情况通报如下。
一、整改工作开展情况
(一)提高站位,加强领导
1.召开专题会议。局党组召开专题会议3次,研究部署整改工作。
2.成立领导小组。成立了党组书记任组长的整改工作领导小组。
(二)细化措施,压实责任
1.制定整改方案。逐条制定整改措施,明确责任领导和完成时限。
2.建立整改台账。实行台账管理、销号管理。
3.加强督促检查。每月调度一次整改进度。
(三)关于贯彻落实党的路线方针政策方面
1.学习贯彻习近平新时代中国特色社会主义思想不深入。
局党组修订了中心组学习制度,全年集中学习12次。
2.落实意识形态工作责任制不到位。
制定意识形态工作责任清单。
(四)关于全面从严治党方面
3.“三重一大”决策制度执行不严格。
修订“三重一大”事项决策制度。
已完成整改。
4.财务管理不规范。
开展财务专项检查,整改问题6个。
5.政府采购程序不规范。
规范采购流程。
(五)关于基层党组织建设方面
6.“三会一课”制度落实不到位。
建立“三会一课”提醒机制。
7.党员教育管理不严格。
开展党员集中轮训。
三、下一步打算
持续巩固整改成果。
中共XX县民政局党组
2021年12月20日"""


def problems_of(text: str) -> list[tuple[int, str]]:
    return [(p.number, p.text) for p in parse_notice(text).all_problems()]


@pytest.mark.parametrize("text", [WEB_TWO_LINE_TITLE, WITHIN_GROUPS, MIXED_LABELS, PROBLEM_CN, NO_PARTS,
                                  PROBLEMS_AS_PART_ONE])
def test_no_paragraph_lost_and_nothing_invented(text: str) -> None:
    n = parse_notice(text)
    assert lost_paragraphs(text, n) == []
    assert all(p.text for p in n.all_problems())
    assert "未命名" not in "".join(stored_texts(n))


def test_title_over_two_lines_after_the_furniture() -> None:
    n = parse_notice(WEB_TWO_LINE_TITLE)
    assert n.facts.title == "中共XX市统计局党组关于市委第五巡察组巡察反馈意见整改情况的通报"
    assert [t for _l, t in n.dropped] == ["网站首页 | 机构概况 | 政务公开 | 办事服务 | 互动交流", "当前位置：首页 > 政务公开 > 巡察整改",
                                          "来源：市统计局   作者：办公室   点击数：256", "【打印】 【关闭】", "2021年12",
                                          "【打印本页】【关闭窗口】"]
    assert n.facts.signature == "中共XX市统计局党组"           # from the unit in the title, said so
    assert any(w.line == 3 and "取自标题" in w.message for w in n.warnings)
    assert n.facts.sign_date is None                            # garbled: empty, warned at its line
    [w] = [w for w in n.warnings if w.line == 23]
    assert "2021年12" in w.message and "2022年1月6日" in w.message


def test_date_under_the_title_when_the_end_has_none() -> None:
    text = WEB_TWO_LINE_TITLE.replace("2021年12\n", "")
    n = parse_notice(text)
    assert n.facts.sign_date == dt.date(2022, 1, 6) and not any("成文日期" in w.message for w in n.warnings)


def test_no_date_and_no_signature_are_warnings_and_stay_empty() -> None:
    text = NO_PARTS.replace("\nXX县林业局\n2021年9月10日", "").replace("XX县林业局关于", "关于")
    n = parse_notice(text)
    assert n.facts.sign_date is None and n.facts.signature == ""
    assert any("成文日期" in w.message and w.line == 8 for w in n.warnings)
    assert any("署名" in w.message and w.line == 8 for w in n.warnings)


def test_problems_numbered_within_groups_and_items_inside_a_narrative() -> None:
    n = parse_notice(WITHIN_GROUPS)
    assert tree_of(n) == [(1, "党的领导方面"), (2, "理论学习不扎实"), (2, "意识形态工作不到位"), (1, "全面从严治党方面"),
                          (2, "主体责任落实不到位")]
    assert [(p.number, p.text) for p in n.all_problems()] == [
        (1, "理论学习中心组学习计划性不强。"), (2, "学习研讨流于形式。"), (1, "意识形态阵地管理不严。"), (1, "“两个责任”清单不具体。")]
    first = n.all_problems()[0]
    assert first.narrative == ["制定年度学习计划，明确学习专题。具体措施如下：", "（1）每月开展一次集中学习；", "（2）每季度开展一次专题研讨。"]
    s = n.scheme
    assert (s.categories, s.problems, s.problems_across) == ((NumberStyle.CN_PAREN, NumberStyle.AR_DOT),
                                                              NumberStyle.AR_PAREN, False)
    assert s.extra == {"narrative_label": "整改情况", "progress_label": "整改进展"}
    assert [p.status for p in n.all_problems()] == [Status.DONE, Status.DONE, Status.IN_PROGRESS, Status.DONE]
    assert n.warnings == []


def test_labels_where_the_source_has_them_and_none_where_it_has_not() -> None:
    n = parse_notice(MIXED_LABELS)
    assert [p.label for p in n.all_problems()] == ["整改情况", "", "整改情况", "", "", "", "", "整改情况"]
    assert n.all_problems()[1].narrative == ["将“第一议题”学习纳入党组会固定议程。"]
    assert n.part_one.split("\n")[1:] == ["（一）强化组织领导", "成立整改领导小组。", "（二）细化整改方案", "制定整改方案。"]
    assert tree_of(n) == [(1, "关于政治建设方面"), (1, "关于审计业务方面"), (1, "关于作风建设方面")]
    assert [c.number for c in n.categories] == [3, 4, 5]   # numbered on from part 一, as the source does
    assert not any("原文称" in w.message for w in n.warnings)   # 3 方面, 8 问题: as stated
    assert any(w.line == 18 and "缺少括号" in w.message for w in n.warnings)   # "(5审计…" lost its bracket


def test_problem_cn_that_lost_its_colon() -> None:
    n = parse_notice(PROBLEM_CN)
    assert [p.text for p in n.all_problems()][3] == "监督执纪问责不力。"
    assert [w.line for w in n.warnings if "缺少括号或标点" in w.message] == [14]
    assert n.scheme.problems == NumberStyle.PROBLEM_CN and n.scheme.problems_across
    assert n.layout_style == "B" and n.scheme.extra["narrative_label"] == "整改措施及成效"


def test_a_notice_without_part_headings() -> None:
    n = parse_notice(NO_PARTS)
    assert problems_of(NO_PARTS) == [(1, "森林防火责任落实不到位"), (2, "生态公益林补偿资金发放不及时"), (3, "干部作风不实")]
    assert (n.part_one, n.part_two_intro, n.part_three) == ("", "", "")
    assert n.opening.endswith("现将整改情况报告如下：") and n.facts.signature == "XX县林业局"


def test_the_problem_part_numbered_one_is_not_taken_for_part_one() -> None:
    n = parse_notice(PROBLEMS_AS_PART_ONE)
    assert n.part_one == "" and n.part_two_intro.startswith("一、巡察反馈问题整改落实情况")
    assert n.part_three.startswith("二、下一步工作打算") and len(n.all_problems()) == 4
    assert not any("缺少“二、”" in w.message for w in n.warnings)
    assert n.statistics.problems == 4 and not any("原文称" in w.message for w in n.warnings)


def test_a_number_that_breaks_the_sequence_is_flagged_for_the_clerk() -> None:
    body = ["1)问题甲。", "整改进程:已完成。", "整改情况:已整改。", "2)问题乙。", "整改进程:已完成。", "整改情况:已整改。",
            "12)问题丙。", "整改进程:已完成。", "整改情况:已整改。", "4)问题丁。", "整改进程:已完成。", "整改情况:已整改。"]
    text = "\n".join(["关于巡察整改情况的通报", "根据区委统一部署，2023年3月1日至4月30日，区委第一巡察组对本局进行了巡察。", "二、整改情况", *body,
                      "中共某局党组", "2024年1月2日"])
    n = parse_notice(text)
    assert [p.number for p in n.all_problems()] == [1, 2, 3, 4]
    [w] = [w for w in n.warnings if w.line == 10]
    assert "12" in w.message and "应为 3" in w.message


def test_a_number_that_runs_into_its_text_is_recovered_only_where_expected() -> None:
    body = ["（一）某方面", "1)问题甲。", "整改进程:已完成。", "整改情况:2家单位已整改。", "3名干部受到提醒谈话。",
            "2问题乙。", "整改进程:已完成。", "整改情况:已整改。"]
    text = "\n".join(["关于巡察整改情况的通报", "根据区委统一部署，2023年3月1日至4月30日，区委第一巡察组对本局进行了巡察。", "二、整改情况", *body,
                      "中共某局党组", "2024年1月2日"])
    n = parse_notice(text)
    assert [(p.number, p.text) for p in n.all_problems()] == [(1, "问题甲。"), (2, "问题乙。")]
    assert n.all_problems()[0].narrative == ["2家单位已整改。", "3名干部受到提醒谈话。"]   # prose, not numbers
    assert [w.line for w in n.warnings] == [9]


def test_a_heading_that_lost_its_number_before_a_progress_line() -> None:
    body = ["1)问题甲。", "整改进程:已完成。", "整改情况:已整改。", "问题乙的序号整个丢了。", "整改进程:正在整改。", "整改情况:推进中。"]
    text = "\n".join(["关于巡察整改情况的通报", "根据区委统一部署，2023年3月1日至4月30日，区委第一巡察组对本局进行了巡察。", "二、整改情况", *body,
                      "中共某局党组", "2024年1月2日"])
    n = parse_notice(text)
    assert [(p.number, p.text, p.status) for p in n.all_problems()] == [
        (1, "问题甲。", Status.DONE), (2, "问题乙的序号整个丢了。", Status.IN_PROGRESS)]
    assert [w.line for w in n.warnings] == [7]


@pytest.mark.parametrize("line, number, rest", [("4意识形态阵地管理不严", 4, "意识形态阵地管理不严"),
                                                ("（3党的领导弱化方面", 3, "党的领导弱化方面"),
                                                ("三）党的领导弱化方面", 3, "党的领导弱化方面"),
                                                ("问题五未落实“第一议题”", 5, "未落实“第一议题”")])
def test_damaged_numbering_is_read_but_only_as_damaged(line: str, number: int, rest: str) -> None:
    assert classify(line) is None
    d = damaged(line)
    assert d is not None and (d.number, d.rest, d.damaged) == (number, rest, True)


@pytest.mark.parametrize("line", ["2021年开展集中学习12次", "4个问题已整改", "5G基站建设滞后", "12345热线工单办理不及时",
                                  "3名干部受到提醒", "一是加强学习", "10余家单位"])
def test_prose_that_starts_with_a_number_is_not_numbering(line: str) -> None:
    assert classify(line) is None and damaged(line) is None


def test_stated_counts_are_kept_and_compared_with_the_tree() -> None:
    text = MIXED_LABELS.replace("指出3个方面8个问题", "指出4个方面9个问题")
    n = parse_notice(text)
    assert (n.statistics.aspects, n.statistics.problems) == (4, 9)
    assert {(w.line, w.message) for w in n.warnings if "原文称" in w.message} == {
        (2, "原文称有 9 个问题，导入的是 8 个，请核对。"), (2, "原文称有 4 个方面，导入的是 3 个，请核对。")}


def test_items_are_compared_at_the_second_depth() -> None:
    text = WITHIN_GROUPS.replace("反馈了巡察意见。", "反馈了巡察意见，指出存在2个方面4项问题。")
    n = parse_notice(text)
    assert (n.statistics.aspects, n.statistics.items) == (2, 4)
    assert [w.message for w in n.warnings if "原文称" in w.message] == ["原文称有 4 项，导入的是 3 项，请核对。"]


def test_the_dialogs_fixes_work_at_any_depth() -> None:
    from app.importing import edits
    from tests.app import notice_texts as T

    n = parse_notice(T.three_levels(0)[0])
    group = n.categories[1].children[1]           # （二） → 2. (four problems)
    before = len(n.all_problems())
    problem = edits.demote_category(n, group)
    assert problem.text == group.text and len(n.all_problems()) == before + 1
    assert [c.text for c in n.categories[1].children] == [n.categories[1].children[0].text]
    assert n.categories[1].children[0].problems[-5] is problem
    first = n.categories[0].children[0].problems[1]
    first.narrative = []
    new = edits.promote_problem(n, first)
    assert n.categories[0].children[0].children == [new] and len(new.problems) == 1
    with pytest.raises(ValueError, match="下级分类"):
        edits.delete_node(n, n.categories[0].children[0])
    edits.delete_node(n, new.problems[0])
    edits.delete_node(n, new)
    assert n.categories[0].children[0].children == []
    assert [p.number for p in n.all_problems()] == list(range(1, len(n.all_problems()) + 1))


@pytest.mark.parametrize("variant", ["as written", "part 一 paragraphs under their headings", "first 方面 heading lost"])
def test_part_one_numbered_like_the_problems_without_labels_or_two(variant: str) -> None:
    text = SAME_FORM_NO_LABELS
    if variant == "part 一 paragraphs under their headings":
        text = text.replace("1.召开专题会议。局党组", "1.召开专题会议。\n局党组").replace("2.成立领导小组。成立", "2.成立领导小组。\n成立")
    if variant == "first 方面 heading lost":
        text = text.replace("(三)关于贯彻落实党的路线方针政策方面\n", "")
    n = parse_notice(text)
    assert [p.number for p in n.all_problems()] == list(range(1, 8)) and n.scheme.problems_across
    assert n.part_one.startswith("一、整改工作开展情况\n(一)提高站位,加强领导") and n.part_one.endswith("3.加强督促检查。每月调度一次整改进度。")
    assert all(p.label == "" and p.narrative for p in n.all_problems())
    assert lost_paragraphs(text, n) == []
    if variant == "first 方面 heading lost":
        assert [c.text for c in n.categories] == ["关于全面从严治党方面", "关于基层党组织建设方面"]
        assert [p.text for p in n.problems] == ["学习贯彻习近平新时代中国特色社会主义思想不深入。", "落实意识形态工作责任制不到位。"]
        assert {w.message for w in n.warnings} >= {"原文称有 3 个方面，导入的是 2 个，请核对。",
                                                   "前 2 个问题前面没有分类标题（原文可能缺少），已放在各分类之前，请核对。"}
    else:
        assert len(n.categories) == 3 and not any("原文称" in w.message for w in n.warnings)


def test_labels_alone_on_their_line_or_in_brackets() -> None:
    body = ["1.问题甲。", "整改情况", "第一段。", "第二段。", "2.问题乙。", "【整改情况】已整改。", "3)问题丙。",
            "整改进程:已完成。", "整改情况:已整改。"]
    text = "\n".join(["关于巡察整改情况的通报", "根据区委统一部署，2023年3月1日至4月30日，区委第一巡察组对本局进行了巡察。",
                      "二、整改情况", *body, "中共某局党组", "2024年1月2日"])
    n = parse_notice(text)
    assert [(p.text, p.label, p.narrative) for p in n.all_problems()][:2] == [
        ("问题甲。", "整改情况", ["第一段。", "第二段。"]), ("问题乙。", "整改情况", ["已整改。"])]
    assert lost_paragraphs(text, n) == []


def test_a_lost_number_that_runs_into_a_unit_word() -> None:
    body = ["1)问题甲。", "整改进程:已完成。", "整改情况:已整改。", "2项目资金拨付进度缓慢。", "整改进程:已完成。", "整改情况:已整改。"]
    text = "\n".join(["关于巡察整改情况的通报", "根据区委统一部署，2023年3月1日至4月30日，区委第一巡察组对本局进行了巡察。",
                      "二、整改情况", *body, "中共某局党组", "2024年1月2日"])
    n = parse_notice(text)
    assert [(p.number, p.text) for p in n.all_problems()] == [(1, "问题甲。"), (2, "项目资金拨付进度缓慢。")]
    assert [w.line for w in n.warnings] == [7]


GROUP_WITHOUT_PROBLEMS = """中共XX区司法局党组关于区委巡察反馈意见整改情况的通报
根据区委统一部署，2021年4月6日至5月28日，区委第一巡察组对区司法局党组进行了巡察。
一、整改工作开展情况
局党组高度重视。
二、整改落实情况
（一）党的领导方面
1.理论学习不深入。
（1）中心组学习流于形式。
整改情况：制定学习计划。
（2）研讨不深入。
整改情况：开展专题研讨。
2.意识形态工作责任制落实不到位，阵地管理不严。
整改情况：制定责任清单，清理阵地。
3.落实“第一议题”制度不严格。
（3）“第一议题”学习后研究部署不够。
整改情况：将“第一议题”纳入党组会议程。
三、下一步打算
持续整改。
中共XX区司法局党组
2021年12月1日"""


def test_a_group_heading_with_its_narrative_right_under_it() -> None:
    n = parse_notice(GROUP_WITHOUT_PROBLEMS)
    top = n.categories[0]
    assert [c.text for c in top.children] == ["理论学习不深入。", "落实“第一议题”制度不严格。"]
    assert [(p.number, p.text) for p in top.problems] == [(0, "意识形态工作责任制落实不到位，阵地管理不严。")]
    assert [p.number for p in n.all_problems()] == [0, 1, 2, 3]
    assert [w.line for w in n.warnings] == [12] and lost_paragraphs(GROUP_WITHOUT_PROBLEMS, n) == []


WEB_WITH_METADATA = """首页 > 政务公开 > 通知公告

关于区委第四巡察组巡察反馈意见整改进展情况的通报

索引号：11420100/2022-00031    发布机构：区交通运输局
发布日期：2022-03-01  字号：[ 大 中 小 ]

　　根据区委统一部署，2021年9月6日至10月29日，区委第四巡察组对区交通运输局党组开展了常规巡察，并于12月3日反馈了巡察意见。现将有关情况通报如下：

　　一、整改工作开展情况

　　局党组坚持把巡察整改作为重大政治任务，成立整改领导小组，制定整改方案。

　　二、巡察反馈问题整改落实情况

　　（一）政治建设方面

　　1.学习贯彻上级决策部署不到位。

　　整改情况：召开党组会专题学习，制定贯彻落实措施。

　　2.意识形态工作薄弱。

　　整改情况：制定意识形态工作责任清单。

　　三、下一步打算

　　持续巩固整改成果。

　　中共XX区交通运输局党组

　　2022年2月28日

上一页 1 2 下一页
【我要纠错】 【打印本页】 【关闭窗口】"""


def test_web_page_with_metadata_under_the_title_and_pagination() -> None:
    n = parse_notice(WEB_WITH_METADATA)
    assert n.facts.title == "关于区委第四巡察组巡察反馈意见整改进展情况的通报"
    assert (n.facts.index_no, n.facts.publisher) == ("11420100/2022-00031", "区交通运输局")
    assert [t for _l, t in n.dropped] == ["首页 > 政务公开 > 通知公告", "索引号：11420100/2022-00031    发布机构：区交通运输局",
                                          "发布日期：2022-03-01  字号：[ 大 中 小 ]", "上一页 1 2 下一页",
                                          "【我要纠错】 【打印本页】 【关闭窗口】"]
    assert n.opening.startswith("根据区委统一部署") and "\n" not in n.opening
    assert (n.facts.signature, n.facts.sign_date) == ("中共XX区交通运输局党组", dt.date(2022, 2, 28))
    assert [p.text for p in n.all_problems()] == ["学习贯彻上级决策部署不到位。", "意识形态工作薄弱。"]
    assert n.warnings == [] and lost_paragraphs(WEB_WITH_METADATA, n) == []


ITEM_IN_NARRATIVE = """中共XX县商务局党组关于县委巡察反馈意见整改进展情况的通报
根据县委统一部署,2021年3月1日至4月30日,县委第二巡察组对县商务局党组进行了巡察。
一、巡察整改工作开展情况
(一)组织领导工作情况
1.召开党组会研究部署。
2.成立领导小组。
(二)整改任务落实情况
1.立行立改。
(三)关于政治建设方面
(1)理论学习不深入。
局党组制定学习计划。
1.每月集中学习一次。
(2)意识形态工作薄弱。
制定责任清单。
(四)关于作风建设方面
(3)公车管理不规范。
完善制度。
(4)会议费管理不严。
出台办法。
三、下一步打算
持续整改。
中共XX县商务局党组
2021年10月8日"""


def test_a_lone_item_inside_a_narrative_is_not_a_level_of_the_tree() -> None:
    n = parse_notice(ITEM_IN_NARRATIVE)
    assert tree_of(n) == [(1, "关于政治建设方面"), (1, "关于作风建设方面")]
    assert n.all_problems()[0].narrative == ["局党组制定学习计划。", "1.每月集中学习一次。"]
    assert lost_paragraphs(ITEM_IN_NARRATIVE, n) == []


def test_categories_numbered_on_from_part_one_are_noted_in_the_scheme() -> None:
    assert parse_notice(MIXED_LABELS).scheme.extra["categories_start"] == "3"
    assert "categories_start" not in parse_notice(WITHIN_GROUPS).scheme.extra
