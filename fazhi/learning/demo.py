"""Demo learning and outreach records: the previous calendar year and this one up to
yesterday, for each demo county.

A bureau's usual rhythm: a 局务会会前学法 every month, the Party group's central
study group each quarter, lectures in spring and autumn, online study in summer;
case seminars each quarter; the enforcement exam in the autumn; campaigns on the
key days (世界地球日 4·22, 全国土地日 6·25, 测绘法宣传日 8·29, 国家宪法日 12·4 …);
a "以案释法" item after each closed demo case. Every record is made through the
services as if on its own day (``on_day(day)``), so dates and audit agree; counts come
from a generator seeded by the county, so a county's demo is the same every time.
Loading again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from fazhi.core.demo import on_day
from fazhi.core.models import User
from fazhi.learning import selectors, services
from fazhi.learning.models import StudySession

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
ONE_DAY = dt.timedelta(days=1)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"

LAWS = ["中华人民共和国土地管理法", "中华人民共和国土地管理法实施条例",
        "中华人民共和国城乡规划法", "中华人民共和国矿产资源法",
        "中华人民共和国行政处罚法", "中华人民共和国行政许可法",
        "中华人民共和国行政复议法", "中华人民共和国行政诉讼法",
        "中华人民共和国政府信息公开条例", "中华人民共和国民法典",
        "中华人民共和国测绘法", "自然资源行政处罚办法", "基本农田保护条例",
        "不动产登记暂行条例", "湖南省实施《中华人民共和国土地管理法》办法"]
MONTHLY_TOPICS = ["耕地保护和用途管制", "行政处罚程序与裁量基准",
                  "农村宅基地审批管理", "新修订的行政复议法要点",
                  "政府信息公开申请办理", "不动产登记疑难问题",
                  "矿产资源开发秩序整治", "国土空间规划实施监督",
                  "卫片执法与违法用地查处", "民法典物权编与不动产",
                  "测绘地理信息安全保密", "年度依法行政工作回顾"]
# (month, day, title, audience, channel, place, laws)
CAMPAIGNS = [
    (3, 12, "春耕时节耕地保护进村宣传", "村民", "村村响广播", "各乡镇", [0, 12]),
    (4, 22, "世界地球日“珍爱地球 人与自然和谐共生”主题宣传", "社会公众", "现场咨询",
     "县城广场", [3, 10]),
    (5, 16, "“美好生活·民法典相伴”民法典宣传月网上专题", "社会公众",
     "新媒体（微信公众号）", "", [9]),
    (6, 25, "全国土地日“节约集约用地 严守耕地红线”主题宣传", "社会公众",
     "发放宣传资料", "县城广场", [0, 1, 12]),
    (7, 9, "乡镇领导干部自然资源法律知识培训", "领导干部", "讲座", "县委党校", [0, 2]),
    (8, 29, "测绘法宣传日“规范使用地图 一点都不能错”", "社会公众", "发放宣传资料",
     "县城步行街", [10]),
    (9, 17, "矿山企业矿产资源法律法规宣讲", "企业", "讲座", "县自然资源局会议室",
     [3, 4]),
    (10, 22, "农村乱占耕地建房问题整治政策宣传片进村播放", "村民", "视频", "各村委会",
     [0, 12]),
    (11, 13, "“土地国情国策”进校园", "青少年学生", "讲座", "县第一中学", [0]),
    (12, 4, "国家宪法日暨“宪法宣传周”集中宣传", "社会公众", "现场咨询", "县城广场",
     [0, 4]),
]


def _weekday(day: dt.date) -> dt.date:
    """The day itself, or the Monday after when it falls on a weekend."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def load(*, prefix: str) -> int:
    """Create the learning records of the county whose users start with ``prefix``."""
    recorder = User.objects.get(username=f"{prefix}_legal")
    if StudySession.objects.filter(org_unit=recorder.org_unit).exists():
        return 0
    staff = list(User.objects.filter(org_unit=recorder.org_unit).order_by("username"))
    today = timezone.localdate()
    demo = _Demo(recorder, staff, today, random.Random(f"learning-{prefix}"))
    with transaction.atomic():
        for year in (today.year - 1, today.year):
            demo.year(year)
        demo.explanations()
    return demo.n


