"""What staff see when something goes wrong: Chinese pages in the site's frame.

With DEBUG off (as in production), a refused role, a missing page, a stale form and
a server error each get our own page saying what happened and where to go, never
Django's English defaults.
"""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import path, reverse

from fazhi.urls import urlpatterns as site


def _boom(request):
    raise RuntimeError("boom")


# The site, plus one page that fails, to see what a failure shows.
urlpatterns = [*site, path("boom/", _boom)]


def test_a_refused_role_reads_why_in_chinese_inside_the_frame(client, people):
    client.force_login(people.xt_officer)
    response = client.get(reverse("web:user_list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "您没有办理此事项的权限" in html
    assert "Forbidden" not in html
    assert 'class="side"' in html  # the menu is there: the person can go on working
    assert reverse("web:home") in html


def test_a_missing_page_is_our_chinese_404(client, people):
    client.force_login(people.xt_officer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "未找到该页面或事项" in html
    assert "Not Found" not in html
    assert 'class="side"' in html


def test_a_missing_page_for_someone_not_logged_in_offers_the_login(client, db):
    html = client.get("/no-such-page/").content.decode()
    assert "未找到该页面或事项" in html and reverse("web:login") in html


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_is_our_chinese_500_without_details(people):
    client = Client(raise_request_exception=False)
    client.force_login(people.xt_officer)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统处理出错" in html
    assert "boom" not in html and "Traceback" not in html and "Server Error" not in html


def test_a_stale_form_is_told_in_chinese(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.xt_officer)
    response = client.post(reverse("web:logout"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期" in html and "CSRF" not in html


@pytest.mark.django_db(transaction=True)
def test_api_documentation_runs_under_the_security_policy(live_server, page):
    from fazhi.core.demo import demo_load
    from tests.browser_fixtures import log_in

    demo_load("browser-pass-123")
    log_in(page, live_server.url, "xt_sysadmin", "browser-pass-123")
    page.click("nav.side a:has-text('接口文档')")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20000)
    assert page.locator(".opblock-summary-path", has_text="/api/v1/clocks/").count() >= 1
    assert page.console_errors == []
