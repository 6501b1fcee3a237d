"""A bureau changes a statutory period and a fee band in its own rule folder."""

from __future__ import annotations

import datetime as dt

from fazhi.disclosure import services
from tests.disclosure.conftest import on

D = dt.date

OGI_OVERRIDE = '''
[law]
name = "中华人民共和国政府信息公开条例"
version = "假设的修订（测试）"
in_force = 2027-01-01
source = "测试"

[[rule]]
id = "disclosure.reply"
name = "政府信息公开申请答复期限"
article = "第三十三条第二款"
unit = "working_day"
length = 15
extension_cap = 15
pauses = ["consultation", "correction"]
yellow_days = 3
start_event = "收到申请之日"
'''

FEES_OVERRIDE = '''
[law]
name = "政府信息公开信息处理费管理办法"
version = "假设的修订（测试）"
in_force = 2027-01-01
source = "测试"

[[method]]
code = "per_volume"
label = "按量计收"
unit = "页"
article = "第五条"
scope = "按页"

[[method.band]]
from = 1
to = 50
yuan = 0

[[method.band]]
from = 51
yuan = 5
'''


def test_override_folder_changes_period_and_fee_without_code(
        settings, tmp_path, register, officer):
    (tmp_path / "deadlines").mkdir()
    (tmp_path / "deadlines" / "ogi.toml").write_text(OGI_OVERRIDE, encoding="utf-8")
    (tmp_path / "disclosure").mkdir()
    (tmp_path / "disclosure" / "fees.toml").write_text(FEES_OVERRIDE, encoding="utf-8")
    settings.RULES_DIRS = [tmp_path]
    req = register()
    # 15 working days after Thu 2025-09-25 (National Day skipped): 2025-10-22.
    assert req.reply_clock.due_date == D(2025, 10, 22)
    with on(D(2025, 10, 1)):
        services.request_fee_set(request=req, actor=officer, method="per_volume",
                                 quantity=60)
    req.refresh_from_db()
    assert req.fee_amount == 50 and "假设的修订" in req.fee_basis
