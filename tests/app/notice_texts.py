"""Realistic notices in the shapes that real offices paste in (issue 12), written for the tests.

Each builder returns the text and what a clerk reading it would count: the category tree (texts by
depth), the problems (numbers and texts) and the lines that carry damage. The language follows the
published samples: long paragraphs, half- and full-width punctuation mixed, a lost character here and
there. Nothing here is an idealised text: every variant carries the flaws its shape is known for.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from app.numerals import to_chinese

PROBLEMS = [
    "理论学习中心组学习制度执行不严格,集体研讨流于形式,学用结合不紧密",
    "意识形态工作责任制落实不到位,对网络舆情研判处置不够及时",
    "贯彻落实优化营商环境决策部署有差距,“放管服”改革推进缓慢",
    "“三重一大”事项集体决策制度执行不到位,个别大额资金使用未经党组会研究",
    "落实全面从严治党主体责任压力传导层层递减,班子成员“一岗双责”履行不到位",
    "廉政风险防控机制不健全,重点岗位人员轮岗交流不及时",
    "违反中央八项规定精神问题时有发生,公务接待审批手续不全",
    "财务管理不规范,存在白条入账、报销审核把关不严的问题",
    "政府采购程序不规范,部分服务类项目未按规定公开招标",
    "基层党组织建设薄弱,“三会一课”制度落实不到位",
    "党员教育管理不严格,部分党员参加组织生活不经常",
    "干部选拔任用工作不规范,干部人事档案管理存在缺项漏项",
    "固定资产管理混乱,账实不符,部分资产长期闲置",
    "门户网站信息发布审核把关不严,存在错漏",
    "联系服务群众不够深入,群众反映的问题办理不及时",
    "政务服务事项“一网通办”覆盖率偏低,线上办理深度不够",
    "窗口工作人员业务能力不强,一次性告知落实不到位",
    "执法检查随意性大,“双随机、一公开”监管落实不到位",
    "项目资金拨付进度缓慢,资金使用效益不高",
    "内部控制制度不健全,合同管理不规范",
    "巡察整改日常监督不到位,整改台账更新不及时",
    "作风建设抓得不实,“文山会海”问题依然存在",
    "重大事项请示报告制度落实不严格,存在事后报告的情况",
    "党风廉政教育针对性不强,警示教育开展次数偏少",
    "选人用人“凭资历、论年头”的倾向仍然存在",
    "机关党建与业务工作结合不紧,存在“两张皮”现象",
    "专项资金管理使用不规范,存在挤占挪用风险",
    "安全生产责任落实不到位,隐患排查整治不彻底",
    "信访积案化解不力,部分群众诉求长期得不到解决",
    "工会经费使用不规范,慰问品发放范围超出规定",
    "公务用车管理不严格,派车登记手续不全",
    "档案管理工作薄弱,文书档案归档不及时",
    "人才队伍结构不合理,专业技术人员占比偏低",
    "对下属单位监督管理不到位,下属中心财务制度执行不严",
    "落实“第一议题”制度不经常,传达学习后研究部署不够",
    "干部担当作为不够,“怕担责、怕出错”思想仍然存在",
    "整改工作机制不健全,对上轮巡察整改问题“回头看”不够",
    "办公用房清理腾退不彻底,个别科室超标准使用办公用房",
    "政务公开工作不规范,部分应公开事项未及时公开",
    "基层减负工作落实不到位,督查检查考核过多过频",
]
NARRATIVES = [
    "局党组召开专题会议,对照问题深入剖析原因,制定了《关于进一步加强{t}的实施方案》,明确了责任领导、责任科室和完成时限。"
    "一是健全制度,修订完善相关制度2项;二是加强督促检查,每季度开展一次专项检查;三是强化结果运用,将整改情况纳入年度考核。",
    "已完成整改。{t}的问题已于2021年11月底前整改到位,下一步将建立长效机制,防止问题反弹回潮。",
    "针对{t}的问题,局党组书记带头约谈相关责任人,责令限期整改;组织全体干部职工开展专题学习3次,"
    "举一反三排查同类问题4个,已全部整改完毕.",
    "一是立行立改,对存在的问题逐项建立台账,实行销号管理;二是完善机制,出台《工作规程》,"
    "进一步规范工作流程;三是加强培训,组织业务培训2期,参训人员86人次。",
]
BANNERS = [
    ["XX市市场监督管理局——政务公开", "欢迎来到XX市市场监督管理局门户网站！", "首页>政府信息公开>法定主动公开内容>通知公告"],
    ["当前位置：首页 > 信息公开 > 巡察整改", "【字体：大 中 小】【打印】【关闭】"],
    ["XX县人民政府门户网站", "欢迎访问XX县人民政府网站", "您现在的位置：首页 » 政务公开 » 通知公告", "分享到："],
]


@dataclass
class Expected:
    """What the source holds, as a clerk counts it."""

    title: str = ""
    signature: str = ""
    sign_date: str = ""                      # ISO, or '' when the source's date is missing or garbled
    tree: list[tuple[int, str]] = field(default_factory=list)   # (depth, text) of each category, in order
    problems: list[tuple[int, str]] = field(default_factory=list)  # (number, text) in order
    across: bool = True
    dropped: list[str] = field(default_factory=list)
    damaged_lines: list[int] = field(default_factory=list)     # lines the parser must warn about
    part_one_starts: str = ""
    part_one_lines: list[str] = field(default_factory=list)
    unlabelled: bool = False


def _narrative(i: int) -> str:
    return NARRATIVES[i % len(NARRATIVES)].format(t=PROBLEMS[i % len(PROBLEMS)].split(",")[0])


class Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, *lines: str) -> int:
        self.lines.extend(lines)
        return len(self.lines)  # the 1-based line of the last one added

    def text(self, blank_lines: bool = False) -> str:
        return ("\n\n" if blank_lines else "\n").join(self.lines)


def opening(unit: str, group: str = "市委第三巡察组") -> str:
    return (f"根据市委统一部署,2021年3月15日至5月20日,{group}对{unit}党组开展了常规巡察。2021年6月28日,{group}向"
            f"{unit}党组反馈了巡察意见。按照党务公开和巡察工作有关要求,现将巡察整改进展情况予以公布。")


def part_one_plain(t: Lines, heading: str = "一、提高政治站位,扛牢巡察整改政治责任") -> None:
    t.add(heading,
          "局党组始终把巡察整改作为重大政治任务,第一时间召开党组会议,认真学习领会市委巡察组反馈意见,成立了由党组书记任组长、"
          "班子成员任副组长的巡察整改工作领导小组,研究制定整改方案,明确整改任务、责任领导、责任科室和完成时限。",
          "局党组先后召开党组会议5次、专题会议3次,研究部署整改工作,对整改工作进行再督促、再落实,确保件件有着落、事事有回音。")


def part_three(t: Lines, unit: str) -> None:
    t.add("三、下一步工作打算",
          f"下一步,{unit}党组将坚持目标不变、标准不降、力度不减,持续巩固深化巡察整改成果。一是持续压实整改责任;"
          "二是建立健全长效机制;三是以巡察整改为契机,推动各项工作提质增效。",
          "欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议,请及时向我们反映。联系电话:0123-85550123;"
          "通信地址:XX市新华路18号;邮政编码:123000;电子邮箱:xxjdw@163.com。")


# -- shape 1: a notice copied from a web page ---------------------------------------------------------------
def web_page(variant: int) -> tuple[str, Expected]:
    unit = ["XX市市场监督管理局", "XX市生态环境局", "XX县自然资源和规划局"][variant]
    title = f"中共{unit}党组关于市委第三巡察组巡察反馈意见整改进展情况的通报"
    e = Expected(title=title)
    t = Lines()
    for line in BANNERS[variant]:
        t.add(line)
        e.dropped.append(line)
    if variant == 2:  # the page repeats the title in its header bar
        t.add(title)
        e.dropped.append(title)
    t.add(title)
    meta = ["发布时间：2021-12-20 10:32 来源：本站 浏览次数：1234", "发布时间:2021年12月20日 09:15  信息来源:市市场监管局",
            "来源：XX县自然资源和规划局   发布日期：2021-12-21"][variant]
    t.add(meta)
    e.dropped.append(meta)
    if variant == 1:
        t.add("【字体：大 中 小】", "分享到：")
        e.dropped += ["【字体：大 中 小】", "分享到："]
    t.add(opening(unit))
    part_one_plain(t)
    e.part_one_starts = "一、提高政治站位"
    t.add("二、巡察反馈问题整改落实情况")
    cats = ["(一)关于党的政治建设方面", "(二)关于全面从严治党方面", "(三)关于基层党组织建设方面"][: 2 + (variant > 0)]
    n = 0
    for head in cats:
        t.add(head)
        e.tree.append((1, head[3:]))
        for _ in range(3 + variant):
            n += 1
            text = PROBLEMS[n - 1]
            t.add(f"{n}.{text}。" if variant != 1 else f"{n}、关于“{text}”的问题")
            e.problems.append((n, f"{text}。" if variant != 1 else text))
            t.add(("整改情况:" if n % 2 else "整改情况：") + _narrative(n))
    e.across = True
    part_three(t, unit)
    t.add(f"中共{unit}党组")
    e.signature = f"中共{unit}党组"
    tails = [(["202122", "打印本页 关闭窗口"], ""),
             (["2021年12月20日", "【打印本页】 【关闭窗口】", "上一篇：关于开展安全生产大检查的通知",
               "下一篇：2021年度政府信息公开工作年度报告"], "2021-12-20"),
             (["2021年12月2日", "扫一扫在手机打开当前页", "打印  关闭", "版权所有：XX县人民政府  主办：XX县人民政府办公室"],
              "2021-12-02")]
    tail, e.sign_date = tails[variant]
    t.add(*tail)
    e.dropped += tail if not e.sign_date else tail[1:]
    if variant == 0:
        e.damaged_lines.append(len(t.lines) - 1)  # the garbled date
    if variant == 2:  # no signature line at all: the 署名 comes from the unit in the title
        t.lines.remove(f"中共{unit}党组")
    return t.text(blank_lines=variant == 2), e


# -- shape 2: three levels, problems numbered across the notice, lost brackets ---------------------------
def three_levels(variant: int) -> tuple[str, Expected]:
    unit = ["XX区住房和城乡建设局", "XX区卫生健康局", "XX区教育局"][variant]
    title = f"中共{unit}党组关于区委巡察反馈意见整改情况的通报"
    e = Expected(title=title, signature=f"中共{unit}党组", sign_date="2022-01-18")
    t = Lines()
    t.add(title, opening(unit, "区委第二巡察组"))
    part_one_plain(t, "一、整改工作开展情况")
    t.add("二、巡察反馈问题整改落实情况")
    aspects = [("(一)", "贯彻落实党的路线方针政策和党中央决策部署方面"), ("(二)", "落实全面从严治党战略部署方面"),
               ("(三)", "落实新时代党的组织路线方面")]
    groups = [[3, 2, 3], [2, 4], [3, 2]] if variant == 0 else [[2, 2], [3, 1], [2, 2, 1]]
    close = ")" if variant != 1 else "）"
    lost = {0: {4, 9, 15}, 1: {5, 11}, 2: {3}}[variant]
    typo_group = variant == 1  # a group numbered "12." where "1." is expected
    n = 0
    for (prefix, name), sizes in zip(aspects, groups, strict=True):
        t.add(f"{prefix}{name}")
        e.tree.append((1, name))
        for g, size in enumerate(sizes, 1):
            group = PROBLEMS[(n + 17) % len(PROBLEMS)].split(",")[0] + "的问题仍然存在。"
            number = 12 if typo_group and prefix == "(二)" and g == 1 else g
            line = t.add(f"{number}.{group}")
            if number != g:
                e.damaged_lines.append(line)
            e.tree.append((2, group))
            for _ in range(size):
                n += 1
                text = PROBLEMS[n - 1] + "。"
                if n in lost:
                    line = t.add(f"{n}{text}")       # the bracket was lost: the number runs into the text
                    e.damaged_lines.append(line)
                else:
                    t.add(f"{n}{close}{text}")
                e.problems.append((n, text))
                t.add(["整改进程:完成整改,长期坚持。", "整改进程：已完成整改。", "整改进程:正在整改,持续推进。"][n % 3])
                t.add(("整改情况:" if n % 2 else "整改情况：") + _narrative(n))
                if n % 4 == 0:
                    t.add("下一步,将持续跟踪问题整改成效,坚决防止问题反弹。")  # a narrative over two paragraphs
    t.add("三、下一步工作打算", "我们将以此次巡察整改为契机,持续深化整改成果,推动全面从严治党向纵深发展。")
    t.add(f"欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议,请及时向我们反映。联系电话:0123-8{variant}667788。")
    t.add(f"中共{unit}党组", "2022年1月18日")
    if variant == 2:
        t.lines[1] = t.lines[1].replace("予以公布。", f"予以公布。区委巡察组共反馈{n}个问题。")
    return t.text(), e


# -- shape 3: part 一 with sub-sections, no 二、, categories numbered on, problems (1)…(N), no labels -------
def subsections(variant: int) -> tuple[str, Expected]:
    unit = ["XX县农业农村局", "XX县水利局", "XX县财政局"][variant]
    title = f"中共{unit}党组关于县委第一巡察组巡察反馈意见整改进展情况的通报"
    e = Expected(title=title, signature=f"中共{unit}党组", sign_date="2022-03-09", across=True, unlabelled=True)
    t = Lines()
    sizes = [[4, 3, 3, 2], [3, 3, 2, 3], [2, 3, 3, 2]][variant]
    total = sum(sizes)
    t.add(title, opening(unit, "县委第一巡察组").replace("予以公布。", f"予以公布。巡察组共反馈4个方面{total}个问题。"))
    t.add("一、巡察整改工作开展情况")
    e.part_one_starts = "一、巡察整改工作开展情况"
    one = ["(一)提高政治站位,加强组织领导工作情况",
           "1.及时召开专题会议。巡察反馈会后,局党组第一时间召开专题会议,传达学习巡察反馈意见,研究部署整改工作。",
           "2.成立整改领导小组。成立了以党组书记为组长的整改工作领导小组,下设办公室,负责整改工作的组织协调和督促检查。",
           "3.制定整改方案。对照反馈意见逐条梳理,制定整改任务清单、责任清单和时限清单,做到整改任务具体化、责任明确化。",
           "(二)整改任务落实情况",
           "1.坚持立行立改。对能够立即整改的问题,即知即改、立行立改。",
           "2.坚持标本兼治。既解决具体问题,又建章立制,着力构建长效机制。"]
    if variant == 2:  # part 一 uses full-width brackets and 1、
        one = [x.replace("(", "（").replace(")", "）").replace("1.", "1、").replace("2.", "2、").replace("3.", "3、")
               for x in one]
    t.add(*one)
    e.part_one_lines = ["一、巡察整改工作开展情况", *one]
    names = ["关于党的领导弱化方面", "关于党的建设缺失方面", "关于全面从严治党不力方面", "关于巡察整改不到位方面"]
    missing = {0: 2, 1: None, 2: 3}[variant]   # the source lost the heading of this category
    if missing is not None:
        e.damaged_lines.append(2)                 # the opening says 4 方面; the tree has 3
    n = 0
    for c, (name, size) in enumerate(zip(names, sizes, strict=True)):
        prefix = f"({to_chinese(c + 3)})" if variant != 2 else f"（{to_chinese(c + 3)}）"
        if c != missing:
            line = t.add(f"{prefix}{name}")
            e.tree.append((1, name))
            if missing is not None and c == missing + 1:
                e.damaged_lines.append(line)      # (四) → (六): the heading in between was lost
        for _ in range(size):
            n += 1
            text = PROBLEMS[(n + 5) % len(PROBLEMS)] + "。"
            t.add(f"({n}){text}" if variant != 2 else f"（{n}）{text}")
            e.problems.append((n, text))
            t.add(_narrative(n))
            if n % 3 == 0:
                t.add("经整改,该问题已整改到位,相关制度已印发执行。")
    t.add("三、下一步工作打算", "坚持问题导向,持续跟踪问题整改,确保整改工作取得实效。",
          "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话:0123-4567890。", f"中共{unit}党组", "2022年3月9日")
    return t.text(), e
