"""Texts for the generated dataset, in Chinese or English, of the lengths the documents have.

Sentences are assembled from the vocabulary of the performance reports (A/76/525, A/76/596):
statements, actual narratives with embedded figures and a closing variance explanation,
planned outputs with their quantity, remarks with breakdowns and lettered lists. Everything
is drawn from the caller's seeded random.Random, so equal seeds give equal texts.
"""

from __future__ import annotations

import random

ZH, EN = "zh", "en"

PLACES = {
    ZH: ["北部地区", "首都", "东部各省", "南部边境地区", "西部高原", "沿海城镇", "河谷地区", "中部各市", "难民营周边",
         "边境口岸", "三个行政区", "偏远村庄", "省会城市", "过渡地区", "矿区"],
    EN: ["the northern region", "the capital", "the eastern provinces", "the southern border area", "the western highlands",
         "coastal towns", "the river valley", "central municipalities", "areas around the camps", "border crossing points",
         "three administrative districts", "remote villages", "provincial capitals", "transition areas", "mining areas"],
}
ACTORS = {
    ZH: ["地方当局", "民间社会组织", "妇女团体", "青年组织", "国家警察", "司法机构", "市政机制", "传统领袖", "过渡政府",
         "人权机构", "国家安全部队", "议会委员会", "选举管理机构"],
    EN: ["local authorities", "civil society organizations", "women's groups", "youth organizations", "the national police",
         "judicial institutions", "municipal mechanisms", "traditional leaders", "the transitional Government",
         "human rights institutions", "national security forces", "parliamentary committees", "the electoral management body"],
}
TOPICS = {
    ZH: ["族群间建立信任", "保护平民", "法治", "人权监测", "性别平等", "流离失所者回返", "选举进程", "安全部门改革",
         "冲突中的性暴力", "儿童保护", "地方治理", "解除武装、复员和重返社会", "排雷行动", "社区暴力的减少"],
    EN: ["inter-community trust-building", "the protection of civilians", "the rule of law", "human rights monitoring",
         "gender equality", "the return of displaced persons", "the electoral process", "security sector reform",
         "conflict-related sexual violence", "child protection", "local governance",
         "disarmament, demobilization and reintegration", "mine action", "community violence reduction"],
}
DOCUMENTS = {
    ZH: ["外地报告", "专题报告", "情况简报", "每周态势报告", "公开报告", "技术说明", "分析报告"],
    EN: ["field reports", "thematic reports", "situation briefs", "weekly situation reports", "public reports",
         "technical notes", "analytical reports"],
}
ACTIVITIES = {
    ZH: ["会议", "培训班", "讲习班", "联合巡逻", "实地走访", "协商会议", "宣传活动", "评估访问", "咨询会", "调解会议"],
    EN: ["meetings", "training sessions", "workshops", "joint patrols", "field visits", "consultations", "outreach campaigns",
         "assessment visits", "advisory sessions", "mediation meetings"],
}
CAUSES = {
    ZH: ["COVID-19 大流行期间的旅行限制", "安全局势恶化", "东道国当局要求增加支助", "雨季道路无法通行", "征聘工作延迟",
         "合作伙伴提供了额外资金", "采用了线上会议形式", "政治过渡期间优先事项发生变化", "采购程序延迟", "人员轮调推迟"],
    EN: ["travel restrictions during the COVID-19 pandemic", "the deteriorating security situation",
         "additional requests for support from the host authorities", "roads impassable during the rainy season",
         "delays in recruitment", "additional funding provided by partners", "the use of virtual meetings",
         "changed priorities during the political transition", "delays in procurement", "the postponed rotation of personnel"],
}

