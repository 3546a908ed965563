"""WSGI entry point for gunicorn.

Loads everything the server needs before the first request (the URL configuration imports every view and API
route), then sets those objects aside from Python's cyclic garbage collector (``gc.freeze``): they live as long as
the process, and a full collection that scanned them all held the interpreter for 60-160 ms, a few times a minute
while people edit. Every thread of the process stopped for it, an edit in the middle of its turn included, and the
edits of the other processes waited behind that one.
"""

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kslars.web.settings")
application = get_wsgi_application()
import_module(settings.ROOT_URLCONF)  # the views and API routes now, not on the first request
gc.freeze()
