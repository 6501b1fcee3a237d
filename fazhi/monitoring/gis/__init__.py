"""Pure GIS core of 卫片执法: read delivered layers, index them, overlay patches, export.

Nothing here imports Django or reads settings; callers (the web import, the ``fazhi
overlay`` command, the benchmark) pass paths, codes and limits in. Areas are computed
only in a projected CGCS2000 Gauss–Krüger CRS and are in m² (1 亩 = 10000/15 m²).
"""

from fazhi.monitoring.gis.errors import GisError

__all__ = ["GisError"]
