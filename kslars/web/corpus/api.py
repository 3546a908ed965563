"""GET /api/corpus/stats (statistics of chosen projects), /api/corpus/plot (their plot, PNG or SVG), /api/corpus/export
(a zip of EAF files and a training set) and /api/corpus/mapping (the private Subject_N mapping of an anonymised
export). Projects are chosen with ``projects`` (repeated, or comma-separated ids; none: every project the caller can
see); one the caller cannot see answers 404, a choice that is not a list of ids 400."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from kslars.corpus.export import ExportTiers
from kslars.web.api_errors import ERRORS, Message
from kslars.web.corpus.export import MAX_PROJECTS, ExportChoice, LeftoverNames, export_zip, mapping_csv
from kslars.web.corpus.services import PLOT_TYPES, SelectionError, chosen_projects, projects_stats, stats_plot

router = Router(tags=["corpus"])


class StatsQuery(Schema):
    """The projects (ids; none: all the caller can see) and the tiers whose values count as glosses."""

    projects: list[str] = []
    gloss_tier: list[str] = []


class ExportQuery(Schema):
    """The projects, whether names become Subject_N, and whether a training set is added: the tiers of its gloss,
    handshape and sentence labels (empty: not exported) and what one segment is."""

    projects: list[str] = []
    anonymise: bool = True
    training: bool = False
    gloss: str = "Gloss"
    handshape: str = ""
    sentence: str = ""
    unit: Literal["gloss", "sentence"] = "gloss"


def _chosen(request: HttpRequest, ids: list[str], limit: int | None = None) -> list:
    try:
        return chosen_projects(request, ids, limit)
    except SelectionError as error:
        raise HttpError(400, str(error)) from None


@router.get("/corpus/stats", response={200: dict[str, Any], **ERRORS})
def stats(request: HttpRequest, query: Query[StatsQuery]):
    """``kslars corpus stats --json`` over the chosen projects (each one session; media: the project's video), with
    ``projects`` [{id, name}] in place of ``folder`` (docs/corpus.md)."""
    return projects_stats(_chosen(request, query.projects), query.gloss_tier)


@router.get("/corpus/plot", response={200: None, **ERRORS}, url_name="corpus-plot")
def plot(request: HttpRequest, query: Query[StatsQuery], kind: Literal["png", "svg"] = "png"):
    """The statistics as ``kslars corpus stats --plot`` draws them, as a PNG or SVG image (``kind``): annotations
    and annotated minutes of the tiers with most annotations."""
    data = stats_plot(projects_stats(_chosen(request, query.projects), query.gloss_tier), kind)
    return HttpResponse(data, content_type=PLOT_TYPES[kind])


@router.get("/corpus/export", response={200: None, 409: Message, **ERRORS}, url_name="corpus-export")
def export(request: HttpRequest, query: Query[ExportQuery]):
    """A zip of the chosen projects (at most 25, with at most 200,000 annotations in all; 400 beyond): ``eaf/`` their EAF files, participants and annotators as
    Subject_N when ``anonymise``; with ``training``, ``training/`` in the layout of ``kslars corpus
    export-training`` from each project's stored landmarks (projects without are listed as skipped in
    corpus-export.json). 409 when the check after anonymising still finds an original name."""
    projects = _chosen(request, query.projects, MAX_PROJECTS)
    training = None
    if query.training:
        try:
            training = ExportTiers(
                gloss=query.gloss or None,
                handshape=query.handshape or None,
                sentence=query.sentence or None,
                unit=query.unit,
            )
        except ValueError as error:
            raise HttpError(400, str(error)) from None
    try:
        data = export_zip(projects, ExportChoice(anonymise=query.anonymise, training=training))
    except SelectionError as error:
        raise HttpError(400, str(error)) from None
    except LeftoverNames as error:
        raise HttpError(409, str(error)) from None
    return _download(data, "application/zip", "corpus-anonymised.zip" if query.anonymise else "corpus.zip")


@router.get("/corpus/mapping", response={200: None, **ERRORS}, url_name="corpus-mapping")
def mapping(request: HttpRequest, projects: Query[list[str]] = None):  # type: ignore[assignment]  # ninja: optional
    """The private mapping (CSV: signer, subject) of the anonymised export of the same projects: keep it apart."""
    return _download(mapping_csv(_chosen(request, projects or [], MAX_PROJECTS)), "text/csv", "subjects.private.csv")


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
