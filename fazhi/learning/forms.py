"""Forms of the learning pages: they parse; services.py decides and validates.

A record form's fields carry the names of its service's arguments, so a view passes
``cleaned_data`` straight on (the optional ``file`` becomes ``files``).
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from fazhi.core.models import EvidenceKind, OrgUnit, User
from fazhi.core.scope import scoped
from fazhi.learning import selectors, services
from fazhi.ui.forms import DatalistInput, DateField

LINES = "每行一项"


def _date(label: str, required: bool = True) -> DateField:
    return DateField(label=label, required=required,
                     initial=timezone.localdate if required else None)


def _text(label: str, rows: int = 3, required: bool = False, **kw) -> forms.CharField:
    return forms.CharField(label=label, required=required,
                           widget=forms.Textarea(attrs={"rows": rows}), **kw)


def _count(label: str, initial: int = 0, minimum: int = 0) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=minimum, initial=initial)


def _words(name: str, keep: str = "") -> list[tuple[str, str]]:
    words = list(services.vocabulary().words(name))
    if keep and keep not in words:  # a word taken off the list stays on its record
        words.append(keep)
    return [("", "请选择")] + [(w, w) for w in words]


def _staff(actor):
    return User.objects.filter(org_unit=actor.org_unit).order_by(
        "department__name", "username").select_related("department")


class StaffChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, user) -> str:
        dept = f"（{user.department.name}）" if user.department_id else ""
        return f"{user}{dept}"


class RecordForm(forms.Form):
    """Common ground: the acting user (for choices) and one optional material."""

    file = forms.FileField(label="材料（可不上传）", required=False,
                           help_text="签到表、照片、课件、通知等；可在详情页继续上传")

    def __init__(self, *args, actor, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor, self.record = actor, record
        self.setup()
        if record is not None:
            self.fields.pop("file")

    def setup(self) -> None:
        """Fill the choices that depend on the user or the record."""

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        file = data.pop("file", None)
        data["files"] = [file] if file else []
        return data


class SessionForm(RecordForm):
    held_on = _date("学法日期")
    topic = forms.CharField(label="学法主题", max_length=200)
    kind = forms.ChoiceField(label="学法形式")
    laws = _text("学习的法律法规", 3, required=True, help_text=LINES)
    speaker = forms.CharField(label="主讲人", max_length=100, required=False)
    organiser = forms.ModelChoiceField(label="组织者", queryset=User.objects.none())
    attendees = StaffChoices(label="参加人员（本机关）", queryset=User.objects.none(),
                             required=False)
    other_attendees = _count("其他参加人数")
    summary = _text("学习内容摘要")
    field_order = ["held_on", "topic", "kind", "laws", "speaker", "organiser",
                   "attendees", "other_attendees", "summary", "file"]

    def setup(self):
        self.fields["kind"].choices = _words("study_kinds",
                                             getattr(self.record, "kind", ""))
        self.fields["organiser"].queryset = _staff(self.actor)
        self.fields["organiser"].initial = self.actor.pk
        self.fields["attendees"].queryset = _staff(self.actor)
        self.fields["other_attendees"].help_text = "邀请的其他单位人员、旁听人员等"


class ExamForm(RecordForm):
    person = forms.ModelChoiceField(label="考试人员", queryset=User.objects.none())
    exam_name = forms.CharField(label="考试名称", max_length=200,
                                initial=f"{timezone.localdate().year}年度行政执法资格考试")
    sat_on = _date("考试日期")
    score = forms.DecimalField(label="成绩", min_value=0, max_value=100,
                               decimal_places=1)
    passed = forms.BooleanField(label="考试合格", required=False)
    certificate_number = forms.CharField(label="执法证号", max_length=30,
                                         required=False)
    certificate_valid_from = _date("执法证有效期起", required=False)
    certificate_valid_until = _date("执法证有效期至", required=False)
    note = _text("备注", 2)

    def setup(self):
        self.fields["person"].queryset = _staff(self.actor)


class SeminarForm(RecordForm):
    held_on = _date("研讨日期")
    topic = forms.CharField(label="研讨主题", max_length=200)
    case_numbers = _text("研讨的本系统案件编号", 2, help_text="每行一个案件编号")
    other_cases = _text("其他案例", 2,
                        help_text="上级通报的典型案例、法院判例等，每行一个")
    attendees = StaffChoices(label="参加人员（本机关）", queryset=User.objects.none(),
                             required=False)
    other_attendees = _count("其他参加人数")
    conclusions = _text("研讨意见", 3)

    def setup(self):
        self.fields["attendees"].queryset = _staff(self.actor)


class CampaignForm(RecordForm):
    held_on = _date("活动日期")
    title = forms.CharField(label="活动名称", max_length=200)
    audience = forms.ChoiceField(label="宣传对象")
    channel = forms.ChoiceField(label="宣传形式")
    place = forms.CharField(label="地点", max_length=200, required=False)
    laws = _text("宣传的法律法规", 2, help_text=LINES)
    sessions = _count("场次", 1, 1)
    people_reached = _count("受众人次", 0, 1)
    materials_handed_out = _count("发放资料（份）")
    summary = _text("活动情况")

    def setup(self):
        self.fields["audience"].choices = _words("audiences",
                                                 getattr(self.record, "audience", ""))
        self.fields["channel"].choices = _words("channels",
                                                getattr(self.record, "channel", ""))


class ExplanationForm(RecordForm):
    case_number = forms.CharField(label="已结案案件编号", max_length=60)
    title = forms.CharField(label="标题", max_length=200)
    summary = _text("释法内容", 6, required=True,
                    help_text="案情简介、处理结果、法律依据和以案释法要点；当事人信息请脱敏")
    published_in = forms.CharField(label="发布载体", max_length=200,
                                   help_text="如：县人民政府门户网站、本局微信公众号、村务公开栏")
    url = forms.CharField(label="网址", max_length=500, required=False)
    published_on = _date("发布日期")

    def setup(self):
        cases = selectors.closed_cases(actor=self.actor)[:200]
        self.fields["case_number"].widget = DatalistInput(
            [(c.number, f"{c.party_name}，{c.closed_on:%Y-%m-%d}结案") for c in cases])


FORMS = {"session": SessionForm, "exam": ExamForm, "seminar": SeminarForm,
         "campaign": CampaignForm, "explanation": ExplanationForm}


def initial_of(record) -> dict:
    """The form's starting values for editing ``record``."""
    data = {f.name: getattr(record, f.attname) for f in record._meta.concrete_fields}
    for name in ("laws",):
        if name in data:
            data[name] = "\n".join(data[name])
    for f in record._meta.many_to_many:
        if f.name == "attendees":
            data["attendees"] = list(record.attendees.values_list("pk", flat=True))
    if hasattr(record, "cases") and not hasattr(record, "case_id"):
        data["case_numbers"] = "\n".join(record.cases.values_list("number", flat=True))
    if hasattr(record, "case_id"):
        data["case_number"] = record.case.number
    for name in ("organiser", "person"):
        if f"{name}_id" in {f.attname for f in record._meta.concrete_fields}:
            data[name] = getattr(record, f"{name}_id")
    return data


