"""Settings for the test suite: the production settings with a test environment.

The environment is fixed here because pytest-django reads settings before any
conftest runs.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("FAZHI_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("FAZHI_AUDIT_KEY", "test-only-audit-key-not-for-production")
os.environ.setdefault("FAZHI_HTTPS", "0")
os.environ.setdefault(
    "FAZHI_DATA_DIR", str(Path(tempfile.gettempdir()) / f"fazhi-test-{os.getpid()}")
)

from fazhi.settings import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only

# Live-server threads must not keep connections open past a request, or PostgreSQL
# cannot drop the test database at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

MONITORING_IMPORT_INLINE = True  # the test client's transaction is not seen by threads
