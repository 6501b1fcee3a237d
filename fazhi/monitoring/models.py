"""Reference layers, patch batches, patches, overlaps, field checks and verdicts.

Geometry is kept without a spatial database: a patch's outline is stored as
GeoJSON in CGCS2000 longitude/latitude (for maps and exports) and as WKB in the
delivered coordinate system (for exports in the delivered structure); areas were
computed in a projected Gauss–Krüger zone when the patch was imported. A layer
version's features live in a persistent spatial index on disk (``gis.store``),
named by ``LayerVersion.store_path``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from fazhi.core.matters import state_choices, state_field
from fazhi.monitoring import workflow


class LayerKind(models.TextChoices):
    BASIC_FARMLAND = "basic_farmland", "永久基本农田"  # 永久基本农田保护红线
    FARMLAND = "farmland", "耕地"  # cultivated land outside basic farmland
    ECO_REDLINE = "eco_redline", "生态保护红线"  # ecological protection red line
    DEV_BOUNDARY = "dev_boundary", "城镇开发边界"  # town development boundary
    APPROVED_LAND = "approved_land", "批准建设用地"  # 批地/供地, with approval numbers
    MINING_RIGHT = "mining_right", "采矿权"  # licensed mining areas, with validity
    LAND_SURVEY = "land_survey", "国土变更调查"  # the annual land-use survey


class ReferenceLayer(models.Model):
    """One reference layer a bureau keeps, in successive versions."""

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    kind = models.CharField("图层类别", max_length=20, choices=LayerKind.choices)
    name = models.CharField("图层名称", max_length=100)
    # The attribute holding the number that proves legality (approval, licence).
    key_field = models.CharField("文号字段", max_length=40, blank=True)
    # The attribute holding the end of validity (mining licences), YYYY-MM-DD.
    valid_until_field = models.CharField("有效期字段", max_length=40, blank=True)

    class Meta:
        ordering = ["org_unit__path", "kind", "name"]
        constraints = [models.UniqueConstraint(
            fields=["org_unit", "kind", "name"], name="monitoring_layer_unique")]
        verbose_name = "基础图层"

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> LayerVersion | None:
        return self.versions.filter(is_current=True).first()


class LayerVersion(models.Model):
    """One imported version of a reference layer, indexed on disk."""

    layer = models.ForeignKey(ReferenceLayer, models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField("版本")
    source_name = models.CharField("来源文件", max_length=255)
    source_sha256 = models.CharField("来源文件 SHA-256", max_length=64)
    evidence = models.ForeignKey("core.Evidence", models.PROTECT, null=True,
                                 blank=True, related_name="+")
    feature_count = models.PositiveIntegerField("要素数")
    crs_epsg = models.PositiveIntegerField("坐标系 EPSG")
    area_epsg = models.PositiveIntegerField("计算面积所用投影 EPSG")
    encoding = models.CharField("属性编码", max_length=20, blank=True)
    id_field = models.CharField("要素编号字段", max_length=40, blank=True)
    fields = models.JSONField("属性字段", default=list)
    repaired = models.JSONField("已修复的要素", default=list)  # [[id, reason]]
    store_path = models.CharField("索引目录", max_length=255)
    is_current = models.BooleanField("现行版本", default=True)
    note = models.TextField("说明", blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                    related_name="+")
    imported_at = models.DateTimeField("导入时间", default=timezone.now)

    class Meta:
        ordering = ["layer", "-version"]
        constraints = [models.UniqueConstraint(
            fields=["layer", "version"], name="monitoring_layer_version_unique")]
        verbose_name = "图层版本"

    def __str__(self) -> str:
        return f"{self.layer.name} 第{self.version}版"


class BatchSource(models.TextChoices):
    SATELLITE = "satellite", "卫星影像"  # pushed by the MNR / provincial platform
    DRONE = "drone", "无人机航拍"  # flown by the bureau or a contractor
    OTHER = "other", "其他"  # e.g. a patrol's own survey


class BatchState(models.TextChoices):
    CHECKING = "checking", "核查中"  # imported; patches being checked
    DONE = "done", "已完成"  # every patch has a verdict
    REPORTED = "reported", "已上报"  # results exported and reported upward


class PatchBatch(models.Model):
    """One delivery of change patches (a monthly 卫片 batch or a drone flight)."""

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    code = models.CharField("批次编号", max_length=60)
    period = models.CharField("监测期", max_length=20)  # e.g. 2025-10, 2025Q3
    imagery_before = models.DateField("前时相影像日期", null=True, blank=True)
    imagery_after = models.DateField("后时相影像日期", null=True, blank=True)
    source = models.CharField("来源", max_length=20, choices=BatchSource.choices)
    source_detail = models.CharField("下发单位或说明", max_length=200, blank=True)
    received_on = models.DateField("收到日期")
    check_due_on = models.DateField("核查截止日期", null=True, blank=True)
    source_name = models.CharField("来源文件", max_length=255)
    source_sha256 = models.CharField("来源文件 SHA-256", max_length=64)
    evidence = models.ForeignKey("core.Evidence", models.PROTECT, null=True,
                                 blank=True, related_name="+")
    crs_epsg = models.PositiveIntegerField("坐标系 EPSG")
    area_epsg = models.PositiveIntegerField("计算面积所用投影 EPSG")
    encoding = models.CharField("属性编码", max_length=20, blank=True)
    id_field = models.CharField("图斑编号字段", max_length=40)
    # The delivered structure, kept for the export upward: [{"name", "type"}].
    fields = models.JSONField("属性字段", default=list)
    repaired = models.JSONField("已修复的图斑", default=list)
    state = state_field(BatchState, BatchState.CHECKING)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                    related_name="+")
    imported_at = models.DateTimeField("导入时间", default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [models.UniqueConstraint(
            fields=["org_unit", "code"], name="monitoring_batch_unique")]
        verbose_name = "图斑批次"

    def __str__(self) -> str:
        return f"{self.code}（{self.period}）"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:batch_detail", args=[self.pk])


class Priority(models.TextChoices):
    HIGH = "high", "高"  # suspected illegal on protected land: check first
    NORMAL = "normal", "中"  # no protected land touched, no proof either
    LOW = "low", "低"  # probably legal: approval or licence covers it


# Where a patch stands: the states of the patch table, with labels and comments.
PatchState = state_choices("PatchState", workflow.TABLE, __name__)


class Patch(models.Model):
    """One change patch (图斑) of a batch, with its pre-judgement and verdict."""

    batch = models.ForeignKey(PatchBatch, models.PROTECT, related_name="patches")
    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    code = models.CharField("图斑编号", max_length=60)
    attrs = models.JSONField("原始属性", default=dict)
    geojson = models.JSONField("范围（CGCS2000 经纬度）")
    geom_wkb = models.BinaryField("范围（原坐标系 WKB）")
    area_m2 = models.FloatField("图斑面积（平方米）")
    centroid_lon = models.FloatField("中心经度")
    centroid_lat = models.FloatField("中心纬度")
    location = models.CharField("位置", max_length=200, blank=True)
    prejudgement = models.CharField("预判", max_length=30, blank=True)
    prejudgement_reasons = models.JSONField("预判依据", default=list)
    priority = models.CharField("优先级", max_length=10, choices=Priority.choices,
                                default=Priority.NORMAL, db_index=True)
    state = state_field(PatchState, PatchState.PENDING)
    verdict = models.CharField("判定结果", max_length=30, blank=True, db_index=True)
    verdict_basis = models.CharField("合法依据文号", max_length=200, blank=True)
    verdict_note = models.TextField("判定说明", blank=True)
    verdict_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                   null=True, blank=True, related_name="+")
    verdict_on = models.DateField("判定日期", null=True, blank=True)
    lead = models.ForeignKey("enforcement.Lead", models.PROTECT, null=True,
                             blank=True, related_name="+", verbose_name="违法线索")

    class Meta:
        ordering = ["batch", "code"]
        constraints = [models.UniqueConstraint(
            fields=["batch", "code"], name="monitoring_patch_unique")]
        indexes = [models.Index(fields=["org_unit", "state"])]
        verbose_name = "图斑"

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("monitoring:patch_detail", args=[self.pk])

    @property
    def area_mu(self) -> float:
        return self.area_m2 * 15 / 10000


class PatchOverlap(models.Model):
    """How much of a patch lies on one reference layer version, and on what."""

    patch = models.ForeignKey(Patch, models.CASCADE, related_name="overlaps")
    layer_version = models.ForeignKey(LayerVersion, models.PROTECT, related_name="+")
    overlap_m2 = models.FloatField("重叠面积（平方米）")
    share = models.FloatField("占图斑比例")
    # [{"id", "key", "valid_until", "overlap_m2", "attrs"}] of the overlapped features.
    features = models.JSONField("重叠要素", default=list)

    class Meta:
        ordering = ["patch", "layer_version"]
        constraints = [models.UniqueConstraint(
            fields=["patch", "layer_version"], name="monitoring_overlap_unique")]
        verbose_name = "叠加结果"

    @property
    def overlap_mu(self) -> float:
        return self.overlap_m2 * 15 / 10000


class TaskState(models.TextChoices):
    OPEN = "open", "待核查"  # sent to the officer's phone
    SUBMITTED = "submitted", "已提交"  # findings and photos are in
    CANCELLED = "cancelled", "已撤回"  # withdrawn by the sender, with a reason


class CheckTask(models.Model):
    """A field check (地上查) of one patch, sent to one officer."""

    patch = models.ForeignKey(Patch, models.PROTECT, related_name="tasks")
    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                 related_name="+", verbose_name="核查人")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                    related_name="+")
    assigned_on = models.DateField("派发日期")
    due_on = models.DateField("核查期限", null=True, blank=True)
    state = state_field(TaskState, TaskState.OPEN)
    findings = models.TextField("现场情况", blank=True)
    observed_use = models.CharField("现状用途", max_length=100, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["assignee", "state"])]
        verbose_name = "外业核查任务"

    def __str__(self) -> str:
        return f"{self.patch.code} 核查"


class FieldPhoto(models.Model):
    """A site photo taken on a phone, with where, which way and when."""

    task = models.ForeignKey(CheckTask, models.PROTECT, related_name="photos")
    evidence = models.ForeignKey("core.Evidence", models.PROTECT, related_name="+")
    # The phone's own id for the photo: an upload retried after a lost connection
    # is recognised and not stored twice.
    client_uid = models.CharField(max_length=64, unique=True)
    latitude = models.FloatField("纬度", null=True, blank=True)
    longitude = models.FloatField("经度", null=True, blank=True)
    accuracy_m = models.FloatField("定位精度（米）", null=True, blank=True)
    heading = models.FloatField("拍摄方向（度）", null=True, blank=True)
    taken_at = models.DateTimeField("拍摄时间")
    distance_m = models.FloatField("距图斑距离（米）", null=True, blank=True)
    far = models.BooleanField("远离图斑", default=False)
    # "after" photos prove a rectification; "check" photos a field check.
    purpose = models.CharField(max_length=20, default="check")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["taken_at", "pk"]
        verbose_name = "现场照片"


class RectificationState(models.TextChoices):
    OPEN = "open", "整改中"  # ordered; the deadline runs
    DONE = "done", "已整改"  # done, with after-photos


class Rectification(models.Model):
    """Demolition, reclamation or restoration ordered for an illegal patch."""

    patch = models.ForeignKey(Patch, models.PROTECT, related_name="rectifications")
    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    measure = models.CharField("整改措施", max_length=30)
    requirement = models.TextField("整改要求")
    ordered_on = models.DateField("下达日期")
    deadline = models.DateField("整改期限")
    state = state_field(RectificationState, RectificationState.OPEN)
    done_on = models.DateField("完成日期", null=True, blank=True)
    result = models.TextField("整改结果", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = "图斑整改"


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"  # waiting for a worker
    INSPECTED = "inspected", "待确认"  # read once; the person checks the preview
    RUNNING = "running", "进行中"  # a worker is reading, indexing or overlaying
    DONE = "done", "已完成"  # landed whole
    FAILED = "failed", "失败"  # nothing landed; the error says why


class ImportJob(models.Model):
    """An import of a layer version or a patch batch, with its progress."""

    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10)  # "layer" or "batch"
    phase = models.CharField(max_length=10, default="inspect")  # or "import"
    params = models.JSONField(default=dict)
    upload_path = models.CharField(max_length=255)  # under the data dir
    state = models.CharField(max_length=10, choices=JobState.choices,
                             default=JobState.QUEUED, db_index=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    result_id = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Touched by every progress report: a running job that stopped reporting was
    # cut off (a restart) and may be retried.
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "导入任务"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
