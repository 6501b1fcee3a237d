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
    def roles(self) -> frozenset[str]:
        """Return the set of role codes this user holds (cached per instance)."""
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = frozenset(self.role_grants.values_list("role", flat=True))
            self._roles_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        """Tell whether the user holds any of ``roles``."""
        return bool(self.roles.intersection(roles))


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
