from django.apps import AppConfig

from fazhi.core.role_names import OVERSEES
from fazhi.core.roles import BUSINESS_ROLES, Role
from fazhi.ui.navigation import NavEntry, Section

# Who hands a person's open matters to another (工作交接): the heads of the bureau's
# work (a supervisor checks work, assigns none).
HEADS = frozenset(OVERSEES) - {Role.SUPERVISOR}


def _unread(user) -> int:
    from fazhi.core.models import Notification

    return Notification.objects.filter(user=user, read_at__isnull=True).count()


class WebConfig(AppConfig):
    name = "fazhi.web"
    label = "web"
    verbose_name = "界面"

    def navigation(self) -> list[NavEntry]:
        from fazhi.work.items import count_of

        return [
            NavEntry("我的待办", "web:home", BUSINESS_ROLES, Section.HOME,
                     count=count_of("")),
            # Leave and hand-over, beside the person's notices: 请假代理 for
            # everyone (the security administrator enters it for others: a
            # temporary hand-on of roles), 工作交接 for the heads.
            NavEntry("请假代理", "web:standins", BUSINESS_ROLES | {Role.SECURITY_ADMIN},
                     Section.PERSONAL),
            NavEntry("工作交接", "web:handover", HEADS, Section.PERSONAL),
            NavEntry("通知", "web:notifications", set(Role), Section.PERSONAL,
                     count=_unread),
            NavEntry("审计日志", "web:audit_search", {Role.AUDIT_ADMIN}, Section.ADMIN),
            NavEntry("用户管理", "web:user_list", {Role.SYSTEM_ADMIN}, Section.ADMIN),
            NavEntry("角色授权", "web:role_list", {Role.SECURITY_ADMIN}, Section.ADMIN),
            NavEntry("接口令牌", "web:token_list", {Role.SECURITY_ADMIN},
                     Section.ADMIN),
            NavEntry("节假日安排", "web:holiday_list", {Role.SYSTEM_ADMIN},
                     Section.ADMIN),
            NavEntry("规则采用", "web:rule_adoptions", {Role.SYSTEM_ADMIN},
                     Section.ADMIN),
            # For those who connect other systems to fazhi: the system
            # administrator, and the security administrator who issues the tokens.
            NavEntry("接口文档", "api-docs", {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN},
                     Section.REFERENCE),
        ]
