"""The one error the GIS core raises for bad input: a Chinese message for the user."""

from __future__ import annotations

from pathlib import Path


class GisError(ValueError):
    """Refuse a file the bureau delivered, saying which file, which feature and the fix."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        feature_id: str | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.feature_id = feature_id
        parts = []
        if self.path:
            parts.append(f"文件 {Path(self.path).name}")
        if feature_id is not None:
            parts.append(f"要素 {feature_id}")
        prefix = "，".join(parts)
        super().__init__(f"{prefix}：{message}" if prefix else message)