SERVICE_HEADINGS = {
    ZH: ["改进服务", "审计、风险和合规服务", "预算、财务和报告服务", "文职人员服务", "环境举措", "设施和基础设施",
         "燃料管理服务", "地理空间、信息和电信技术服务", "医疗服务", "供应链管理服务", "军警人员服务", "车辆管理和陆运服务"],
    EN: ["Service improvements", "Audit, risk and compliance services", "Budget, finance and reporting services",
         "Civilian personnel services", "Environmental initiatives", "Facility and infrastructure",
         "Fuel management services", "Geospatial, information and telecommunications technology services",
         "Medical services", "Supply chain management services", "Uniformed personnel services",
         "Vehicle management and ground transportation services"],
}
HQ_CATEGORIES = [
    "其他实务活动 › 斡旋、实况调查和其他特别任务",
    "议事机构文件 › 秘书长的报告",
    "议事机构文件 › 向立法机构提供的实务服务",
    "技术材料",
    "研讨会/讲习班 › 培训课程",
    "其他实务活动 › 咨询服务",
    "行政支助服务 › 人力资源管理",
    "行政支助服务 › 财务和预算",
]
HQ_EA_TEXTS = {
    ZH: ["向政府间机构提交的报告得到改进", "维持和平行动的快速部署和建立", "维持和平行动的效率和成效得到提高"],
    EN: ["Improved reports to intergovernmental bodies", "Rapid deployment and establishment of peacekeeping operations",
         "Increased efficiency and effectiveness of peacekeeping operations"],
}
HQ_UNITS = [
    ("A", "和平行动部", "Department of Peace Operations"),
    ("B", "业务支助部", "Department of Operational Support"),
    ("C", "管理战略、政策和合规部", "Department of Management Strategy, Policy and Compliance"),
    ("D", "内部监督事务厅", "Office of Internal Oversight Services"),
    ("E", "法律事务厅", "Office of Legal Affairs"),
    ("F", "全球传播部", "Department of Global Communications"),
    ("G", "安全和安保部", "Department of Safety and Security"),
    ("H", "秘书长办公厅", "Executive Office of the Secretary-General"),
    ("I", "道德操守办公室", "Ethics Office"),
    ("J", "联合国监察员和调解事务办公室", "Office of the United Nations Ombudsman and Mediation Services"),
    ("K", "行政司法办公室", "Office of Administration of Justice"),
    ("L", "信息和通信技术厅", "Office of Information and Communications Technology"),
    ("M", "维持和平行动联合国协调员办公室", "Office of the United Nations Coordinator for Peacekeeping"),
    ("N", "性剥削和性虐待问题特别协调员办公室", "Office of the Special Coordinator on Sexual Exploitation and Abuse"),
]
HQ_SUB_UNITS = {
    "A": ["副秘书长办公室", "政策、评价和培训司", "军事厅", "法治和安全机构厅", "特派团支助处"],
    "B": ["副秘书长办公室", "支助业务司", "特别活动司", "后勤司"],
    "C": ["方案规划、财务和预算厅", "人力资源厅", "业务实践和合规处"],
}
COMPONENTS = {
    ZH: ["政治进程与和解", "安全和保护平民", "人权与法治", "恢复和稳定", "性别平等与包容", "支助"],
    EN: ["Political process and reconciliation", "Security and protection of civilians", "Human rights and the rule of law",
         "Recovery and stabilization", "Gender equality and inclusion", "Support"],
}
EA_OPENINGS = {
    ZH: ["{topic}取得进展", "在{place}加强{topic}", "{actor}在{topic}方面的能力得到加强", "{place}的{topic}环境得到改善",
         "{actor}推动{topic}的工作更加有效"],
    EN: ["Progress towards {topic}", "Strengthened {topic} in {place}", "Enhanced capacity of {actor} for {topic}",
         "Improved environment for {topic} in {place}", "More effective work by {actor} on {topic}"],
}
# Statements by unit of measure, so the figures beside them make sense.
STATEMENTS = {
    ZH: {
        "count": ["在促进{place}{topic}方面，{actor}发起(开展)的活动数量增加", "{actor}执行关于{topic}的建议的数目增加",
                  "{actor}处理的{topic}案件数目增加", "因请求获得{topic}咨询指导的次数增加"],
        "percentage": ["在{place}担任领导职务的妇女比例增加", "{actor}执行的{topic}建议所占百分比提高", "充分遵守{topic}方案"],
        "band": ["空缺率保持在目标范围内", "国际工作人员实际空缺率保持在规划范围内"],
        "days": ["平均征聘天数减少", "处理{topic}请求的平均天数减少"],
        "months": ["完成{topic}评估的平均月数减少"],
        "score": ["{actor}对{topic}相关服务的满意度提高", "{topic}方面的绩效评分提高"],
        "qualitative": ["{actor}在{topic}方面的伙伴关系得到加强", "{place}的{topic}工作得到正面评价"],
        "amount": ["{topic}相关费用减少(千美元)"],
    },
    EN: {
        "count": ["Increased number of activities initiated by {actor} to promote {topic} in {place}",
                  "Increased number of recommendations on {topic} implemented by {actor}",
                  "Increased number of {topic} cases processed by {actor}", "Increased number of requests for advice on {topic}"],
        "percentage": ["Increased percentage of women in leadership positions in {place}",
                       "Increased percentage of recommendations on {topic} implemented by {actor}", "Full compliance with the {topic} programme"],
        "band": ["Vacancy rate kept within the target range", "Actual vacancy rate of international staff within the planned range"],
        "days": ["Reduction in the average number of days to recruit", "Reduction in the average number of days to process {topic} requests"],
        "months": ["Reduction in the average number of months to complete {topic} assessments"],
        "score": ["Increased satisfaction of {actor} with services related to {topic}", "Improved performance score on {topic}"],
        "qualitative": ["Strengthened partnership of {actor} on {topic}", "Positive assessment of the work on {topic} in {place}"],
        "amount": ["Reduced costs related to {topic} (thousands of US dollars)"],
    },
}
# How the achieved figure sits in the first sentence of an actual narrative.
ACHIEVED = {
    ZH: {
        "count": "特派团记录了{actor}作出和(或)实施的 {value} 项决定和活动，涉及{topic}、{topic2}和{topic3}。",
        "percentage": "该比例在 2020/21 年度达到 {value}，{actor}在{topic}方面的参与有所扩大。",
        "band": "实际空缺率为 {value}。",
        "days": "平均用时 {value} 天，{actor}参与了{topic}相关流程。",
        "months": "平均用时 {value} 个月。",
        "score": "{actor}对{topic}相关服务的评分为 {value}。",
        "qualitative": "评估结果为{value}，{actor}在{topic}方面的合作得到加强。",
        "amount": "相关费用为 {value} 千美元。",
    },
    EN: {
        "count": "The mission recorded {value} decisions and activities taken or implemented by {actor}, covering {topic}, {topic2} and {topic3}.",
        "percentage": "The percentage reached {value} in 2020/21, with wider participation of {actor} in {topic}.",
        "band": "The actual vacancy rate was {value}.",
        "days": "It took {value} days on average, with {actor} taking part in the {topic} process.",
        "months": "It took {value} months on average.",
        "score": "{actor} rated the services related to {topic} at {value}.",
        "qualitative": "The assessment was {value}: cooperation with {actor} on {topic} was strengthened.",
        "amount": "The related costs were {value} thousand US dollars.",
    },
}


