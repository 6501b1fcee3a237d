"""Where the monitoring files live: local folder (one machine) or object storage.

An import's upload, the delivered original kept by its hash, and each layer
version's spatial index are read by whichever node or worker handles the next step,
so with several nodes they live in ``storages["monitoring"]`` (S3, settings.S3). The
embedded default keeps them under ``settings.MONITORING_ROOT`` exactly as before, and
then nothing here copies anything.

Reading a layer index needs local files (it is memory-mapped), so a node fetches a
version's index once into its cache, named by the hash of the index's manifest: a
node never reads a stale copy, and a version fetched is never fetched again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages

MANIFEST = "manifest.json"


def root() -> Path:
    """The local monitoring folder: all the files on one machine, scratch on many."""
    return Path(settings.MONITORING_ROOT)


def remote() -> bool:
    """Whether the monitoring files are in object storage (several nodes)."""
    return "monitoring" in settings.STORAGES


def storage():
    return storages["monitoring"]


def scratch() -> Path:
    """A fresh local folder for one step's working copies (removed by the caller)."""
    base = root() / "work"
    base.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="job-", dir=base))


def upload_save(name: str, file) -> str:
    """Store an uploaded file under ``uploads/<random>/<name>``; return its name."""
    rel = f"uploads/{uuid.uuid4().hex}/{name}"
    if remote():
        saved = storage().save(rel, File(file, name=name))
        if saved != rel:  # file_overwrite=False renames only on a clash
            rel = saved
        return rel
    target = root() / rel
    target.parent.mkdir(parents=True)
    with target.open("wb") as out:
        for chunk in file.chunks():
            out.write(chunk)
    return rel


def exists(rel: str) -> bool:
    return storage().exists(rel) if remote() else (root() / rel).is_file()


@contextlib.contextmanager
def local_copy(rel: str) -> Iterator[Path]:
    """Yield a local path holding the stored file ``rel`` for as long as needed."""
    if not remote():
        yield root() / rel
        return
    folder = scratch()
    try:
        target = folder / Path(rel).name
        with storage().open(rel, "rb") as src, target.open("wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
        yield target
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def source_keep(path: Path, sha: str) -> None:
    """Keep the delivered file by its hash (written once), for the record."""
    rel = f"sources/{sha}{''.join(path.suffixes[-1:])}"
    if remote():
        if not storage().exists(rel):
            with path.open("rb") as f:
                storage().save(rel, File(f, name=path.name))
        return
    kept = root() / rel
    kept.parent.mkdir(parents=True, exist_ok=True)
    if not kept.exists():
        shutil.copyfile(path, kept)
    else:
        os.utime(kept)  # in use again: the sweep removes only untouched, unnamed ones


def upload_delete(rel: str) -> bool:
    """Delete a stored upload (object storage); tell whether there was one."""
    if not storage().exists(rel):
        return False
    storage().delete(rel)
    return True


# --- layer indexes --------------------------------------------------------------------


def index_publish(folder: Path, rel: str) -> None:
    """Copy a built index to object storage under ``rel``, its manifest last.

    The manifest names every file with its hash; written last, it marks the index
    complete, so a node never fetches half an index.
    """
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    manifest = {str(p.relative_to(folder)): sha256(p) for p in files}
    for p in files:
        with p.open("rb") as f:
            _put(f"{rel}/{p.relative_to(folder)}", f)
    body = json.dumps(manifest, sort_keys=True).encode("utf-8")
    from django.core.files.base import ContentFile

    _put(f"{rel}/{MANIFEST}", ContentFile(body))


def _put(name: str, content) -> None:
    if storage().exists(name):  # a retried publish: same name, same content
        storage().delete(name)
    storage().save(name, File(content, name=Path(name).name))


def index_delete(rel: str) -> None:
    """Remove a published index whose version was never saved (best effort)."""
    with contextlib.suppress(OSError, ValueError):
        _dirs, files = storage().listdir(rel)
        for name in files:
            storage().delete(f"{rel}/{name}")


def index_local(rel: str) -> Path:
    """A local folder holding the index ``rel``: itself on one machine, else the
    node's cached copy named by the hash of its manifest (fetched on first use)."""
    if not remote():
        return root() / rel
    with storage().open(f"{rel}/{MANIFEST}", "rb") as f:
        body = f.read()
    cache = root() / "cache" / hashlib.sha256(body).hexdigest()
    if cache.is_dir():
        return cache
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".fetch-", dir=cache.parent))
    try:
        for name, sha in json.loads(body).items():
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with storage().open(f"{rel}/{name}", "rb") as src, target.open("wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
            if sha256(target) != sha:
                raise OSError(f"图层索引文件 {name} 与清单不符，请稍后重试")
        try:
            os.replace(tmp, cache)
        except OSError:
            if not cache.is_dir():  # another request of this node won the race: fine
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return cache
