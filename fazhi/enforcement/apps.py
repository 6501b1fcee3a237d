from fazhi.core import matter_kinds
from fazhi.core.matter_kinds import Assigned, Barred, MatterKind
from fazhi.core.role_names import ENFORCEMENT_OFFICER, LEGAL_REVIEWER, PRINCIPAL
from fazhi.enforcement.cases.workflow import REVIEW_ACTIONS, TABLE
from fazhi.ui.navigation import NavEntry


def _case_corrected(matter, actor, note: str, on) -> None:
    # A corrected decision is marked on the case, and a published one withdrawn.
    from fazhi.enforcement.publicity.services import case_mark_corrected

    case_mark_corrected(case=matter, actor=actor, note=note, on=on)


# Whoever took part in a case may not review it (行政处罚法第五十八条): its officers,
# whoever proposed the filing, acted on or approved a step other than a review, or
# recorded its evidence. ``case_participants`` (the review's guard) reads this too.
TOOK_PART = tuple(
    Barred(LEGAL_REVIEWER, person, via, unless)
    for person, via, unless in (
        ("officers", "", {}), ("created_by", "", {}),
        ("actor", "steps", {"action__in": REVIEW_ACTIONS}),
        ("approver", "steps", {"action__in": REVIEW_ACTIONS}),
        ("recorded_by", "records", {})))


class EnforcementConfig(matter_kinds.MatterAppConfig):
    name = "fazhi.enforcement"
    verbose_name = "行政执法"
    matters = (
        MatterKind("enforcement.case", "执法案件", "行政执法",
                   "enforcement:case_detail", challengeable=True,
                   corrected=_case_corrected, table=TABLE,
                   assigned=(Assigned(ENFORCEMENT_OFFICER, "officers"),),
                   barred=TOOK_PART, extensions=PRINCIPAL),
        MatterKind("enforcement.lead", "违法线索", "行政执法",
                   "enforcement:lead_detail"),
    )

    def ready(self) -> None:
        super().ready()
        from fazhi.core.adoptions import presets_source
        from fazhi.enforcement.rulesets import presets

        presets_source(presets)

    def navigation(self) -> list[NavEntry]:
        from fazhi.enforcement import selectors
        from fazhi.enforcement.leads import services as leads
        from fazhi.enforcement.publicity import services as publicity
        from fazhi.enforcement.supervision import services as supervision
        from fazhi.work.items import count_of

        return [
            NavEntry("行政执法", "enforcement:case_list", selectors.READ_ROLES,
                     count=count_of(self.label)),
            NavEntry("违法线索", "enforcement:lead_list", leads.READ_ROLES),
            NavEntry("执法公示", "enforcement:publicity_due",
                     publicity.PUBLISHER_ROLES),
            NavEntry("执法监督", "enforcement:inaction_list", supervision.READ_ROLES),
            NavEntry("案卷评查", "enforcement:file_review_list",
                     supervision.READ_ROLES),
        ]
