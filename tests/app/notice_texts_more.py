"""More shapes of real notices, written to break the importer (issue 12, second round).

A 巡视 notice of a province's department; a 巡察“回头看” with problems numbered 第一，第二，; problems whose
text is a paragraph of 一是…二是… sentences; four levels under a part 二 that lost its heading; a web page
with every widget and a blank line between all lines; a notice hard-wrapped every 40 characters; full-width
digits and mixed punctuation; a table pasted as tab-separated lines; two labels per problem with a garbled
date and no signature. Each builder returns the text and what a clerk counts in it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from app.numerals import to_chinese
from tests.app.notice_texts import Lines

POOL = [
    "学习贯彻习近平新时代中国特色社会主义思想不够深入系统,以学促干的成效不明显",
    "贯彻落实省委关于交通强省建设的决策部署有差距,重点项目推进滞后",
    "党组把方向、管大局、保落实作用发挥不充分,议事决策不够规范",
    "落实意识形态工作责任制不到位,阵地管理存在薄弱环节",
    "防范化解重大风险意识不强,对行业领域安全隐患排查不深入",
    "服务基层群众的意识不强,办事群众反映的堵点问题解决不及时",
    "落实全面从严治党主体责任不力,对下属单位管党治党指导督促不够",
    "履行监督责任不到位,对权力运行关键环节监督不严",
    "违反中央八项规定精神问题仍有发生,存在超标准接待的情况",
    "重点领域廉洁风险防控不到位,工程项目管理存在漏洞",
    "财经纪律执行不严格,部分支出报销手续不完备",
    "政府采购管理不规范,存在化整为零规避招标的情况",
    "形式主义官僚主义问题仍然存在,督查检查事项偏多",
    "落实新时代党的组织路线不到位,干部队伍建设统筹谋划不够",
    "干部选拔任用工作不够规范,个别干部任职试用期满未及时考核",
    "年轻干部培养选拔力度不够,干部队伍年龄结构不合理",
    "基层党组织标准化规范化建设推进不力,个别支部战斗堡垒作用发挥不明显",
    "党员教育管理不够严格,发展党员程序不规范",
    "人才引进和培养机制不健全,专业技术人才流失较多",
    "上轮巡视整改不彻底,部分问题整改成效不明显",
    "巡视整改长效机制不健全,建章立制后执行不到位",
    "国有资产管理不规范,出租出借资产未按规定审批",
    "项目资金管理不规范,部分资金闲置沉淀",
    "内部审计监督作用发挥不充分,审计发现问题整改不到位",
    "信访工作责任落实不到位,重复信访问题化解不及时",
    "安全生产监管责任落实不严,隐患整改闭环管理不到位",
    "行政执法不够规范,自由裁量权行使缺乏有效约束",
    "“放管服”改革落实不到位,审批事项办理时限压缩不够",
    "机关作风建设有待加强,个别干部工作纪律松弛",
    "公务用车使用管理不规范,存在公车私用风险",
    "办公用房管理不到位,存在超标准配置的情况",
    "档案管理不规范,部分会议记录不完整",
    "统战工作开展不够有力,党外人士作用发挥不充分",
    "工会经费使用不规范,存在超范围列支的情况",
    "党建与业务融合不够紧密,党建引领作用发挥不明显",
    "政务公开不及时,部分重要事项公开不充分",
    "数字化建设统筹不够,信息系统重复建设",
    "合同管理不规范,部分合同未经合法性审查",
    "对下属企业监管不到位,企业经营风险防控不力",
    "警示教育针对性不强,以案促改效果不明显",
]
MEASURE = [
    "厅党组召开专题会议深入剖析问题根源,制定了《关于进一步加强{t}的实施意见》,明确责任处室和完成时限,目前已整改到位。",
    "已完成整改。对照问题逐项建立台账,实行清单化管理、销号式推进,共修订完善制度3项,开展专项检查2次。",
    "针对该问题,主要负责同志带头约谈相关责任人,责令限期整改;组织开展专题学习2次,举一反三排查同类问题5个,已全部整改完毕。",
    "立行立改,及时纠正存在的问题;同时加强日常监督,每半年开展一次“回头看”,防止问题反弹回潮。",
]


@dataclass
class Case:
    """What the source holds, as a clerk counts it."""

    text: str = ""
    title: str = ""
    signature: str = ""
    sign_date: str = ""                      # ISO, or '' when the source's date is missing or garbled
    tree: list[tuple[int, str]] = field(default_factory=list)      # (depth, text) of each category, in order
    problems: list[tuple[int, str]] = field(default_factory=list)  # (number, heading as the source has it)
    across: bool = True
    dropped: list[str] = field(default_factory=list)
    warn_lines: list[int] = field(default_factory=list)            # lines the parser must warn about
    not_problems: list[str] = field(default_factory=list)          # lines that look numbered but are narrative
    part_one_starts: str = ""
    paragraphs: list[str] = field(default_factory=list)            # the source's paragraphs before a copy broke them
    statuses: dict[int, str] = field(default_factory=dict)         # problem number → status value


def measure(i: int) -> str:
    return MEASURE[i % len(MEASURE)].format(t=POOL[i % len(POOL)].split(",")[0])


def _opening(unit: str, group: str, kind: str = "巡察", body: str = "区委") -> str:
    return (f"根据{body}统一部署,2022年3月1日至5月10日,{group}对{unit}党组开展了常规{kind}。2022年6月15日,{group}向"
            f"{unit}党组反馈了{kind}意见。按照党务公开原则和{kind}工作有关要求,现将{kind}整改进展情况予以公布。")


def _closing(t: Lines, unit: str, sign: bool = True, date: str = "2022年9月20日") -> None:
    t.add("三、下一步工作打算",
          f"一是持续压实整改责任,对已完成的整改任务适时开展“回头看”;二是建立健全长效机制,坚持举一反三;三是强化成果运用,"
          f"推动{unit}各项工作高质量发展。",
          "欢迎广大干部群众对整改落实情况进行监督。如有意见建议,请及时向我们反映。联系电话:0531-86915678;"
          "通信地址:济南市历下区经十路100号;邮政编码:250014;电子邮箱:zgjc@163.com。")
    if sign:
        t.add(f"中共{unit}党组")
    if date:
        t.add(date)


# -- 1: a 巡视 notice, problems numbered within each 方面, 1. lists inside 整改落实情况 -------------------------
def province() -> Case:
    unit = "山东省交通运输厅"
    title = f"中共{unit}党组关于十二届省委第五轮巡视整改进展情况的通报"
    c = Case(title=title, signature=f"中共{unit}党组", sign_date="2022-09-20", across=False)
    t = Lines()
    t.add(title, _opening(unit, "省委第三巡视组", "巡视", "省委"))
    t.add("一、厅党组履行巡视整改主体责任情况",
          "厅党组把巡视整改作为重大政治任务,一是提高政治站位,第一时间召开党组会议专题研究;二是加强组织领导,成立整改工作领导小组;"
          "三是细化整改任务,制定整改方案,明确整改措施98条。",
          "截至目前,省委巡视组反馈的3个方面11个问题已完成整改。")
    c.part_one_starts = "一、厅党组履行巡视整改主体责任情况"
    t.add("二、巡视反馈意见整改落实情况")
    cats = ["关于贯彻落实党中央决策部署和省委工作要求方面", "关于落实全面从严治党战略部署方面", "关于落实新时代党的组织路线方面"]
    sizes = [4, 4, 3]
    k = 0
    for ci, (name, size) in enumerate(zip(cats, sizes, strict=True)):
        t.add(f"（{to_chinese(ci + 1)}）{name}")
        c.tree.append((1, name))
        for n in range(1, size + 1):
            text = POOL[k] + "。"
            t.add(f"{n}.{text}")
            c.problems.append((n, text))
            t.add("整改落实情况：" + measure(k))
            if k % 3 == 1:  # a numbered list inside the narrative
                items = ["1.修订完善《党组工作规则》《党组议事决策规则》,进一步规范议事决策程序。",
                         "2.建立重大事项清单,明确党组会议研究事项范围。",
                         "3.开展制度执行情况专项检查,发现问题4个,已全部整改。"]
                t.add(*items)
                c.not_problems += items
            k += 1
    _closing(t, unit)
    c.text = t.text()
    return c


# -- 2: a 巡察“回头看”, problems 第一，第二， within each 方面, two labels per problem ------------------------
def huitoukan() -> Case:
    unit = "XX区城市管理局"
    title = f"中共{unit}党组关于区委第二巡察组巡察“回头看”反馈意见整改情况的通报"
    c = Case(title=title, signature=f"中共{unit}党组", sign_date="2023-03-28", across=False)
    t = Lines()
    t.add(title, _opening(unit, "区委第二巡察组", "巡察“回头看”").replace("常规巡察“回头看”", "巡察“回头看”"))
    t.add("一、整改工作组织开展情况",
          "局党组高度重视巡察“回头看”反馈问题整改工作,召开党组会议5次,研究制定整改方案,逐条明确整改措施、责任领导和完成时限。")
    c.part_one_starts = "一、整改工作组织开展情况"
    t.add("二、反馈问题整改落实情况")
    cats = ["上轮巡察整改落实方面", "党的建设方面", "作风建设方面"]
    sizes = [3, 4, 3]
    k = 5
    for ci, (name, size) in enumerate(zip(cats, sizes, strict=True)):
        t.add(f"（{to_chinese(ci + 1)}）{name}")
        c.tree.append((1, name))
        for n in range(1, size + 1):
            text = POOL[k] + "。"
            t.add(f"第{to_chinese(n)}，{text}")
            c.problems.append((n, text))
            t.add("整改措施：" + measure(k), "整改成效：已完成整改,相关制度已印发执行。")
            k += 1
    _closing(t, unit, date="2023年3月28日")
    c.text = t.text()
    return c


# -- 3: problems as 1. items whose text is a paragraph of 一是…二是… sentences --------------------------------
def yishi_items() -> Case:
    unit = "XX市审计局"
    title = f"中共{unit}党组关于市委第四巡察组巡察反馈意见整改情况的通报"
    c = Case(title=title, signature=f"中共{unit}党组", sign_date="2022-11-02")
    t = Lines()
    t.add(title, _opening(unit, "市委第四巡察组", body="市委"))
    t.add("一、整改工作总体情况", "局党组坚持把巡察整改作为重大政治任务,扎实推进整改落实。")
    c.part_one_starts = "一、整改工作总体情况"
    t.add("二、巡察反馈问题整改落实情况")
    cats = ["（一）关于政治建设方面", "（二）关于全面从严治党方面", "（三）关于干部队伍建设方面", "（四）关于巡察整改方面"]
    n, k = 0, 10
    for ci, head in enumerate(cats):
        t.add(head)
        c.tree.append((1, head[3:]))
        for j in range(3):
            n += 1
            a, b, d = POOL[k % 40].split(",")[0], POOL[(k + 1) % 40].split(",")[0], POOL[(k + 2) % 40].split(",")[0]
            lead = POOL[k % 40].split(",")[1]
            if (ci + j) % 2 == 0:  # the sentences run on in the heading's paragraph
                text = f"{lead}。一是{a};二是{b};三是{d}。"
                t.add(f"{n}.{text}")
            else:                  # the sentences stand on lines of their own under the heading
                text = f"{lead}。\n一是{a}。\n二是{b}。"
                t.add(f"{n}.{lead}。", f"一是{a}。", f"二是{b}。")
                c.not_problems += [f"一是{a}。", f"二是{b}。"]
            c.problems.append((n, text))
            t.add("整改情况：针对上述问题,局党组逐项制定整改措施。", "一是" + measure(k), "二是加强日常监督,防止问题反弹。")
            if j == 1:
                items = ["1.召开专题民主生活会,深刻剖析问题根源;", "2.修订《机关内部管理制度汇编》,新增制度5项。"]
                t.add(*items)
                c.not_problems += items
            k += 3
    _closing(t, unit, date="2022年11月2日")
    c.text = t.text()
    return c


# -- 4: part 二 without its heading, （一）→1.→（1） problems numbered across, no labels ------------------------
def four_levels() -> Case:
    unit = "XX县市场监督管理局"
    title = f"中共{unit}党组关于县委第三巡察组巡察反馈意见整改进展情况的通报"
    c = Case(title=title, signature=f"中共{unit}党组", sign_date="2022-08-16")
    t = Lines()
    t.add(title, _opening(unit, "县委第三巡察组", body="县委"))
    t.add("一、整改工作开展情况",
          "一是加强组织领导。成立以党组书记为组长的整改工作领导小组,统筹推进整改工作。",
          "二是细化整改方案。对照反馈问题逐条制定整改措施,建立问题清单、任务清单、责任清单。",
          "三是强化督促检查。定期调度整改进展,对整改不到位的问题及时督办。")
    c.part_one_starts = "一、整改工作开展情况"
    aspects = [("关于党的领导方面", [2, 3]), ("关于全面从严治党方面", [3, 2, 2]), ("关于组织建设方面", [2, 2])]
    n = 0
    for ai, (name, groups) in enumerate(aspects):
        line = t.add(f"（{to_chinese(ai + 1)}）{name}")
        if ai == 0:
            c.warn_lines.append(line)   # the 二、 heading is missing here
        c.tree.append((1, name))
        for g, size in enumerate(groups, 1):
            group = POOL[(n + 20) % 40].split(",")[0] + "。"
            t.add(f"{g}.{group}")
            c.tree.append((2, group))
            for _ in range(size):
                n += 1
                text = POOL[(n + 3) % 40] + "。"
                t.add(f"（{n}）{text}", measure(n))
                c.problems.append((n, text))
    t.add("三、下一步工作打算", "持续巩固整改成果,坚持问题导向,推动整改工作常态化长效化。",
          "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话:0537-2345678。", f"中共{unit}党组", "2022年8月16日")
    c.text = t.text()
    return c


# -- 5: a web page with every widget, a blank line between all lines ------------------------------------------
WEB_HEAD = ["XX市人民政府门户网站", "欢迎访问XX市人民政府网站！", "当前位置：首页 > 政务公开 > 部门信息 > 通知公告"]
WEB_UNDER_TITLE = ["发布时间：2023-04-12 16:20:31  来源：市发展和改革委员会", "浏览次数：1562", "【字体：大 中 小】",
                   "分享到："]
WEB_TAIL = ["打印本页 关闭窗口", "扫一扫在手机打开当前页"]


def web_blank_lines() -> Case:
    unit = "XX市发展和改革委员会"
    title = f"中共{unit}党组关于市委巡察反馈意见整改进展情况的通报"
    c = Case(title=title, signature=f"中共{unit}党组", sign_date="2023-04-12", across=False)  # a flat list
    t = Lines()
    t.add(*WEB_HEAD, title, *WEB_UNDER_TITLE)
    c.dropped = [*WEB_HEAD, *WEB_UNDER_TITLE]
    t.add(_opening(unit, "市委第一巡察组", body="市委"))
    t.add("一、提高政治站位,扎实推进整改落实", "委党组认真落实巡察整改主体责任,召开党组会议专题研究部署整改工作。")
    c.part_one_starts = "一、提高政治站位"
    t.add("二、巡察反馈问题整改情况")
    for n in range(1, 15):
        text = POOL[n + 12] + "。"
        t.add(f"{n}.{text}", "整改情况：" + measure(n))
        c.problems.append((n, text))
        if n % 5 == 0:
            t.add("下一步,将持续跟踪问题整改成效,巩固整改成果。")
    _closing(t, unit, date="2023年4月12日")
    t.add(*WEB_TAIL)
    c.dropped += WEB_TAIL
    c.text = "\n\n".join(t.lines)
    return c


# -- 6: the same kind of notice, hard-wrapped every 40 characters ----------------------------------------------
def wrap(line: str, width: int = 40) -> list[str]:
    return [line[i:i + width] for i in range(0, len(line), width)] or [""]


def hard_wrapped() -> Case:
    unit = "XX区农业农村局"
    title = f"中共{unit}党组关于区委第五巡察组巡察反馈意见整改情况的通报"
    c = Case(title=title, signature=f"中共{unit}党组", sign_date="2022-12-06", across=True)
    src = Lines()
    src.add(title, _opening(unit, "区委第五巡察组"))
    src.add("一、整改工作开展情况",
            "局党组把巡察整改作为重要政治任务,成立整改工作领导小组,制定整改方案,建立整改台账,实行挂图作战、对账销号,"
            "确保反馈问题件件有着落、事事有回音。")
    c.part_one_starts = "一、整改工作开展情况"
    src.add("二、巡察反馈问题整改落实情况")
    n = 0
    for ci, name in enumerate(["关于党的政治建设方面", "关于全面从严治党方面", "关于基层党组织建设方面"]):
        src.add(f"（{to_chinese(ci + 1)}）{name}")
        c.tree.append((1, name))
        for _ in range(4):
            n += 1
            text = POOL[n + 2] + "。"
            src.add(f"{n}.{text}", "整改情况：" + measure(n) + "下一步将建立长效机制,定期开展督促检查。")
            c.problems.append((n, text))
    _closing(src, unit, date="2022年12月6日")
    c.paragraphs = src.lines
    t = Lines()
    for line in src.lines:
        t.add(*wrap(line))
    c.text = t.text()
    return c


# -- 7: full-width digits, mixed brackets and punctuation, a Chinese date ------------------------------------
def full_width() -> Case:
    unit = "XX县教育和体育局"
    title = f"中共{unit}党组关于县委巡察反馈意见整改情况的通报"
    c = Case(title=title, signature=f"中共{unit}党组", sign_date="2023-05-08", across=True)
    t = Lines()
    t.add(title, _opening(unit, "县委第二巡察组", body="县委").replace("2022", "２０２２"))
    t.add("一、整改工作基本情况", "局党组坚持以上率下,主要负责同志带头研究整改、带头落实整改。")
    c.part_one_starts = "一、整改工作基本情况"
    t.add("二、巡察反馈问题整改落实情况")
    fw = str.maketrans("0123456789", "０１２３４５６７８９")
    heads = ["（一)关于贯彻落实上级决策部署方面", "(二）关于党风廉政建设方面", "（三）关于选人用人方面"]
    names = ["关于贯彻落实上级决策部署方面", "关于党风廉政建设方面", "关于选人用人方面"]
    n = 0
    for head, name in zip(heads, names, strict=True):
        t.add(head)
        c.tree.append((1, name))
        for _ in range(4):
            n += 1
            text = POOL[(n + 25) % 40] + "。"
            number = str(n).translate(fw)
            t.add(f"{number}．{text}" if n % 3 else f"{n}、{text}")
            c.problems.append((n, text))
            t.add(("整改情况：" if n % 2 else "整改情况:") + measure(n))
    _closing(t, unit, date="二〇二三年五月八日")
    c.text = t.text()
    return c


# -- 8: problems pasted from a table: tab-separated rows under a header row -----------------------------------
def tab_table() -> Case:
    unit = "XX区民政局"
    title = f"中共{unit}党组关于区委巡察反馈意见整改落实情况的通报"
    c = Case(title=title, signature=f"中共{unit}党组", sign_date="2022-07-01", across=False)
    t = Lines()
    t.add(title, _opening(unit, "区委第六巡察组"))
    t.add("一、整改工作开展情况", "局党组把巡察整改作为重大政治任务,对照反馈问题逐项制定整改措施,建立整改台账。")
    c.part_one_starts = "一、整改工作开展情况"
    t.add("二、巡察反馈问题整改落实情况", "序号\t反馈问题\t整改措施\t整改进展")
    statuses = ["已完成", "已完成", "长期坚持", "正在整改"]
    for n in range(1, 13):
        text = POOL[(n + 30) % 40] + "。"
        t.add(f"{n}\t{text}\t{measure(n)}\t{statuses[n % 4]}")
        c.problems.append((n, text))
        c.statuses[n] = {"已完成": "已完成", "长期坚持": "已完成·长期坚持", "正在整改": "整改中"}[statuses[n % 4]]
    _closing(t, unit, date="2022年7月1日")
    c.text = t.text()
    return c


# -- 9: （1） problems with 整改措施：and 整改成效：, a garbled date and no signature ----------------------------
def garbled_end() -> Case:
    unit = "XX镇"
    title = f"中共{unit}委员会关于县委第四巡察组巡察反馈意见整改情况的通报"
    c = Case(title=title, signature=f"中共{unit}委员会", sign_date="", across=False)
    t = Lines()
    t.add(title, _opening(unit + "委员会", "县委第四巡察组", body="县委").replace("党组", ""))
    t.add("一、整改工作开展情况", "镇党委坚持把巡察整改作为重大政治任务,召开专题会议研究部署整改工作。")
    c.part_one_starts = "一、整改工作开展情况"
    t.add("二、巡察反馈问题整改落实情况", "县委第四巡察组共反馈问题16个,截至目前已整改完成16个。")
    for n in range(1, 17):
        text = POOL[(n + 7) % 40] + "。"
        t.add(f"（{n}）{text}", "整改措施：" + measure(n), "整改成效：问题已整改到位,相关制度已建立。")
        c.problems.append((n, text))
    t.add("三、下一步工作打算", "镇党委将持续巩固整改成果,推动全面从严治党向纵深发展。",
          "欢迎广大干部群众对巡察整改落实情况进行监督。监督电话:0539-7123456。")
    line = t.add("202122")
    c.warn_lines.append(line)
    c.text = t.text()
    return c


ALL = [province, huitoukan, yishi_items, four_levels, web_blank_lines, hard_wrapped, full_width, tab_table, garbled_end]


# -- 10: 问题1： with Arabic digits, 整改进展：with the whole narrative, 署名 and date on one line -----------------
def wenti_arabic() -> Case:
    unit = "XX区退役军人事务局"
    title = f"中共{unit}党组关于区委第三巡察组巡察反馈意见整改进展情况的通报"
    c = Case(title=title, signature=f"中共{unit}党组", sign_date="2023-01-10", across=True)
    t = Lines()
    t.add(title, _opening(unit, "区委第三巡察组"))
    t.add("一、整改工作开展情况", "局党组召开专题会议研究部署整改工作,制定整改方案,明确整改任务21项。")
    c.part_one_starts = "一、整改工作开展情况"
    t.add("二、反馈问题整改情况")
    n = 0
    for ci, name in enumerate(["关于党的领导方面", "关于党的建设方面"]):
        t.add(f"（{to_chinese(ci + 1)}）{name}")
        c.tree.append((1, name))
        for _ in range(5):
            n += 1
            text = POOL[(n + 15) % 40] + "。"
            t.add(f"问题{n}：{text}", "整改进展：" + measure(n))
            c.problems.append((n, text))
    t.add("三、下一步工作打算", "局党组将持续巩固整改成果,建立长效机制。",
          "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话:023-65123456。",
          f"中共{unit}党组  2023年 1月10日", "（此件公开发布）")
    c.text = t.text()
    return c


ALL.append(wenti_arabic)


def tab_table_grouped() -> Case:
    """The table notice with a 方面 heading between its rows, as a table with merged group rows pastes."""
    c = tab_table()
    lines = c.text.split("\n")
    first = next(k for k, ln in enumerate(lines) if ln.startswith("1\t"))
    seventh = next(k for k, ln in enumerate(lines) if ln.startswith("7\t"))
    lines = [*lines[:first], "（一）关于党的建设方面", *lines[first:seventh], "（二）关于作风建设方面", *lines[seventh:]]
    c.tree = [(1, "关于党的建设方面"), (1, "关于作风建设方面")]
    c.across = True
    c.text = "\n".join(lines)
    return c


ALL.append(tab_table_grouped)


# -- no part headings: 一、 二、 三、 are the 方面 of the problems ------------------------------------------------
def cn_comma_categories() -> Case:
    unit = "XX县林业局"
    title = f"中共{unit}党组关于县委巡察反馈意见整改情况的通报"
    c = Case(title=title, signature=f"中共{unit}党组", sign_date="2022-05-06", across=True)
    t = Lines()
    t.add(title, _opening(unit, "县委第二巡察组", body="县委"))
    n = 0
    for ci, name in enumerate(["关于党的政治建设方面的问题", "关于全面从严治党方面的问题", "关于选人用人方面的问题"]):
        t.add(f"{to_chinese(ci + 1)}、{name}")
        c.tree.append((1, name))
        for _ in range(4):
            n += 1
            text = POOL[n] + "。"
            t.add(f"{n}.{text}", "整改情况：" + measure(n))
            c.problems.append((n, text))
    t.add("欢迎广大干部群众对巡察整改落实情况进行监督。联系电话:0370-1234567。", f"中共{unit}党组", "2022年5月6日")
    c.text = t.text()
    return c


# -- 1、 problems whose narratives are （1）（2） items with no label ---------------------------------------------
def unlabelled_sublists() -> Case:
    unit = "XX街道工作委员会"
    title = f"中共{unit}关于区委巡察反馈意见整改情况的通报"
    c = Case(title=title, signature=f"中共{unit}", sign_date="2022-05-06", across=False)
    t = Lines()
    t.add(title, _opening(unit, "区委第二巡察组").replace("党组", ""), "一、整改工作开展情况", "街道党工委高度重视巡察整改工作。",
          "二、反馈问题整改情况")
    c.part_one_starts = "一、整改工作开展情况"
    for n in range(1, 11):
        text = POOL[n + 20] + "。"
        items = ["（1）" + measure(n), "（2）建立长效机制,定期开展检查。"]
        t.add(f"{n}、{text}", *items)
        c.problems.append((n, text))
        c.not_problems += items
    t.add("三、下一步工作打算", "持续巩固整改成果。", f"中共{unit}", "2022年5月6日")
    c.text = t.text()
    return c


ALL += [cn_comma_categories, unlabelled_sublists]


# -- a county portal: the title twice, bracketed 发布时间, 阅读：N次, 【我要打印】【关闭】 and the site's footer -------
PORTAL_HEAD = ["XX县人民政府", "首页 > 政务公开 > 通知公告"]
PORTAL_UNDER = ["【发布时间：2022-05-06】【来源：县水务局】", "字号：【大】【中】【小】", "阅读：123次", "作者：办公室  来源：县水务局"]
PORTAL_TAIL = ["【我要打印】【关闭】", "主办：XX县人民政府办公室 承办：XX县大数据中心", "网站标识码：4101230001  豫ICP备12345678号",
               "联系我们 | 网站地图"]


def portal_footer() -> Case:
    unit = "XX县水务局"
    title = f"中共{unit}党组关于县委巡察反馈意见整改情况的通报"
    c = Case(title=title, signature=f"中共{unit}党组", sign_date="2022-05-06", across=False)
    t = Lines()
    t.add(*PORTAL_HEAD, title, title, *PORTAL_UNDER, _opening(unit, "县委第二巡察组", body="县委"))
    c.dropped = [*PORTAL_HEAD, title, *PORTAL_UNDER]
    t.add("一、整改工作开展情况", "局党组高度重视巡察整改。", "二、巡察反馈问题整改情况")
    c.part_one_starts = "一、整改工作开展情况"
    for n in range(1, 13):
        text = POOL[n + 4] + "。"
        t.add(f"{n}.{text}", "整改情况：", measure(n), "下一步将继续巩固整改成果。")   # the label alone on its line
        c.problems.append((n, text))
    t.add("三、下一步工作打算", "持续巩固整改成果。", "欢迎监督。联系电话:0370-1234567。", f"中共{unit}党组", "2022年5月6日",
          *PORTAL_TAIL)
    c.dropped += PORTAL_TAIL
    c.text = t.text()
    return c


ALL.append(portal_footer)


# -- a copy that lost the line break between a problem and its 整改情况 ------------------------------------------
def inline_labels() -> Case:
    unit = "XX县商务局"
    title = f"中共{unit}党组关于县委巡察反馈意见整改进展情况的通报"
    c = Case(title=title, signature=f"中共{unit}党组", sign_date="2022-10-18", across=True)
    t = Lines()
    t.add(title, _opening(unit, "县委第一巡察组", body="县委"), "一、整改工作开展情况", "局党组坚持把巡察整改作为重大政治任务。",
          "二、巡察反馈问题整改情况")
    c.part_one_starts = "一、整改工作开展情况"
    n = 0
    for ci, name in enumerate(["关于党的建设方面", "关于作风建设方面"]):
        t.add(f"（{to_chinese(ci + 1)}）{name}")
        c.tree.append((1, name))
        for _ in range(6):
            n += 1
            text = POOL[(n + 9) % 40] + "。"
            line = t.add(f"{n}.{text}整改情况：{measure(n)}" if n % 3 else f"{n}.{text}")
            if n % 3:
                c.warn_lines.append(line)
            else:
                t.add("整改情况：" + measure(n))
            c.problems.append((n, text))
    _closing(t, unit, date="2022年10月18日")
    c.text = t.text()
    return c


ALL.append(inline_labels)


# -- problems written 一是…, 二是… under numbered 项, each with its own 整改情况 --------------------------------------
def item_problems() -> Case:
    unit = "XX县气象局"
    title = f"中共{unit}党组关于县委巡察反馈意见整改情况的通报"
    c = Case(title=title, signature=f"中共{unit}党组", sign_date="2022-06-30", across=False)
    t = Lines()
    t.add(title, _opening(unit, "县委第二巡察组", body="县委"), "一、整改工作开展情况",
          "一是提高站位,局党组召开专题会议研究部署整改工作;二是压实责任,建立整改台账。",
          "二是强化督导,定期调度整改进展。", "二、巡察反馈问题整改情况")
    c.part_one_starts = "一、整改工作开展情况"
    k = 0
    for g in range(1, 5):
        group = POOL[g + 30].split(",")[0] + "方面的问题"
        t.add(f"{g}.{group}")
        c.tree.append((1, group))
        for n in range(1, 3 + g % 2):
            text = POOL[k] + "。"
            t.add(f"{to_chinese(n)}是{text}", "整改情况：" + measure(k))
            c.problems.append((n, text))
            k += 1
    _closing(t, unit, date="2022年6月30日")
    c.text = t.text()
    return c


# -- 【问题一】 and 【整改情况】 in brackets ------------------------------------------------------------------------
def bracketed() -> Case:
    unit = "XX县人力资源和社会保障局"
    title = f"中共{unit}党组关于县委巡察反馈意见整改情况的通报"
    c = Case(title=title, signature=f"中共{unit}党组", sign_date="2022-06-30", across=True)
    t = Lines()
    t.add(title, _opening(unit, "县委第三巡察组", body="县委"), "一、整改工作开展情况", "局党组高度重视巡察整改。",
          "二、巡察反馈问题整改情况")
    c.part_one_starts = "一、整改工作开展情况"
    n = 0
    for ci, name in enumerate(["关于政治建设方面", "关于作风建设方面"]):
        t.add(f"（{to_chinese(ci + 1)}）{name}")
        c.tree.append((1, name))
        for _ in range(5):
            n += 1
            text = POOL[(n + 22) % 40] + "。"
            t.add(f"【问题{to_chinese(n)}】{text}", "【整改情况】" + measure(n))
            c.problems.append((n, text))
    _closing(t, unit, date="2022年6月30日")
    c.text = t.text()
    return c


ALL += [item_problems, bracketed]
