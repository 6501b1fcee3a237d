"""Notifications: whom to tell of what, once, in the platform and optionally out.

``send`` writes the in-app notification (one per person per event, ``Notice``,
``notify``, ``people_with_role``); ``events`` says who is told of a matter now
waiting on them and of a decision about their request; ``outbound`` sends copies
through the channels a bureau turns on (e-mail, SMS), off by default.
"""

from fazhi.core.notices.events import (
    decision_reached,
    waiting_people,
    work_arrived,
    work_notice,
)
from fazhi.core.notices.send import Notice, notify, people_with_role

__all__ = ["Notice", "decision_reached", "notify", "people_with_role",
           "waiting_people", "work_arrived", "work_notice"]