class Writer:
    """Writes the texts of one report in one language from a seeded random source."""

    def __init__(self, rng: random.Random, language: str):
        self.rng = rng
        self.lang = language

    @property
    def zh(self) -> bool:
        return self.lang == ZH

    def _pick(self, bank: dict) -> str:
        return self.rng.choice(bank[self.lang])

    def _fill(self, template: str) -> str:
        return template.format(
            place=self._pick(PLACES), actor=self._pick(ACTORS), topic=self._pick(TOPICS),
            document=self._pick(DOCUMENTS), activity=self._pick(ACTIVITIES), cause=self._pick(CAUSES),
        )

    def _join(self, sentences: list[str]) -> str:
        return "".join(sentences) if self.zh else " ".join(sentences)

    # --- framework --------------------------------------------------------------------------

    def component_title(self, index: int, *, support: bool) -> str:
        titles = COMPONENTS[self.lang]
        return titles[-1] if support else titles[index % (len(titles) - 1)]

    def accomplishment(self) -> str:
        return self._fill(self._pick(EA_OPENINGS))

    def statement(self, measure: str) -> str:
        return self._fill(self.rng.choice(STATEMENTS[self.lang][measure]))

    def paragraphs(self, count: int, sentences: tuple[int, int] = (2, 4)) -> list[str]:
        return [self._join([self._sentence() for _ in range(self.rng.randint(*sentences))]) for _ in range(count)]

    def _sentence(self) -> str:
        n = self.rng.randint(2, 900)
        if self.zh:
            template = self.rng.choice([
                "在本报告所述期间，特派团继续与{actor}合作，在{place}推进{topic}。",
                "特派团在{place}举办了 {n} 次{activity}，参与者包括{actor}的代表。",
                "尽管面临{cause}，特派团仍通过斡旋支持{actor}开展{topic}方面的工作。",
                "特派团编写了关于{topic}的{document}，并分发给{actor}和国际伙伴。",
                "在{place}，{actor}在特派团的协助下处理了 {n} 项与{topic}有关的问题。",
            ])
        else:
            template = self.rng.choice([
                "During the reporting period, the mission continued to work with {actor} to advance {topic} in {place}.",
                "The mission held {n} {activity} in {place} with the participation of representatives of {actor}.",
                "Despite {cause}, the mission used its good offices to support {actor} in their work on {topic}.",
                "The mission prepared {document} on {topic} and shared them with {actor} and international partners.",
                "In {place}, {actor} resolved {n} issues related to {topic} with the assistance of the mission.",
            ])
        return self._fill(template.replace("{n}", f"{n:,}".replace(",", " ")))

    def actual_narrative(self, printed: str, measure: str) -> list[str]:
        """One to three paragraphs, the achieved figure embedded in the first; counts get a breakdown."""
        topics = self.rng.sample(TOPICS[self.lang], 3)
        first = ACHIEVED[self.lang][measure].format(
            value=printed, actor=self._pick(ACTORS), topic=topics[0], topic2=topics[1], topic3=topics[2]
        )
        if measure == "count":
            first += ("所处理的主要问题涉及：" if self.zh else " The main issues addressed concerned: ") + self._breakdown() + ("" if self.zh else ".")
        return [first, *self.paragraphs(self.rng.randint(0, 2))]

    def variance_explanation(self, *, higher: bool) -> str:
        cause = self._pick(CAUSES)
        if self.zh:
            return ("实际数高于计划，原因是" if higher else "实际数低于计划，部分原因是") + cause + "。" + self._sentence()
        return ("The actual figure was higher than planned owing to " if higher else "The actual figure was lower than planned, partly owing to ") + cause + ". " + self._sentence()

    def _breakdown(self) -> str:
        items = self.rng.sample(PLACES[self.lang], self.rng.randint(3, 6))
        parts = [f"{place}({self.rng.randint(3, 200)})" if self.zh else f"{place} ({self.rng.randint(3, 200)})" for place in items]
        return "；".join(parts) if self.zh else "; ".join(parts)

    def planned_output(self, quantity: str) -> str:
        if quantity and ";" in quantity:
            a, b = (q.strip() for q in quantity.split(";"))
            return (f"与{self._pick(ACTORS)}举行至少 {a} 次{self._pick(ACTIVITIES)}，并与{self._pick(ACTORS)}举行至少 {b} 次会议，以推动{self._pick(TOPICS)}"
                    if self.zh else
                    f"At least {a} {self._pick(ACTIVITIES)} with {self._pick(ACTORS)} and at least {b} meetings with {self._pick(ACTORS)} to advance {self._pick(TOPICS)}")
        if quantity:
            return (f"编写并以电子方式分发 {quantity} 份关于{self._pick(TOPICS)}的{self._pick(DOCUMENTS)}，以便就{self._pick(PLACES)}的相关问题促成知情决策"
                    if self.zh else
                    f"Preparation and electronic distribution of {quantity} {self._pick(DOCUMENTS)} on {self._pick(TOPICS)} to inform decisions on related issues in {self._pick(PLACES)}")
        return self._fill(
            "通过每日与{actor}举行会议，协助解决{place}影响{topic}的问题" if self.zh
            else "Daily meetings with {actor} to help resolve issues affecting {topic} in {place}"
        )

    def remarks(self, *, deviation: str | None) -> list[str]:
        """Paragraphs of remarks: what was done, sometimes a lettered list, then any deviation."""
        paragraphs = self.paragraphs(self.rng.randint(0, 2), (1, 3))
        if self.rng.random() < 0.25:
            letters = "abcdefgh"[: self.rng.randint(3, 8)]
            entries = [f"({letter}) {self._sentence()}" for letter in letters]
            paragraphs.append(("通过以下方式解决了问题：" if self.zh else "Issues were resolved as follows: ") + ("；".join(entries) if self.zh else "; ".join(entries)))
        if deviation == "higher":
            paragraphs.append(("数量高于计划，原因是" if self.zh else "The output was higher than planned owing to ") + self._pick(CAUSES))
        elif deviation == "lower":
            paragraphs.append(("数量低于计划，原因是" if self.zh else "The output was lower than planned owing to ") + self._pick(CAUSES))
        elif deviation == "pending":
            paragraphs.append("预计将于下一期间结束前完成" if self.zh else "Expected to be completed before the end of the next period")
        return paragraphs

    # --- resources and workflow -------------------------------------------------------------

    def resource_explanation(self, *, reduced: bool) -> tuple[str, str]:
        causes = self.rng.sample(CAUSES[self.lang], 2)
        if self.zh:
            main = ("所需经费减少的主要原因是：" if reduced else "所需经费增加的主要原因是：") + f"(a) {causes[0]}；(b) {causes[1]}。"
            offset = f"所需经费减少额被{self._pick(CAUSES)}部分抵消。" if reduced and self.rng.random() < 0.4 else ""
        else:
            main = ("The reduced requirements were attributable mainly to: " if reduced else "The increased requirements were attributable mainly to: ") + f"(a) {causes[0]}; and (b) {causes[1]}."
            offset = f"The reduced requirements were partly offset by {self._pick(CAUSES)}." if reduced and self.rng.random() < 0.4 else ""
        return main, offset

    def return_comment(self) -> str:
        return self._fill(
            "请补充{topic}相关指标的差异解释，并核对{place}的产出数字。" if self.zh
            else "Please add the variance explanations of the {topic} indicators and check the output figures for {place}."
        )
