"""The phone pages of a field check and their JSON endpoints (under /monitoring/field/).

Thin: parse, call ``field``, render. The JSON endpoints answer every refusal in
JSON with a Chinese ``error`` (and the ``field`` it concerns), never with a login
page or an HTML error: the phone's upload queue reads the status to decide whether
to keep a photo queued (401, network errors, 5xx) or mark it failed (other 4xx).
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie

from fazhi.core.permissions import require_roles
from fazhi.core.roles import Role
from fazhi.core.transitions import NotAllowedNow
from fazhi.monitoring import field, services
from fazhi.monitoring.models import FieldPhoto, TaskState
from fazhi.ui.evidence import evidence_download

OFFICER = (Role.ENFORCEMENT_OFFICER,)
LIST_LIMIT = 200  # a phone list and map beyond this would be unusable anyway
# Offered as suggestions; the officer may write any use seen on the site.
OBSERVED_USES = [
    "耕地（未改变）", "园地", "林地", "坑塘水面", "设施农业用地", "农村宅基地建房",
    "厂房仓储", "商业服务", "道路", "光伏", "采矿、采砂", "推土、硬化未建", "临时用地",
    "其他",
]


def _error(message: str, status: int, field_name: str = "") -> JsonResponse:
    body = {"error": message}
    if field_name:
        body["field"] = field_name
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _validation_error(exc: ValidationError) -> JsonResponse:
    if hasattr(exc, "error_dict"):
        name, messages = next(iter(exc.message_dict.items()))
        return _error("；".join(messages), 400, name)
    return _error("；".join(exc.messages), 400)


def json_endpoint(*methods: str):
    """Decorate a JSON view: session, officer role, method, errors as JSON."""

    def decorator(view):
        @wraps(view)
        @never_cache
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return _error("登录已过期，请重新登录；未上传的照片仍保存在手机上", 401)
            if not request.user.has_role(*OFFICER):
                return _error("您的角色无权使用外业核查（须为执法人员）", 403)
            if request.method not in methods:
                return _error(f"不支持 {request.method} 请求", 405)
            try:
                return view(request, *args, **kwargs)
            except Http404:
                return _error("未找到该核查任务或照片", 404)
            except PermissionDenied as exc:
                return _error(str(exc) or "您无权进行此操作", 403)
            except NotAllowedNow as exc:
                return _error(str(exc), 409, "state")
            except ValidationError as exc:
                return _validation_error(exc)

        return wrapped

    return decorator


def _local(when) -> str | None:
    return timezone.localtime(when).isoformat() if when else None


def photo_json(photo: FieldPhoto) -> dict:
    """Describe one uploaded photo for the phone."""
    return {
        "id": photo.pk, "client_uid": photo.client_uid,
        "sha256": photo.evidence.sha256, "size": photo.evidence.size,
        "taken_at": _local(photo.taken_at), "uploaded_at": _local(photo.uploaded_at),
        "latitude": photo.latitude, "longitude": photo.longitude,
        "accuracy_m": photo.accuracy_m, "heading": photo.heading,
        "distance_m": photo.distance_m, "far": photo.far,
        "located": photo.latitude is not None, "purpose": photo.purpose,
        "place": field.photo_place_label(photo),
        "image_url": reverse("monitoring:field_photo_image",
                             args=[photo.task_id, photo.pk]),
    }


def task_json(task) -> dict:
    patch = task.patch
    return {
        "id": task.pk, "state": task.state, "state_label": task.get_state_display(),
        "patch_state": patch.state, "patch_state_label": patch.get_state_display(),
        "submitted_at": _local(task.submitted_at), "findings": task.findings,
        "observed_use": task.observed_use,
    }


def _map_config() -> dict:
    return {"tileUrl": settings.MAP_TILE_URL,
            "tileAttribution": settings.MAP_TILE_ATTRIBUTION}


def _task_feature(task) -> dict:
    patch = task.patch
    return {"type": "Feature", "geometry": patch.geojson, "properties": {
        "code": patch.code, "priority": patch.priority,
        "url": reverse("monitoring:field_task", args=[task.pk])}}


# --- pages --------------------------------------------------------------------------


@require_roles(*OFFICER)
@never_cache
@ensure_csrf_cookie
def field_tasks(request):
    tasks = list(field.task_list_mine(actor=request.user)[:LIST_LIMIT])
    return render(request, "monitoring/field/task_list.html", {
        "tasks": tasks, "today": timezone.localdate(),
        "config": {"page": "list", "user": request.user.pk, **_map_config(),
                   "csrfCookie": settings.CSRF_COOKIE_NAME,
                   "loginUrl": f"{reverse('web:login')}?next={request.path}",
                   "features": {"type": "FeatureCollection",
                                "features": [_task_feature(t) for t in tasks]}},
    })


@require_roles(*OFFICER)
@never_cache
@ensure_csrf_cookie
def field_task(request, pk: int):
    task = field.task_get(actor=request.user, pk=pk)
    rules = field.field_rules()
    may_act = field.may_act(request.user, task)
    return render(request, "monitoring/field/task_detail.html", {
        "task": task, "patch": task.patch, "may_act": may_act,
        "prejudgement_label": services.prejudge_rules().labels.get(
            task.patch.prejudgement, task.patch.prejudgement),
        "is_open": task.state == TaskState.OPEN,
        "overlaps": field.task_overlaps(task), "photos": field.task_photos(task),
        "observed_uses": OBSERVED_USES, "rules": rules,
        "config": {
            "page": "task", "user": request.user.pk, "task": task.pk,
            "mayAct": may_act and task.state == TaskState.OPEN,
            "outline": task.patch.geojson, "farM": rules.far_m,
            "fixMaxAgeS": rules.fix_max_age_s,
            "csrfCookie": settings.CSRF_COOKIE_NAME,
            "loginUrl": f"{reverse('web:login')}?next={request.path}",
            "urls": {
                "photos": reverse("monitoring:field_photos", args=[task.pk]),
                "submit": reverse("monitoring:field_submit", args=[task.pk]),
            },
            **_map_config(),
        },
    })


# --- JSON ---------------------------------------------------------------------------


@json_endpoint("GET", "POST")
def field_photos(request, pk: int):
    """GET: the task's uploaded photos. POST (multipart): add one photo."""
    task = field.task_get(actor=request.user, pk=pk)
    if request.method == "GET":
        return JsonResponse({"photos": [photo_json(p) for p in field.task_photos(task)],
                             "task": task_json(task)})
    data = request.POST
    photo, created = field.task_photo_add(
        task=task, actor=request.user, file=request.FILES.get("file"),
        sha256=data.get("sha256"), client_uid=data.get("client_uid"),
        latitude=data.get("latitude"), longitude=data.get("longitude"),
        accuracy_m=data.get("accuracy_m"), heading=data.get("heading"),
        taken_at=data.get("taken_at"), purpose=data.get("purpose") or "check")
    return JsonResponse({"photo": photo_json(photo), "created": created},
                        status=201 if created else 200)


@json_endpoint("POST")
def field_submit(request, pk: int):
    task = field.task_get(actor=request.user, pk=pk)
    task = field.task_submit(task=task, actor=request.user,
                             findings=request.POST.get("findings", ""),
                             observed_use=request.POST.get("observed_use", ""))
    return JsonResponse({"task": task_json(task)})


@require_roles(*OFFICER)
def field_photo_image(request, pk: int, photo_pk: int):
    task = field.task_get(actor=request.user, pk=pk)
    return evidence_download(field.task_photos(task), photo_pk, missing="未找到该照片")
