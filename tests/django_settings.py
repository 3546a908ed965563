"""Settings for the test suite: the web tool's settings over a throw-away data folder."""

import os
import tempfile

os.environ.setdefault("KSLARS_DATA_DIR", tempfile.mkdtemp(prefix="kslars-test-"))

from kslars.web.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing; never outside tests

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing static folder otherwise
