"""The dictionary page: the search form (palette, photo, camera, text); results come from the JSON API."""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kslars.hamnosys import handshape_vocabulary
from kslars.web.dictionary.services import DictionaryMissing, DictionaryUnavailable, current_lexicon, may_search


def palette_vocabulary() -> dict:
    """The HamNoSys handshape inventory in the shape the editor's palette draws (kslars.hamnosys)."""
    vocabulary = handshape_vocabulary()
    entries = [
        {"id": e.id, "values": [asdict(v) for v in e.values], "attributes": e.attributes} for e in vocabulary.entries
    ]
    return {"id": 0, "name": vocabulary.id, "entries": entries}


@require_GET
def dictionary_page(request: HttpRequest) -> HttpResponse:
    """Search the dictionary; when there is none, say how an administrator makes one."""
    if not may_search(request):
        return redirect_to_login(request.get_full_path())
    limit = settings.KSLARS_MAX_PHOTO_BYTES
    context = {"palette": palette_vocabulary(), "max_photo_bytes": limit, "max_photo_mb": round(limit / 2**20)}
    try:
        context["sign_count"] = len(current_lexicon())
    except DictionaryMissing:
        context["missing"] = True
    except DictionaryUnavailable as error:
        context["problem"] = str(error)
    return render(request, "dictionary/search.html", context)
