"""A case that ended has no running clock, and its execution facts are in its log.

Before: the 90-day case period ran on past the decision (to closure), and a closed,
terminated, transferred or not-filed case kept its clocks running, so the party's
statement and hearing windows of cases closed long ago showed as 超期 on the
dashboards. Now: the decision ends the case period (done that day, late if past
due) and the statement and hearing windows; the end of the case ends the rest (the
bureau's duties as done that day, the party's windows cancelled). Payments,
remedies, demands and completed execution were audited but never written to the
case's log: each becomes a step at the moment and by the person of its audit event.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import migrations

# The rules of a party's window at the time of this migration (rule files: duty).
PARTY = {"penalty.statement", "penalty.hearing_request", "penalty.fine_payment",
         "coercion.demand"}
ENDED = {"closed", "filing_rejected", "terminated", "transferred"}
ENDING_ACTIONS = {"close", "reject_filing", "terminate", "transfer"}
EXECUTION = {"enforcement.payment": "payment", "enforcement.remedy": "remedy",
             "enforcement.demand": "demand",
             "enforcement.execution_complete": "complete_execution"}
_TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _end(Clock, ClockPause, clock, on, cancel):
    if clock.state == "paused":
        ClockPause.objects.filter(clock=clock, end__isnull=True).update(
            end=max(on, clock.start_date + dt.timedelta(days=1)))
    fields = dict(stopped_on=on, ended_as="closed",
                  state="cancelled" if cancel else "stopped")
    if not cancel:
        fields["status"] = "done_late" if on > clock.due_date else "done"
    Clock.objects.filter(pk=clock.pk).update(**fields)


def clocks_end(apps, schema_editor):
    Case = apps.get_model("enforcement", "Case")
    CaseStep = apps.get_model("enforcement", "CaseStep")
    Clock = apps.get_model("deadlines", "Clock")
    ClockPause = apps.get_model("deadlines", "ClockPause")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct = ContentType.objects.filter(app_label="enforcement", model="case").first()
    if ct is None:
        return
    running = Clock.objects.filter(content_type=ct, state__in=("running", "paused"))
    for case in Case.objects.filter(pk__in=[int(i) for i in running.values_list(
            "object_id", flat=True)]).iterator():
        clocks = running.filter(object_id=str(case.pk))
        ending = CaseStep.objects.filter(case=case, action__in=ENDING_ACTIONS
                                         ).order_by("-at").first()
        if case.decided_on:
            # The decision ended these, also in a case that has ended since.
            for clock in clocks.filter(pk__in=[case.case_clock_id,
                                               case.statement_clock_id,
                                               case.hearing_clock_id]):
                _end(Clock, ClockPause, clock, case.decided_on,
                     clock.rule_id in PARTY)
        if case.state in ENDED:
            on = case.closed_on or (ending.at.astimezone(_TZ).date() if ending
                                    else case.decided_on)
            for clock in clocks:  # those the decision left running
                _end(Clock, ClockPause, clock, on or clock.due_date,
                     clock.rule_id in PARTY)


def execution_steps(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    Case = apps.get_model("enforcement", "Case")
    CaseStep = apps.get_model("enforcement", "CaseStep")
    events = AuditEvent.objects.filter(object_type="enforcement.Case",
                                       action__in=list(EXECUTION)).order_by("seq")
    for event in events.iterator():
        case = Case.objects.filter(pk=int(event.object_id)).first()
        if case is None or CaseStep.objects.filter(
                case=case, action=EXECUTION[event.action], at=event.at).exists():
            continue
        before = CaseStep.objects.filter(case=case, at__lte=event.at).order_by(
            "-at", "-pk").first()
        state = before.state_after if before else case.state
        step = CaseStep.objects.create(
            case=case, action=EXECUTION[event.action], state_before=state,
            state_after=state, actor_id=event.actor_id or case.created_by_id,
            note=_summary(event))
        CaseStep.objects.filter(pk=step.pk).update(at=event.at)


def _summary(event) -> str:
    import json

    try:
        return json.loads(event.payload).get("summary", "")
    except (ValueError, AttributeError):
        return ""


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_api_tokens_and_login_throttle"),
        ("deadlines", "0003_clock_ended_as"),
        ("enforcement", "0004_case_measures"),
    ]

    operations = [
        migrations.RunPython(clocks_end, migrations.RunPython.noop),
        migrations.RunPython(execution_steps, migrations.RunPython.noop),
    ]
