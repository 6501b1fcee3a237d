"""A project outline from an uploaded file, for the other modules' forms.

The permit window (and any form that takes an extent) calls ``outline_from_upload``;
the reading is the GIS core's (``gis.outline``), the same reader the layer and patch
imports use. The upload is written under the data folder's unpacking area (never
/tmp) and removed at once.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError

from fazhi.monitoring.cleanup import unpacking_dir
from fazhi.monitoring.gis.errors import GisError
from fazhi.monitoring.gis.outline import ACCEPTED, OUTLINE_SUFFIXES, outline_read

MAX_OUTLINE_MB = 20  # a project's extent: a few KB; a whole layer is not an outline
UPLOAD_HINT = f"可上传{ACCEPTED}"


def outline_from_upload(uploaded, *, field: str = "outline_file") -> dict:
    """The GeoJSON geometry (EPSG:4490) in ``uploaded``, or a ValidationError on
    ``field`` saying in Chinese what is wrong with the file."""
    name = Path(uploaded.name or "").name
    if Path(name).suffix.lower() not in OUTLINE_SUFFIXES:
        raise ValidationError({field: f"不支持的文件类型“{name}”，{UPLOAD_HINT}"})
    if uploaded.size > MAX_OUTLINE_MB * 1024 * 1024:
        raise ValidationError({field: f"文件超过 {MAX_OUTLINE_MB} MB，项目范围不应这么大；"
                                      "请只导出本项目的范围"})
    work = unpacking_dir()
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fazhi-outline-", dir=work) as tmp:
        # The person's own file name, so the reader's messages name their file.
        safe = name.replace("\x00", "").lstrip(".") or "upload"
        path = Path(tmp) / safe
        with path.open("wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        try:
            return outline_read(path, shown=name, workdir=tmp)
        except GisError as exc:
            raise ValidationError({field: str(exc)}) from None