class _Demo:
    def __init__(self, recorder, staff, today, rng):
        self.recorder, self.staff, self.today, self.rng = recorder, staff, today, rng
        self.n = 0
        self.county = recorder.org_unit.division_name

    def past(self, day: dt.date) -> bool:
        return day < self.today

    def who(self, k: int) -> list:
        return self.rng.sample(self.staff, min(k, len(self.staff)))

    def year(self, year: int) -> None:
        for month in range(1, 13):
            self.monthly(year, month)
        for month, day, *campaign in CAMPAIGNS:
            self.campaign(dt.date(year, month, day), *campaign)
        for month in (2, 5, 8, 11):
            self.seminar(_weekday(dt.date(year, month, 20)))
        self.exams(_weekday(dt.date(year, 9, 27)))

    def session(self, day: dt.date, kind: str, topic: str, laws: list[str],
                speaker: str = "", others: int = 0, sheet: bool = False) -> None:
        if not self.past(day):
            return
        files = [ContentFile(PDF, name=f"{day:%Y%m%d}学法签到表.pdf")] if sheet else []
        with on_day(day):
            services.session_save(
                actor=self.recorder, held_on=day, kind=kind, topic=topic, laws=laws,
                speaker=speaker, organiser=self.recorder,
                attendees=self.who(self.rng.randint(6, len(self.staff))),
                other_attendees=others, files=files,
                summary=f"集中学习{'、'.join(f'《{law}》' for law in laws)}，"
                        "结合本局执法和审批工作交流学习体会。")
        self.n += 1

    def monthly(self, year: int, month: int) -> None:
        topic = MONTHLY_TOPICS[month - 1]
        laws = self.rng.sample(LAWS, 2)
        self.session(_weekday(dt.date(year, month, 9)), "局务会会前学法",
                     f"会前学法：{topic}", laws)
        if month % 3 == 0:
            self.session(_weekday(dt.date(year, month, 24)), "党组理论学习中心组学法",
                         "学习习近平法治思想和自然资源领域法律法规",
                         ["习近平法治思想", LAWS[month % len(LAWS)]], sheet=True)
        if month in (4, 10):
            self.session(_weekday(dt.date(year, month, 16)), "专题讲座",
                         f"法治专题讲座：{topic}", laws[:1], speaker="县司法局法律顾问",
                         others=self.rng.randint(10, 40), sheet=True)
        if month in (7, 11):
            self.session(_weekday(dt.date(year, month, 18)), "网上学法",
                         "湖南省国家工作人员学法考法平台年度必学课程",
                         ["中华人民共和国宪法", "中华人民共和国民法典"])

    def campaign(self, day, title, audience, channel, place, laws) -> None:
        if not self.past(day):
            return
        reached = {"领导干部": (40, 90), "企业": (30, 80), "青少年学生": (200, 600),
                   "村民": (800, 3000)}.get(audience, (300, 1500))
        with on_day(day):
            services.campaign_save(
                actor=self.recorder, held_on=day, title=title, audience=audience,
                channel=channel, place=place and f"{self.county}{place}",
                laws=[LAWS[i] for i in laws], sessions=self.rng.randint(1, 4),
                people_reached=self.rng.randint(*reached),
                materials_handed_out=self.rng.randint(0, 8) * 100,
                summary=f"{self.county}自然资源局组织开展{title}。",
                files=[ContentFile(JPEG, name=f"{day:%Y%m%d}活动照片.jpg")])
        self.n += 1

    def seminar(self, day: dt.date) -> None:
        if not self.past(day):
            return
        cases = [c.number for c in selectors.closed_cases(actor=self.recorder)
                 if c.filed_on and c.filed_on <= day][:2]
        with on_day(day):
            services.seminar_save(
                actor=self.recorder, held_on=day, topic="违法占地案件办理疑难问题研讨",
                case_numbers=cases,
                other_cases="" if cases else "省厅通报的违法占用耕地建房典型案例",
                attendees=self.who(self.rng.randint(5, 8)),
                conclusions="统一了面积测量、地类认定和裁量情节适用的口径。")
        self.n += 1

    def exams(self, day: dt.date) -> None:
        if not self.past(day):
            return
        names = ("officer", "officer2", "reviewer", "legal")
        sitting = [u for u in self.staff if u.username.split("_", 1)[1] in names]
        for i, person in enumerate(self.rng.sample(sitting, 2 + day.year % 2)):
            score = self.rng.randint(52, 95)
            passed = score >= 60
            recorded = min(day + dt.timedelta(days=3), self.today - ONE_DAY)
            with on_day(recorded):
                services.exam_save(
                    actor=self.recorder, person=person, sat_on=day, score=score,
                    passed=passed, exam_name=f"{day.year}年度湖南省行政执法资格考试",
                    certificate_number=(f"湘{person.org_unit.division_code}"
                                        f"{day.year % 100:02d}{i + 1:03d}"
                                        if passed else ""),
                    certificate_valid_from=day + dt.timedelta(days=30) if passed
                    else None,
                    certificate_valid_until=(day.replace(year=day.year + 5)
                                             if passed else None))
            self.n += 1

    def explanations(self) -> None:
        for case in selectors.closed_cases(actor=self.recorder):
            day = _weekday(case.closed_on + dt.timedelta(days=7))
            if not self.past(day):
                continue
            with on_day(day):
                services.explanation_save(
                    actor=self.recorder, case_number=case.number,
                    title=f"以案释法：未经批准占用土地须依法承担法律责任（{case.number}）",
                    summary="【案情】当事人未经批准占用土地建设，经立案调查依法处理。\n"
                            "【释法】《中华人民共和国土地管理法》第七十七条规定，未经批准"
                            "非法占用土地的，由县级以上人民政府自然资源主管部门责令退还"
                            "非法占用的土地，并可处以罚款。",
                    published_in=f"{self.county}人民政府门户网站", published_on=day)
            self.n += 1
