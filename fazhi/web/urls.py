"""Pages: login, 我的待办, notifications, the administrators' pages."""

from django.urls import path

from fazhi.web.views import (
    admin,
    audit,
    auth,
    departments,
    evidence,
    home,
    rules,
    standins,
)

app_name = "web"
urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("", home.home, name="home"),
    path("clocks/<int:pk>/", home.clock_detail, name="clock_detail"),
    path("notifications/", home.notifications, name="notifications"),
    path("standins/", standins.standin_list, name="standins"),
    path("standins/<int:pk>/end/", standins.standin_end, name="standin_end"),
    path("handover/", standins.hand_over, name="handover"),
    path("notifications/<int:pk>/read/", home.notification_read, name="notification_read"),
    path("admin/users/", admin.user_list, name="user_list"),
    path("admin/users/<int:pk>/active/", admin.user_set_active, name="user_set_active"),
    path("admin/departments/", departments.department_list, name="department_list"),
    path("admin/departments/<int:pk>/", departments.department_rename,
         name="department_rename"),
    path("admin/departments/<int:pk>/deactivate/", departments.department_deactivate,
         name="department_deactivate"),
    path("admin/departments/<int:pk>/reactivate/", departments.department_reactivate,
         name="department_reactivate"),
    path("admin/roles/", admin.role_list, name="role_list"),
    path("admin/roles/<int:pk>/", admin.role_change, name="role_change"),
    path("admin/tokens/", admin.token_list, name="token_list"),
    path("admin/tokens/<int:pk>/revoke/", admin.token_revoke, name="token_revoke"),
    path("admin/holidays/", admin.holiday_list, name="holiday_list"),
    path("admin/rules/", rules.rule_adoptions, name="rule_adoptions"),
    path("admin/rules/province/<slug:key>/", rules.province_adopt, name="province_adopt"),
    path("audit/", audit.audit_search, name="audit_search"),
    path("evidence/<int:pk>/", evidence.evidence_download, name="evidence_download"),
]
