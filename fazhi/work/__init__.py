"""Work items: what waits on whom, derived from the matters' state (我的待办).

``items`` gives a person's items (matters waiting on them, extension requests they
decide, their clocks) and the menu's counts; ``oversight`` what heads see of their
people's overdue items and, above a county, the counts per bureau. Both read
``sources``: queries that count the items in the database and hand over only the
first few, dressed as ``workitem.WorkItem``. Shared layer: it reads the matter
registry and the clocks, and imports no app.
"""
