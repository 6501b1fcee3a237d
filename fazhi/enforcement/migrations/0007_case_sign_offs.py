"""The principal's approvals of a case become sign-offs (core.Approval): the new
states waiting on the principal (待集体讨论, 终止调查待批, 结案待批), and a round for
each case already waiting for its filing approval, proposed by the officer who
asked for it when they did (立案呈批), so the principal can sign it."""

from django.db import migrations, models

CHAIN = "enforcement.filing"


def filing_rounds(apps, schema_editor):
    Case = apps.get_model("enforcement", "Case")
    Approval = apps.get_model("core", "Approval")
    SignOff = apps.get_model("core", "SignOff")
    ContentType = apps.get_model("contenttypes", "ContentType")
    waiting = Case.objects.filter(state="filing_pending")
    if not waiting.exists():
        return
    ct, _ = ContentType.objects.get_or_create(app_label="enforcement", model="case")
    for case in waiting.iterator():
        if Approval.objects.filter(content_type=ct, object_id=str(case.pk),
                                   chain=CHAIN).exists():
            continue
        approval = Approval.objects.create(
            content_type=ct, object_id=str(case.pk), org_unit_id=case.org_unit_id,
            chain=CHAIN, title="立案审批", round=1,
            steps=[{"code": "undertake", "label": "承办",
                    "role": "enforcement_officer"},
                   {"code": "approve", "label": "批准", "role": "principal"}],
            basis="自然资源行政处罚办法第十六条", proposal="file",
            proposal_label="建议立案调查", created_at=case.created_at)
        SignOff.objects.create(approval=approval, step=0, label="承办",
                               role="enforcement_officer", opinion="propose",
                               reasons=case.facts_summary,
                               signed_by_id=case.created_by_id,
                               signed_at=case.created_at)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0006_approvals_and_section_head"),
        ("enforcement", "0006_case_remedy_end_and_violation_end"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="state",
            field=models.CharField(choices=[("filing_pending", "立案待批"), ("filing_rejected", "不予立案"), ("filed", "已立案（调查取证）"), ("notice_served", "已告知（陈述申辩期）"), ("hearing_requested", "已申请听证"), ("hearing_held", "听证已结束"), ("legal_review", "法制审核中"), ("review_returned", "法制审核退回补正"), ("review_passed", "法制审核通过"), ("discussion_pending", "待集体讨论"), ("collective_discussion", "已集体讨论"), ("decided", "已作出决定"), ("served", "决定书已送达"), ("executing", "执行中"), ("court_enforcement", "已申请法院强制执行"), ("termination_pending", "终止调查待批"), ("terminated", "已终止调查"), ("transferred", "已移送"), ("closure_pending", "结案待批"), ("closed", "已结案")], db_index=True, default="filing_pending", max_length=30, verbose_name="状态"),
        ),
        migrations.RunPython(filing_rounds, migrations.RunPython.noop),
    ]
