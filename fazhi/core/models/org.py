"""Organisation units, departments, people and their roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from fazhi.core.roles import Role


class OrgLevel(models.TextChoices):
    PROVINCE = "province", "省级"  # a provincial department of natural resources
    CITY = "city", "市级"  # a city bureau
    COUNTY = "county", "县级"  # a county bureau: where matters are handled


class OrgUnit(models.Model):
    """A natural-resources bureau of one administrative division (GB/T 2260)."""

    division_code = models.CharField("行政区划代码", max_length=6, unique=True)
    division_name = models.CharField("行政区划名称", max_length=50)
    name = models.CharField("机关名称", max_length=100)
    short_name = models.CharField("文号机关代字", max_length=20, blank=True)
    level = models.CharField("层级", max_length=10, choices=OrgLevel.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children"
    )
    # Materialised path of division codes, e.g. "430000/430300/430321/": a subtree
    # is one indexed prefix query on every backend.
    path = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = "机关"
        verbose_name_plural = "机关"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        prefix = self.parent.path if self.parent_id else ""
        self.path = f"{prefix}{self.division_code}/"
        super().save(*args, **kwargs)

    def contains(self, other: OrgUnit) -> bool:
        """Tell whether ``other`` lies in this unit's subtree (itself included)."""
        return other.path.startswith(self.path)


class Department(models.Model):
    """A section inside a bureau (股室, 执法大队)."""

    org_unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="departments")
    name = models.CharField("名称", max_length=100)
    # A department is never deleted once made: accounts and records name it. One no
    # longer in use is deactivated: it leaves the choosers, old records still show it.
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        unique_together = [("org_unit", "name")]
        verbose_name = "股室"

    def __str__(self) -> str:
        return f"{self.org_unit.short_name or self.org_unit.name} {self.name}"


class User(AbstractUser):
    """A member of staff; belongs to one bureau and sees its subtree."""

    full_name = models.CharField("姓名", max_length=50)
    org_unit = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="users"
    )
    department = models.ForeignKey(
        Department, models.SET_NULL, null=True, blank=True, related_name="users"
    )
    badge_number = models.CharField("执法证号", max_length=30, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def granted_roles(self) -> frozenset[str]:
        """The role codes granted to this user (cached per instance)."""
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = frozenset(self.role_grants.values_list("role", flat=True))
            self._roles_cache = cached
        return cached

    @property
    def acting(self) -> dict[str, tuple[int, str]]:
        """The business roles this user holds today as someone's stand-in (请假代理),
        each with the person acted for (pk, name): only the roles that person is
        granted, only while the period is in force, only when both belong to the
        same bureau (cached per instance, as ``roles`` is)."""
        cached = getattr(self, "_acting_cache", None)
        if cached is None:
            cached = {}
            if self.pk and self.org_unit_id:
                from django.utils import timezone

                from fazhi.core.models.standin import StandIn
                from fazhi.core.roles import ADMIN_ROLES

                periods = StandIn.objects.on(timezone.localdate()).filter(
                    standin=self, org_unit_id=self.org_unit_id,
                    absent__org_unit_id=self.org_unit_id)
                rows = (UserRole.objects.filter(user__in=periods.values("absent"))
                        .exclude(role__in=ADMIN_ROLES)
                        .order_by("user_id", "role")
                        .values_list("role", "user_id", "user__full_name",
                                     "user__username"))
                for role, pk, full, username in rows:
                    cached.setdefault(role, (pk, full or username))
            self._acting_cache = cached
        return cached

    @property
    def roles(self) -> frozenset[str]:
        """The role codes this user may act in today: those granted, and those of
        the people they stand in for (``acting``)."""
        acting = self.acting
        return self.granted_roles | frozenset(acting) if acting else self.granted_roles

    def has_role(self, *roles: str) -> bool:
        """Tell whether the user holds any of ``roles`` (granted or as a stand-in)."""
        return bool(self.roles.intersection(roles))

    def acting_for(self, *roles: str) -> tuple[int, str] | None:
        """The person (pk, name) this user acts for when acting in one of ``roles``:
        None when a role of their own is among them, or none is held at all."""
        if not roles or self.granted_roles.intersection(roles):
            return None
        return next((self.acting[r] for r in roles if r in self.acting), None)

    def note_acting(self, *roles: str) -> tuple[int, str] | None:
        """Remember, for the audit event of the action just allowed in one of
        ``roles``, whom this user acts for in it (None: in their own right)."""
        self._acting_now = self.acting_for(*roles)
        return self._acting_now

    @property
    def acting_now(self) -> tuple[int, str] | None:
        """Whom the action last allowed was taken for (``note_acting``)."""
        return getattr(self, "_acting_now", None)

    @property
    def stands_in_for(self) -> frozenset[int]:
        """The people this user stands in for today (pks)."""
        return frozenset(pk for pk, _ in self.acting.values())


class UserRole(models.Model):
    """One role held by one user, granted by a security administrator."""

    user = models.ForeignKey(User, models.CASCADE, related_name="role_grants")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    granted_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("user", "role")]
        verbose_name = "角色授予"

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class LoginFailure(models.Model):
    """A failed login, kept to lock an account after repeated failures."""

    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        # The per-client throttle counts one address's recent failures.
        indexes = [models.Index(fields=["remote_addr", "at"])]
