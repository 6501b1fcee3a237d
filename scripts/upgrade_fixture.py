"""Rebuild the upgrade fixture: the demo database as an older fazhi left it.

    .venv/bin/python scripts/upgrade_fixture.py [COMMIT]

COMMIT (default: the one the current manifest names) is checked out in a throwaway
git worktree; its own ``fazhi migrate`` and ``fazhi demo_load`` fill a fresh SQLite
data folder, with a fixed audit key and the anchor file beside the folder, as an
install of that version would. Written to tests/data/:

- ``upgrade-demo.sqlite3.xz``: the database, vacuumed and compressed;
- ``upgrade-demo.json``: the manifest: the commit, the day it was made, the audit
  key, hash and anchor head the chain was written under, the demo password, the
  last migration of each app, and the rows of every table.

tests/test_upgrade.py migrates a copy to the current code as an operator upgrades
and checks that every record is kept. Move the baseline forward when a release ships
(the test's checks of moved or added rows name the migrations since the baseline).
Evidence files are not kept: the database and the anchor are what an upgrade changes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import lzma
import os
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
DB = DATA / "upgrade-demo.sqlite3.xz"
MANIFEST = DATA / "upgrade-demo.json"
DEFAULT_COMMIT = "382e60d"  # the last commit before issue 14 changed the models
# A key for this fixture only: the chain in it verifies under this key alone.
AUDIT_KEY = "upgrade-fixture-audit-key-not-for-production"
PASSWORD = "fazhi-demo-2026"
# Django's bookkeeping, which any migration rewrites: not records.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission",
               "django_session", "sqlite_sequence"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commit", nargs="?", default=_current_commit())
    args = parser.parse_args(argv)
    commit = _git("rev-parse", "--verify", f"{args.commit}^{{commit}}")
    with tempfile.TemporaryDirectory(prefix="fazhi-upgrade-") as tmp:
        src, data = Path(tmp) / "src", Path(tmp) / "data"
        anchor = Path(tmp) / "audit-anchor.json"
        _git("worktree", "add", "--detach", str(src), commit)
        try:
            env = _env(src, data, anchor)
            for command in (["migrate", "--noinput"], ["demo_load"],
                            ["audit", "verify"]):
                print("==> fazhi", *command, f"({commit[:12]})", flush=True)
                subprocess.run([sys.executable, "-m", "fazhi.cli", *command],
                               cwd=src, env=env, check=True, stdout=subprocess.DEVNULL)
        finally:
            _git("worktree", "remove", "--force", str(src))
        db = data / "fazhi.sqlite3"
        manifest = _manifest(db, commit, anchor)
        _compact(db)
        DATA.mkdir(parents=True, exist_ok=True)
        DB.write_bytes(lzma.compress(db.read_bytes(), preset=9))
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
    print(f"{DB.relative_to(ROOT)}: {DB.stat().st_size / 1e6:.2f} MB; "
          f"{MANIFEST.relative_to(ROOT)}: {len(manifest['tables'])} tables")
    return 0


def _current_commit() -> str:
    try:
        return json.loads(MANIFEST.read_text(encoding="utf-8"))["commit"]
    except (OSError, ValueError, KeyError):
        return DEFAULT_COMMIT


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, text=True,
                          capture_output=True).stdout.strip()


def _env(src: Path, data: Path, anchor: Path) -> dict[str, str]:
    """The old version's settings: its code first, its own data folder and key."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
           and not k.startswith("FAZHI_")}
    return {**env, "PYTHONPATH": str(src), "FAZHI_DATA_DIR": str(data),
            "FAZHI_SECRET_KEY": "upgrade-fixture-secret-key",
            "FAZHI_AUDIT_KEY": AUDIT_KEY, "FAZHI_AUDIT_ANCHOR": str(anchor),
            "FAZHI_HTTPS": "0"}


def _manifest(db: Path, commit: str, anchor: Path) -> dict:
    with closing(sqlite3.connect(db)) as con:
        tables = [t for (t,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if t not in BOOKKEEPING]
        rows = {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
                for t in tables}
        migrations = dict(con.execute(
            "SELECT app, MAX(name) FROM django_migrations GROUP BY app ORDER BY app"))
        algorithm = con.execute(
            "SELECT DISTINCT algorithm FROM core_auditevent").fetchall()
    return {
        "commit": commit,
        "made_on": dt.date.today().isoformat(),
        "how": "scripts/upgrade_fixture.py: that commit's `fazhi migrate` and "
               "`fazhi demo_load` on SQLite",
        "demo_password": PASSWORD,
        "audit": {"key": AUDIT_KEY, "algorithms": [a for (a,) in algorithm],
                  "anchor": _newest_anchor(anchor)},
        "migrations": migrations,
        "tables": rows,
    }


def _newest_anchor(path: Path) -> dict:
    """The head the anchor file names last (the highest sequence)."""
    heads = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    return max(heads, key=lambda head: head["seq"])


def _compact(db: Path) -> None:
    """Fold the write-ahead log in and drop free pages: one self-contained file."""
    with closing(sqlite3.connect(db)) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("VACUUM")


if __name__ == "__main__":
    sys.exit(main())
