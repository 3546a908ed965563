"""The editor's landmarks served from memory and from the browser's cache, not re-read from storage per request.

GET /landmarks and /series read a project's .pose file: about 83 MB and 9000 frames for ten minutes at the
engine's 15 fps, downloaded first when the storage is S3. The editor asks for /landmarks in five-minute windows
(again after each reload, from each annotator), so reading the file and writing a window's JSON for every
request spent about 0.3 s (plus the download) each time. This module avoids that, resting on the stored file never
changing in place:

- **Which file.** A stored .pose is known by its storage name and its size and modification time (on S3 by its
  name and last-modified time, one HEAD request). A new extraction stores a new file; even when it reuses a
  deleted file's name (a video uploaded again under the same name), its modification time tells it apart.
- **The browser's cache.** Answers carry an ETag derived from that identity, the route and its query, and the
  K-SLARS version (a new release may write the JSON differently), with ``Cache-Control: private, no-cache``:
  the browser keeps the answer but asks every time, and gets an empty 304 while the file is the same. The access
  check runs before the ETag is compared, so someone who lost access gets 404, never 304.
- **Memory.** :data:`CACHE` keeps the :class:`~kslars.web.processing.landmark_json.EditorLandmarks` of the two files
  used last in this process (3 MB for ten minutes at 15 fps, against 11 MB for the parsed file and 10 MB for
  one window's JSON), so another window, the series or another annotator's request is answered without touching
  the file: writing a five-minute window from it takes about 25 ms. An entry larger than
  MAX_BYTES (a video of several hours) is used for its request and not kept.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from django.db.models.fields.files import FieldFile
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response

import kslars
from kslars.web.processing.landmark_json import EditorLandmarks, editor_landmarks
from kslars.web.projects.videos import local_copy

MAX_ENTRIES = 2
MAX_BYTES = 64 << 20
CACHE_CONTROL = "private, no-cache"


class Measured(Protocol):
    """What the cache keeps: anything that says how much memory it holds."""

    @property
    def nbytes(self) -> int: ...


Entry = TypeVar("Entry", bound=Measured)


class LandmarkCache(Generic[Entry]):
    """The prepared landmarks (or what else is made from one stored file) of the files used last: at most
    ``max_entries`` of them and ``max_bytes`` in all, the least recently used dropped first. Safe to share between
    the threads of one process."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, load: Callable[[], Entry | None]) -> Entry | None:
        """The entry for ``key``, made by ``load()`` and kept when missing (None, an unreadable file, is not kept)."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        entry = load()  # outside the lock: other files' requests go on meanwhile
        if entry is not None and entry.nbytes <= self.max_bytes:
            with self._lock:
                if key not in self._entries:
                    self._entries[key] = entry
                    self._bytes += entry.nbytes
                while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                    self._bytes -= self._entries.popitem(last=False)[1].nbytes
        return entry

    @property
    def nbytes(self) -> int:
        """Memory held by the entries, in bytes."""
        return self._bytes

    def keys(self) -> list[str]:
        """The keys held, least recently used first."""
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0


CACHE: LandmarkCache[EditorLandmarks] = LandmarkCache()


def stored_identity(landmarks: FieldFile) -> str:
    """What tells this stored .pose from any other, without reading it: its path, size and modification time on
    this machine's disk, or its name and last-modified time in remote storage. Raises when the file is missing."""
    storage = landmarks.storage
    try:
        path = storage.path(landmarks.name)
    except NotImplementedError:
        return f"{landmarks.name}|{storage.get_modified_time(landmarks.name).isoformat()}"
    stat = os.stat(path)
    return f"{path}|{stat.st_size}|{stat.st_mtime_ns}"


def etag(identity: str, *request_parts: object) -> str:
    """A strong ETag for an answer computed from the file ``identity`` for the given route and query."""
    text = "\n".join(map(str, (kslars.__version__, identity, *request_parts)))
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def not_modified(request: HttpRequest, tag: str) -> HttpResponse | None:
    """304 (with the caching headers) when the request's If-None-Match holds ``tag``, else None. Call it only
    after the access check."""
    headers_only = HttpResponse(headers={"ETag": tag, "Cache-Control": CACHE_CONTROL})
    answer = get_conditional_response(request, etag=tag, response=headers_only)
    return None if answer is headers_only else answer


def json_response(body: bytes, tag: str) -> HttpResponse:
    """A 200 answer of JSON text ``body`` (the content type the API's other answers have) with caching headers."""
    return HttpResponse(
        body, content_type="application/json; charset=utf-8", headers={"ETag": tag, "Cache-Control": CACHE_CONTROL}
    )


def cached_landmarks(landmarks: FieldFile, identity: str) -> EditorLandmarks | None:
    """The editor's form of the stored .pose ``landmarks`` (whose :func:`stored_identity` is ``identity``), from
    :data:`CACHE` or read from storage; None when the file cannot be read as landmarks (processing the video
    again extracts them anew)."""

    def load() -> EditorLandmarks | None:
        from kslars.vision.pose_file import PoseFileError, read_landmarks

        with local_copy(landmarks) as path:
            try:
                return editor_landmarks(read_landmarks(path))
            except PoseFileError:
                return None

    return CACHE.get(identity, load)
