"""Corpus tooling in SLAN: GET /api/corpus/stats over real DGS transcripts stored as projects gives what
``kslars corpus stats`` gives on the files; its plot is a real image; the export zip holds EAF files the formats
reader reads (anonymised: no original name left, the private mapping apart) and a training set that
``load_corpus("export", ...)`` reads, made from the landmarks stored with a project's video; who may ask."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from django.test import Client
from PIL import Image

from kslars import formats
from kslars.corpus.anonymise import people as names_in
from kslars.corpus.stats import corpus_stats
from kslars.document import Annotation, Document, Tier, TierType
from kslars.recognition.datasets import load_corpus
from kslars.vision.pose_file import read_pose_size
from kslars.web.annotation.store import add_to_project
from kslars.web.corpus.export import MAX_PROJECTS
from kslars.web.projects.models import Project, Role, Share
from tests.conftest import shared_file
from tests.corpus.helpers import DGS, RIGHT
from tests.web.site_helpers import client_for
from tests.web.test_landmarks_cache import store_landmarks

pytestmark = pytest.mark.django_db
FILES = ("1413451-11105600-11163240.eaf", "1418836-15524810-15550340.eaf")  # the two short DGS transcripts
GLOSSES = [RIGHT.format("A")]  # the right-hand glosses of signer A (these transcripts have only A)
FOOTBALL_POSE = "sign-language-processing__pose/poses/FOOTBALL.pose"


def dgs_projects(owner, viewer) -> list[Project]:
    """The two DGS transcripts as projects of ``owner``, both shared with ``viewer``."""
    projects = []
    for name in FILES:
        project = Project.objects.create(owner=owner, name=name.split("-")[0])
        add_to_project(project, formats.read(shared_file(f"{DGS}/{name}")))
        Share.objects.create(project=project, user=viewer, role=Role.VIEWER)
        projects.append(project)
    return projects


def get_stats(client: Client, projects: list[Project], **extra) -> object:
    return client.get("/api/corpus/stats", {"projects": [p.pk for p in projects], "gloss_tier": GLOSSES, **extra})


def unzip(data: bytes, folder: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(folder)
    return folder


def test_stats_are_the_command_s_over_the_same_files(people, tmp_path) -> None:
    projects = dgs_projects(people["owner"], people["viewer"])
    answer = get_stats(client_for(people["viewer"]), projects)
    assert answer.status_code == 200, answer.content
    data = answer.json()
    for name in FILES:
        shutil.copy(shared_file(f"{DGS}/{name}"), tmp_path / name)
    expected = corpus_stats(tmp_path, GLOSSES).to_dict()
    for key in ("files", "annotations", "tiers", "participants", "annotators", "annotated", "glosses", "media"):
        assert data[key] == expected[key], key
    assert data["files"] == 2 and data["glosses"]["tokens"] > 0 and data["glosses"]["types"] > 0
    assert data["projects"] == [{"id": p.pk, "name": p.name} for p in sorted(projects, key=lambda p: p.name)]
    store_landmarks(projects[0], shared_file(FOOTBALL_POSE))  # a video of 3880 ms
    hours = get_stats(client_for(people["owner"]), projects).json()["media"]
    assert hours == {"files_with_media": 1, "duration_ms": 3880, "hours": round(3880 / 3_600_000, 3)}
    everything = client_for(people["viewer"]).get("/api/corpus/stats").json()  # no choice: all the viewer can see
    assert everything["files"] == 2 and everything["glosses"] is None


def test_a_stranger_gets_nothing_and_bad_choices_are_refused(people, monkeypatch) -> None:
    projects = dgs_projects(people["owner"], people["viewer"])
    stranger = client_for(people["stranger"])
    for route in ("/api/corpus/stats", "/api/corpus/plot", "/api/corpus/export", "/api/corpus/mapping"):
        assert stranger.get(route, {"projects": [projects[0].pk]}).status_code == 404, route
        assert stranger.get(route, {"projects": f"{projects[0].pk},{projects[1].pk}"}).status_code == 404, route
        refused = stranger.get(route)  # the stranger has no project of their own
        assert refused.status_code == 400 and "no projects" in refused.json()["detail"], route
        bad = client_for(people["viewer"]).get(route, {"projects": ["1", "x"]})
        assert bad.status_code == 400 and "'x' is not a project id" in bad.json()["detail"], route
        assert Client().get(route, {"projects": [projects[0].pk]}).status_code in (401, 403, 404), route
    many = [Project.objects.create(owner=people["owner"], name=f"p{i}") for i in range(MAX_PROJECTS)]
    too_many = client_for(people["owner"]).get("/api/corpus/export", {"projects": [p.pk for p in many + projects]})
    assert too_many.status_code == 400 and f"at most {MAX_PROJECTS}" in too_many.json()["detail"]
    monkeypatch.setattr("kslars.web.corpus.export.MAX_ANNOTATIONS", 1000)  # the two hold 4551, the second 938
    too_large = client_for(people["viewer"]).get("/api/corpus/export")
    assert too_large.status_code == 400 and "more than 1,000 in one export" in too_large.json()["detail"]
    assert client_for(people["viewer"]).get("/api/corpus/export", {"projects": projects[1].pk}).status_code == 200
    no_unit = client_for(people["viewer"]).get("/api/corpus/export", {"training": "true", "gloss": ""})
    assert no_unit.status_code == 400 and "gloss tier" in no_unit.json()["detail"]


def test_the_plot_is_an_image_of_the_tiers(people) -> None:
    projects = dgs_projects(people["owner"], people["viewer"])
    viewer = client_for(people["viewer"])
    answer = viewer.get("/api/corpus/plot", {"projects": [p.pk for p in projects]})
    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
    image = np.asarray(Image.open(io.BytesIO(answer.content)).convert("L"), dtype=float)
    tiers = len(get_stats(viewer, projects).json()["tiers"])
    assert image.shape == (round(100 * (1.2 + 0.35 * min(tiers, 20))), 1100)  # stats_figure's size at 100 dpi
    assert image.std() > 10 and (image < 128).mean() > 0.01  # drawn: bars and text, not a blank page
    svg = viewer.get("/api/corpus/plot", {"projects": [projects[0].pk], "kind": "svg"})
    assert svg["Content-Type"] == "image/svg+xml" and b"Annotations per tier" in svg.content


def test_the_anonymised_export_keeps_no_name_and_the_mapping_comes_apart(people, tmp_path) -> None:
    projects = dgs_projects(people["owner"], people["viewer"])
    viewer = client_for(people["viewer"])
    answer = viewer.get("/api/corpus/export", {"projects": [p.pk for p in projects]})
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "application/zip" and "corpus-anonymised.zip" in answer["Content-Disposition"]
    folder = unzip(answer.content, tmp_path / "zip")
    summary = json.loads((folder / "corpus-export.json").read_text(encoding="utf-8"))
    assert summary["anonymised"] and sorted(e["file"] for e in summary["projects"]) == sorted(
        f"eaf/project-{p.pk}.eaf" for p in projects
    )
    real = set().union(*(names_in(formats.read(shared_file(f"{DGS}/{name}"))) for name in FILES))
    assert len(real) == 3  # two signers and the moderator
    mapping = viewer.get("/api/corpus/mapping", {"projects": [p.pk for p in projects]})
    assert mapping.status_code == 200 and "subjects.private.csv" in mapping["Content-Disposition"]
    rows = dict(line.split(",") for line in mapping.content.decode().splitlines()[1:])
    assert set(rows) == real and sorted(rows.values()) == sorted(f"Subject_{i}" for i in range(1, len(real) + 1))
    for project, name in zip(projects, FILES, strict=True):
        original = formats.read(shared_file(f"{DGS}/{name}"))
        text = (folder / f"eaf/project-{project.pk}.eaf").read_text(encoding="utf-8")
        assert not [n for n in real if n in text]
        doc = formats.read(folder / f"eaf/project-{project.pk}.eaf")
        assert [t.participant for t in doc.tiers] == [rows.get(t.participant, t.participant) for t in original.tiers]
        assert sum(len(t.annotations) for t in doc.tiers) == sum(len(t.annotations) for t in original.tiers)
    assert not (folder / "training").exists()
    plain = unzip(
        viewer.get("/api/corpus/export", {"projects": projects[0].pk, "anonymise": "false"}).content, tmp_path
    )
    assert formats.read(plain / f"eaf/{projects[0].pk}-{projects[0].name}.eaf").tier(GLOSSES[0]).participant in real


def football(owner) -> Project:
    """A project on FOOTBALL.mp4 with its stored landmarks: two glosses and a sentence by Anna Petrova."""
    project = Project.objects.create(owner=owner, name="Anna Petrova football")
    spans = {"Translation": [(0, 2000, "we play football")], "Gloss": [(200, 900, "FOOTBALL"), (900, 1800, "PLAY")]}
    doc = Document(
        tier_types=[TierType("default")],
        tiers=[
            Tier(name, "default", participant="Anna Petrova", annotations=[Annotation(f"{name}{s}", v, s, e)])
            for name, values in spans.items()
            for s, e, v in values[:1]
        ],
    )
    doc.tier("Gloss").annotations.append(Annotation("g2", "PLAY", 900, 1800))
    add_to_project(project, doc)
    video = store_landmarks(project, shared_file(FOOTBALL_POSE), name="football.pose")
    video.width, video.height = read_pose_size(shared_file(FOOTBALL_POSE))
    video.save(update_fields=["width", "height"])
    return project


def test_the_training_set_comes_from_stored_landmarks(people, media_root, tmp_path) -> None:
    project = football(people["owner"])
    bare = Project.objects.create(owner=people["owner"], name="no video")
    add_to_project(bare, Document(tier_types=[TierType("default")], tiers=[Tier("Gloss", "default")]))
    query = {"projects": [project.pk, bare.pk], "training": "true", "sentence": "Translation", "unit": "sentence"}
    answer = client_for(people["owner"]).get("/api/corpus/export", query)
    assert answer.status_code == 200, answer.content
    folder = unzip(answer.content, tmp_path)
    samples = load_corpus("export", folder / "training")
    assert [s.glosses for s in samples] == [["FOOTBALL", "PLAY"]]
    assert samples[0].metadata["sentence"] == "we play football"
    assert len(samples[0].skeleton) == 60  # 0-2000 ms of FOOTBALL's landmarks at 29.97 fps
    training = json.loads((folder / "corpus-export.json").read_text(encoding="utf-8"))["training"]
    assert training["segments"] == 1
    assert training["skipped"] == [{"project": bare.pk, "file": f"eaf/project-{bare.pk}.eaf", "reason": "no video"}]
    index = (folder / "training" / "segments.jsonl").read_text(encoding="utf-8")
    assert "Anna" not in index and '"signer": "Subject_1"' in index


def test_the_page_shows_the_statistics_in_the_user_s_language(people) -> None:
    projects = dgs_projects(people["owner"], people["viewer"])
    viewer = client_for(people["viewer"])
    expected = get_stats(viewer, projects).json()
    query = {"projects": [p.pk for p in projects], "gloss_tier": GLOSSES, "show": "1"}
    page = viewer.get("/corpus/", query, HTTP_ACCEPT_LANGUAGE="kk")
    text = page.content.decode()
    assert page.status_code == 200 and "Статистиканы көрсету" in text and "Ымдаушылар" in text
    assert f'<tr data-key="annotations"><th>Аннотациялар</th><td>{expected["annotations"]}</td>' in text
    assert f'<tr data-key="types"><th>Әртүрлі глоссалар (сөздік көлемі)</th><td>{expected["glosses"]["types"]}' in text
    assert "/api/corpus/plot?projects=" in text and 'href="/corpus/" aria-current="page"' in text
    assert client_for(people["stranger"]).get("/corpus/", {"projects": projects[0].pk, "show": "1"}).status_code == 404
    nothing = client_for(people["stranger"]).get("/corpus/", {"show": "1"})
    assert nothing.status_code == 200 and b"corpus-no-projects" in nothing.content
