"""Work items: what waits on whom, derived from the matters' state (我的待办).

``items`` gives a person's items (matters waiting on them, extension requests they
decide, their clocks) and the menu's counts; ``oversight`` what heads see of their
people's overdue items and, above a county, the counts per bureau. The matters
waiting are read from the work items' table (``models.Waiting``, read by
``table``), which ``waiting`` keeps right in the transaction of every change and
``fazhi work_items --check`` compares with a full derivation; the extension
requests and clocks from ``sources``. Each list hands over only its first few,
dressed as ``workitem.WorkItem``. Shared layer: it reads the matter registry and
the clocks, and imports no app.
"""
