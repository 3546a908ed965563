"""Settings for the test suite: the web tool's settings over a throw-away data folder."""

import os
import tempfile

os.environ.setdefault("KSLARS_DATA_DIR", tempfile.mkdtemp(prefix="kslars-test-"))

from kslars.web.settings import *  # noqa: E402,F403
from kslars.web.settings import DATABASES, STATIC_ROOT  # noqa: E402 - the settings changed below

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing; never outside tests

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing static folder otherwise

# The test database is a file, not SQLite's shared-cache memory database: the browser tests' live server answers
# requests on several threads while the test reads the database too, and in shared-cache memory a read during a
# write makes the write fail at once ("database table is locked") instead of waiting its turn.
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"]["NAME"] = os.path.join(tempfile.mkdtemp(prefix="kslars-test-db-"), "test.sqlite3")