class MaterialForm(forms.Form):
    file = forms.FileField(label="文件")
    kind = forms.ChoiceField(label="类别", initial=EvidenceKind.DOCUMENT,
                             choices=EvidenceKind.choices)
    description = forms.CharField(label="说明", max_length=200, required=False)


class DeleteForm(forms.Form):
    reason = _text("删除理由", 2, required=True,
                   help_text="如：重复登记。删除后记录内容仍保存在审计日志中")


class FilterForm(forms.Form):
    """The list's filters: a year (this year unless told), a bureau, a search."""

    year = forms.TypedChoiceField(label="年度", coerce=int, required=False)
    org = forms.ChoiceField(label="机关", required=False)
    q = forms.CharField(label="搜索", required=False, max_length=100)

    def __init__(self, data, *, actor, model, extra=()):
        this_year = timezone.localdate().year
        data = data.copy()
        data.setdefault("year", str(this_year))  # no year asked: this year's records
        super().__init__(data)
        years = sorted({this_year, *selectors.record_years(model, actor=actor)},
                       reverse=True)
        self.fields["year"].choices = [("", "全部年度"),
                                       *[(y, f"{y}年") for y in years]]
        units = scoped(OrgUnit.objects.all(), actor, field="")
        self.fields["org"].choices = [("", "全部")] + [
            (u.division_code, u.name) for u in units]
        if units.count() < 2:
            self.fields.pop("org")
        for name in extra:
            self.fields[name] = EXTRA[name]()
        self.order_fields(["year", "org", *extra, "q"])

    def filters(self) -> selectors.Filters:
        if not self.is_valid():
            return selectors.Filters(year=timezone.localdate().year)
        d = self.cleaned_data
        passed = {"yes": True, "no": False}.get(d.get("passed") or "")
        return selectors.Filters(
            year=d.get("year") or None, org_code=d.get("org") or "",
            kind=d.get("kind") or "",
            audience=d.get("audience") or "", channel=d.get("channel") or "",
            passed=passed, q=(d.get("q") or "").strip())


def _vocab_filter(label: str, name: str):
    return lambda: forms.ChoiceField(
        label=label, required=False,
        choices=[("", "全部")] + [(w, w) for w in services.vocabulary().words(name)])


EXTRA = {
    "kind": _vocab_filter("学法形式", "study_kinds"),
    "audience": _vocab_filter("宣传对象", "audiences"),
    "channel": _vocab_filter("宣传形式", "channels"),
    "passed": lambda: forms.ChoiceField(
        label="结果", required=False,
        choices=[("", "全部"), ("yes", "合格"), ("no", "不合格")]),
}
