"""An officer checks a patch on a phone-sized Chromium, losing the network on the way.

The photos are taken offline, wait in IndexedDB through a reload, upload when the
connection returns, and the findings follow them; the server ends with the two
photos under the hashes the phone computed and the patch waiting for a verdict.
"""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from playwright.sync_api import expect

from .conftest import X0, Y0
from .test_field_services import lonlat

PASSWORD = "correct-horse-battery"  # the people fixture's
HERE = lonlat(50, 80)  # 30 m north of P1's northern edge
# Chrome logs a failed request as a console error; losing the network is the point.
NETWORK_NOISE = re.compile(r"net::ERR_|Failed to load resource")


@pytest.fixture
def phone(browser):
    lon, lat = HERE
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai",
        viewport={"width": 390, "height": 844},
        device_scale_factor=3, is_mobile=True, has_touch=True,
        geolocation={"latitude": lat, "longitude": lon, "accuracy": 12},
        permissions=["geolocation"])
    page = context.new_page()
    page.set_default_timeout(15000)
    page.console_errors = []
    page.on("console",
            lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    context.close()


def jpeg(page, colour: str) -> bytes:
    """A real JPEG, encoded by the browser itself from a small drawn picture."""
    url = page.evaluate("""colour => {
        const c = document.createElement('canvas'); c.width = 64; c.height = 48;
        const g = c.getContext('2d'); g.fillStyle = colour; g.fillRect(0, 0, 64, 48);
        g.fillStyle = '#fff'; g.fillRect(8, 8, 20, 12);
        return c.toDataURL('image/jpeg', 0.9);
    }""", colour)
    return base64.b64decode(url.split(",", 1)[1])


def take_photo(page, name: str, data: bytes) -> None:
    # The scripts are deferred: under load the file could otherwise be chosen
    # before the page listens for it.
    page.wait_for_selector("body[data-field-ready]", state="attached")
    page.set_input_files("#photo-input", files=[
        {"name": name, "mimeType": "image/jpeg", "buffer": data}])


def abort_uploads(route):
    if route.request.method == "POST":
        route.abort("internetdisconnected")
    else:
        route.continue_()


@pytest.mark.django_db(transaction=True)
def test_officer_checks_a_patch_offline_on_a_phone(live_server, phone, task, officer):
    from fazhi.monitoring.models import FieldPhoto, PatchState, TaskState

    page, url = phone, live_server.url
    assert X0 and Y0  # HERE is measured from the conftest's origin

    # Log in as anyone would, then find the way to the tasks by the menu.
    page.goto(f"{url}/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1")
    page.click("nav >> text=外业核查")
    expect(page.locator("h1")).to_have_text("我的核查任务")
    item = page.locator(".task-item", has_text=task.patch.code)
    expect(item).to_contain_text("7.50 亩")
    expect(item).to_contain_text("高优先")
    expect(page.locator("#field-map path.patch-outline")).to_have_count(1)
    item.locator("a").click()
    expect(page.locator("h1")).to_contain_text(task.patch.code)
    expect(page.locator("#position")).to_contain_text("距图斑约 30 米")
    expect(page.locator("#field-map path.my-position")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("永久基本农田")

    # The script SHA-256 (for plain-http intranets) agrees with Python's.
    one, two = jpeg(page, "#2b6a2f"), jpeg(page, "#8a5a2b")
    assert one != two
    script_hash = page.evaluate(
        "b64 => fazhiSha256.hex(Uint8Array.from(atob(b64), c => c.charCodeAt(0)))",
        base64.b64encode(one).decode())
    assert script_hash == hashlib.sha256(one).hexdigest()

    # Offline: two photos go into the queue on the phone, with the banner.
    page.context.set_offline(True)
    expect(page.locator("#net-banner")).to_contain_text("离线")
    take_photo(page, "IMG_0001.jpg", one)
    take_photo(page, "IMG_0002.jpg", two)
    queue = page.locator("#photo-queue li")
    expect(queue).to_have_count(2)
    expect(queue.filter(has_text="待上传")).to_have_count(2)
    expect(page.locator("#net-banner")).to_have_text(
        "离线：照片已保存在手机上，联网后自动上传（2 张待上传）")
    widths = queue.locator("img").evaluate_all(
        "imgs => Promise.all(imgs.map(i => i.decode().then(() => i.naturalWidth)))")
    assert widths == [64, 64]  # the thumbnails show under the CSP (blob: images)
    assert FieldPhoto.objects.count() == 0

    # Back on a network that drops every upload; the page is reloaded meanwhile.
    page.route("**/photos/", abort_uploads)
    page.context.set_offline(False)
    expect(page.locator("#net-banner")).to_contain_text("网络不稳定")
    page.reload()
    expect(queue).to_have_count(2)  # read back from IndexedDB
    expect(queue.filter(has_text="定位 ±12 米")).to_have_count(2)
    assert FieldPhoto.objects.count() == 0

    # The connection comes back for real: both photos go up, one by one.
    page.unroute("**/photos/")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    uploaded = page.locator("#photo-list li")
    expect(uploaded).to_have_count(2, timeout=30000)
    expect(uploaded.filter(has_text="已上传")).to_have_count(2)
    expect(uploaded.filter(has_text="距图斑 30 米")).to_have_count(2)
    expect(page.locator("#photo-list .mark-far")).to_have_count(0)
    expect(queue).to_have_count(0)
    expect(page.locator("#net-banner")).to_be_hidden()
    photos = list(FieldPhoto.objects.select_related("evidence").order_by("taken_at"))
    assert {p.evidence.sha256 for p in photos} == {
        hashlib.sha256(one).hexdigest(), hashlib.sha256(two).hexdigest()}
    assert all(p.distance_m == pytest.approx(30, abs=1) and not p.far for p in photos)
    assert all(p.accuracy_m == 12 for p in photos)

    # The findings, written offline, are sent when the phone is back online.
    page.fill("#id_findings", "现场为新建砖混结构房屋一栋，约 200 平方米，已封顶")
    page.fill("#id_observed_use", "农村宅基地建房")
    page.context.set_offline(True)
    page.click("#submit-button")
    expect(page.locator("#submit-state")).to_contain_text("核查结果已保存在手机上")
    page.context.set_offline(False)
    expect(page.locator("#task-state")).to_have_text("已提交 · 待判定", timeout=30000)
    task.refresh_from_db()
    task.patch.refresh_from_db()
    assert task.state == TaskState.SUBMITTED and task.observed_use == "农村宅基地建房"
    assert task.patch.state == PatchState.CHECKED

    # The task has left the list; nothing went wrong on the page on the way.
    page.click("text=我的核查任务")
    expect(page.locator("main")).to_contain_text("目前没有待核查的任务")
    assert [e for e in page.console_errors if not NETWORK_NOISE.search(e)] == []


@pytest.mark.django_db(transaction=True)
def test_photo_waits_through_an_expired_login(live_server, phone, task, officer):
    from django.contrib.sessions.models import Session

    from fazhi.monitoring.models import FieldPhoto

    page, url = phone, live_server.url
    page.goto(f"{url}/monitoring/field/tasks/{task.pk}/")
    page.fill("#id_username", officer.username)  # sent to the login page first
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text(task.patch.code)

    # The session runs out in the field (30 idle minutes); a photo is taken.
    Session.objects.all().delete()
    take_photo(page, "IMG_0003.jpg", jpeg(page, "#335577"))
    banner = page.locator("#net-banner")
    expect(banner).to_contain_text("登录已过期：照片已保存在手机上")
    expect(banner).to_contain_text("（1 张待上传）")
    expect(page.locator("#photo-queue li", has_text="待上传")).to_have_count(1)
    assert FieldPhoto.objects.count() == 0

    # Logging in again from the banner brings the officer back; the photo goes up.
    banner.locator("a", has_text="重新登录").click()
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#photo-list li", has_text="已上传")).to_have_count(1)
    expect(page.locator("#photo-queue li")).to_have_count(0)
    assert FieldPhoto.objects.count() == 1
    assert [e for e in page.console_errors if not NETWORK_NOISE.search(e)] == []


@pytest.mark.django_db(transaction=True)
def test_a_refused_photo_is_kept_with_the_reason_and_can_be_retried(
        live_server, phone, task, officer):
    from fazhi.monitoring.models import FieldPhoto

    page, url = phone, live_server.url
    page.goto(f"{url}/login/?next=/monitoring/field/tasks/{task.pk}/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text(task.patch.code)

    reason = "照片在传输中损坏或不完整，未保存。请重新拍摄或重新上传"
    page.route("**/photos/", lambda route: route.fulfill(
        status=400, json={"error": reason, "field": "file"})
        if route.request.method == "POST" else route.continue_())
    take_photo(page, "IMG_0004.jpg", jpeg(page, "#553377"))
    failed = page.locator("#photo-queue li.failed")
    expect(failed).to_contain_text(f"失败（{reason}）")
    page.fill("#id_findings", "现场为推土平整，未见建筑")
    page.fill("#id_observed_use", "推土、硬化未建")
    page.click("#submit-button")
    expect(page.locator("#submit-state")).to_contain_text("有照片上传失败")
    assert FieldPhoto.objects.count() == 0

    page.unroute("**/photos/")
    failed.locator("button", has_text="重试").click()
    expect(page.locator("#photo-list li", has_text="已上传")).to_have_count(1)
    expect(page.locator("#task-state")).to_have_text("已提交 · 待判定")
    assert FieldPhoto.objects.count() == 1
