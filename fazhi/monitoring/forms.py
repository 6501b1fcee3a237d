"""Forms of the monitoring pages: they parse; services decide and validate."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from fazhi.monitoring.models import BatchSource, LayerKind
from fazhi.monitoring.selectors import officers
from fazhi.ui.forms import DateField, MultiFileField, MultiFileInput

ENCODINGS = [("", "自动（按 .cpg 或识别）"), ("gb18030", "GBK / GB18030"),
             ("utf-8", "UTF-8")]
CRS_CHOICES = [
    ("", "按 .prj 文件"),
    ("EPSG:4490", "CGCS2000 经纬度（EPSG:4490）"),
    ("EPSG:4547", "CGCS2000 3度带 中央经线114°，无带号（EPSG:4547）"),
    ("EPSG:4526", "CGCS2000 3度带 第38带，带号（EPSG:4526）"),
    ("EPSG:4546", "CGCS2000 3度带 中央经线111°，无带号（EPSG:4546）"),
    ("EPSG:4525", "CGCS2000 3度带 第37带，带号（EPSG:4525）"),
]


def _date(label: str, required: bool = True, initial=timezone.localdate):
    return DateField(label=label, required=required,
                     initial=initial if required else None)


def _text(label: str, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, required=required,
                           widget=forms.Textarea(attrs={"rows": rows}))


class _ReadingForm(forms.Form):
    file = forms.FileField(
        label="数据文件",
        help_text="Shapefile（.zip 压缩包，含 .shp .shx .dbf .prj，可含 .cpg）、"
                  "GeoPackage（.gpkg）、GeoJSON（.geojson）、FlatGeobuf（.fgb）或 KML（.kml）")
    encoding = forms.ChoiceField(label="属性编码", choices=ENCODINGS, required=False)
    crs = forms.ChoiceField(label="坐标系", choices=CRS_CHOICES, required=False,
                            help_text="缺少 .prj 文件时须选择")
    id_field = forms.CharField(label="编号字段", required=False, max_length=40,
                               help_text="留空：取第一个取值唯一的整数或文本字段")


class LayerImportForm(_ReadingForm):
    kind = forms.ChoiceField(label="图层类别", choices=LayerKind.choices)
    name = forms.CharField(label="图层名称", max_length=100)
    key_field = forms.CharField(label="文号字段", required=False, max_length=40,
                                help_text="批准文号或许可证号所在字段，如 PZWH、XKZH")
    valid_until_field = forms.CharField(label="有效期字段", required=False,
                                        max_length=40, help_text="采矿权有效期，如 YXQZ")
    note = forms.CharField(label="说明", required=False, max_length=500)


class BatchImportForm(_ReadingForm):
    code = forms.CharField(label="批次编号", max_length=60)
    period = forms.CharField(label="监测期", max_length=20, help_text="例如 2025-10")
    source = forms.ChoiceField(label="来源", choices=BatchSource.choices)
    source_detail = forms.CharField(label="下发单位或说明", required=False,
                                    max_length=200)
    received_on = _date("收到日期")
    imagery_before = _date("前时相影像日期", required=False)
    imagery_after = _date("后时相影像日期", required=False)
    check_due_on = _date("核查截止日期", required=False)


class ConfirmForm(forms.Form):
    encoding = forms.CharField(label="属性编码", required=False, max_length=20,
                               help_text="如 GBK、GB18030、UTF-8；预览中的中文显示不对时改这里")
    crs = forms.ChoiceField(label="坐标系", choices=CRS_CHOICES, required=False)
    id_field = forms.CharField(label="编号字段", required=False, max_length=40)
    invalid = forms.ChoiceField(
        label="无效几何", initial="reject",
        choices=[("reject", "拒绝导入，先修正数据"),
                 ("repair", "自动修复（make_valid），并在导入记录中列明")])
    confirmed = forms.BooleanField(label="我已核对上方预览中的中文名称显示正确", required=False)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label="核查人", queryset=None)
    due_on = _date("核查期限", required=False)

    def __init__(self, *args, org_unit, batch=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = officers(org_unit=org_unit)
        self.batch_due = batch.check_due_on if batch is not None else None
        due = self.fields["due_on"]
        if self.batch_due is None:
            due.help_text = "本批次未设定核查截止日期；不填则本次核查不设期限"
        elif self.batch_due < timezone.localdate():
            due.help_text = (f"本批次核查截止日期 {self.batch_due:%Y-%m-%d} 已过，"
                             "请填写本次核查期限")
        else:
            due.initial = self.batch_due
            due.help_text = f"默认为本批次核查截止日期 {self.batch_due:%Y-%m-%d}"

    def clean_due_on(self):
        due = self.cleaned_data.get("due_on")
        if due is None and self.batch_due and self.batch_due < timezone.localdate():
            raise forms.ValidationError(
                f"本批次核查截止日期 {self.batch_due:%Y-%m-%d} 已过，请填写本次核查期限")
        return due


class DecideForm(forms.Form):
    verdict = forms.ChoiceField(label="判定结果")
    basis = forms.CharField(label="合法依据文号", required=False, max_length=200,
                            help_text="合法、设施农用地、临时用地须填写批准文号、许可证号或备案编号")
    note = _text("判定说明", required=False)
    decided_on = _date("判定日期")

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verdict"].choices = [("", "请选择")] + [
            (k.code, k.label) for k in kinds.values()]


class RectifyForm(forms.Form):
    measure = forms.ChoiceField(label="整改措施")
    requirement = _text("整改要求")
    ordered_on = _date("下达日期")
    deadline = _date("整改期限", initial=None)

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = list(measures.items())


class RectifiedForm(forms.Form):
    done_on = _date("完成日期")
    result = _text("整改结果")
    photos = MultiFileField(label="整改后照片", required=False,
                            widget=MultiFileInput(attrs={"accept": "image/*"}))


class CancelForm(forms.Form):
    reason = forms.CharField(label="撤回理由", max_length=200)
