"""Import and export over the API: previews of real ELAN files, importing tiers into a project (name clashes,
annotation ids), a new project from an .eaf and its video, exports in every format, and bad input that must be
refused with a message and leave the project exactly as it was."""

from __future__ import annotations

import copy
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kslars import formats
from kslars.document import Document
from kslars.krsl import default_document
from kslars.web.annotation import interchange
from kslars.web.annotation import models as am
from kslars.web.annotation.services import COUNTER_KEY
from kslars.web.annotation.store import add_to_project, load_document
from kslars.web.projects.models import Project, ShareLink, Video
from tests.conftest import shared_file

pytestmark = pytest.mark.django_db

SAMPLE = "dopefishh__pympi/test/sample_3.0.eaf"
DGS = "Shogun6855__signlanguage-german-text2sign/dataset/1418836-15524810-15550340.eaf"
DGS_LONG = "Shogun6855__signlanguage-german-text2sign/dataset/1413451-11105600-11163240.eaf"
SOUP = "sign-language-processing__pose/videos/SOUP.mp4"


@pytest.fixture
def owner():
    return get_user_model().objects.create_user("aigerim", password="a-long-test-pass-3")


@pytest.fixture
def client(owner) -> Client:
    c = Client()
    c.force_login(owner)
    return c


@pytest.fixture
def project_with_a_gloss(owner) -> Project:
    """A project with the KRSL default tiers and one gloss."""
    project = Project.objects.create(owner=owner, name="Lesson 4")
    add_to_project(project, default_document())
    gloss = project.tiers.get(name="Gloss")
    am.Annotation.objects.create(project=project, tier=gloss, key="a1", value="HOUSE", start_ms=100, end_ms=600)
    project.document_meta = {COUNTER_KEY: 1}
    project.save()
    return project


def post_file(client: Client, url: str, name: str, data: bytes, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url, {"file": SimpleUploadedFile(name, data), **fields})


def import_file(client, project, path_or_name, data=None, **fields):
    if data is None:
        path = shared_file(path_or_name)
        name, data = path.name, path.read_bytes()
    else:
        name = path_or_name
    return post_file(client, f"/api/projects/{project.pk}/import", name, data, **fields)


def state(project: Project) -> tuple:
    """Everything an import could change."""
    p = Project.objects.get(pk=project.pk)
    return (
        p.revision,
        p.updated_at,
        p.document_meta,
        load_document(p).to_dict(),
        list(am.Tier.objects.filter(project=p).values_list("id", "name", "position", "parent_id", "tier_type_id")),
        list(am.TierType.objects.filter(project=p).values_list("id", "name", "vocabulary_id")),
        list(am.Vocabulary.objects.filter(project=p).values_list("id", "name")),
    )


# ---- preview --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("relative", [SAMPLE, DGS, DGS_LONG])
def test_preview_of_real_files_lists_tiers_types_and_counts(client, project_with_a_gloss, relative):
    path = shared_file(relative)
    doc = formats.read(path)
    r = post_file(client, f"/api/projects/{project_with_a_gloss.pk}/import/preview", path.name, path.read_bytes())
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["format"] == "eaf" and body["clashes"] == []
    assert [(t["name"], t["type"], t["parent"], t["annotations"]) for t in body["tiers"]] == [
        (t.id, t.type, t.parent, len(t.annotations)) for t in doc.tiers
    ]
    assert [tt["name"] for tt in body["tier_types"]] == [tt.id for tt in doc.tier_types]
    assert [v["name"] for v in body["vocabularies"]] == [v.id for v in doc.vocabularies]
    assert not am.Tier.objects.filter(project=project_with_a_gloss, name__in=[t.id for t in doc.tiers]).exists()


def test_preview_counts_of_the_pympi_sample(client, project_with_a_gloss):
    path = shared_file(SAMPLE)
    body = post_file(
        client, f"/api/projects/{project_with_a_gloss.pk}/import/preview", path.name, path.read_bytes()
    ).json()
    tiers = {t["name"]: t for t in body["tiers"]}
    assert tiers["text"]["annotations"] == 399 and tiers["words-timesub"]["constraint"] == "Time_Subdivision"
    assert tiers["words-pos"] == {
        "name": "words-pos",
        "type": "pos",
        "constraint": "Symbolic_Association",
        "parent": "words-symsub",
        "annotations": 1995,
    }
    assert {"name": "POS", "entries": len(formats.read(path).vocabulary("POS").entries)} in body["vocabularies"]


# ---- import into an existing project -----------------------------------------------------------------------
def test_import_chosen_tiers_brings_their_parents(client, project_with_a_gloss):
    before = Project.objects.get(pk=project_with_a_gloss.pk).revision
    r = import_file(client, project_with_a_gloss, DGS, tiers=["Sign_r_A", "Mundbild_Mundgestik_A"])
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["imported"] == ["Lexem_Gebärde_r_A", "Sign_r_A", "Mundbild_Mundgestik_A"]
    assert body["revision"] == before + 1
    doc = load_document(project_with_a_gloss)
    source = formats.read(shared_file(DGS))
    for name in body["imported"]:
        assert [(a.value, a.start_ms, a.end_ms) for a in doc.tier(name).annotations] == [
            (a.value, a.start_ms, a.end_ms) for a in source.tier(name).annotations
        ]
    assert doc.tier("Sign_r_A").parent == "Lexem_Gebärde_r_A"
    assert [t.id for t in doc.tiers][:4] == ["Translation", "Gloss", "Right handshape", "Left handshape"]
    assert doc.find_annotation("a1")[1].value == "HOUSE"
    doc.validate()


def test_tiers_may_be_sent_as_one_json_list(client, project_with_a_gloss):
    r = import_file(client, project_with_a_gloss, DGS, tiers=json.dumps(["Deutsche_Übersetzung_A"]))
    assert r.status_code == 200, r.content
    assert r.json()["imported"] == ["Deutsche_Übersetzung_A"]


def test_rename_clashes_rekeys_annotations_and_keeps_parents(client, project_with_a_gloss):
    assert import_file(client, project_with_a_gloss, DGS, tiers=["Sign_r_A"]).status_code == 200
    r = import_file(client, project_with_a_gloss, DGS, tiers=["Sign_r_A"], on_clash="rename")
    assert r.status_code == 200, r.content
    assert r.json()["imported"] == ["Lexem_Gebärde_r_A (2)", "Sign_r_A (2)"]
    doc = load_document(project_with_a_gloss)
    doc.validate()
    keys = [a.id for _, a in doc.annotations()]
    assert len(keys) == len(set(keys)) == 1 + 4 * 171
    first, second = doc.tier("Sign_r_A"), doc.tier("Sign_r_A (2)")
    assert second.parent == "Lexem_Gebärde_r_A (2)"
    parents = {a.id for a in doc.tier("Lexem_Gebärde_r_A (2)").annotations}
    assert all(a.parent in parents for a in second.annotations)
    assert [a.value for a in second.annotations] == [a.value for a in first.annotations]
    assert not {a.id for a in second.annotations} & {a.id for a in first.annotations}
    counter = Project.objects.get(pk=project_with_a_gloss.pk).document_meta[COUNTER_KEY]
    numbers = [int(k[1:]) for k in keys if re.fullmatch(r"a\d+", k)]
    assert counter >= max(numbers)
    # the server's next id comes after every imported one
    created = client.post(
        f"/api/projects/{project_with_a_gloss.pk}/annotations",
        {
            "tier_id": project_with_a_gloss.tiers.get(name="Translation").pk,
            "value": "new",
            "start_ms": 5000,
            "end_ms": 5600,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["id"] not in keys and int(created.json()["id"][1:]) > max(numbers)


def test_replace_deletes_the_old_tier_and_its_children_and_never_reuses_ids(client, project_with_a_gloss):
    assert import_file(client, project_with_a_gloss, DGS, tiers=["Gebärde_r_A", "Sign_r_A"]).status_code == 200
    old_keys = set(
        am.Annotation.objects.filter(project=project_with_a_gloss, tier__name__in=["Lexem_Gebärde_r_A"]).values_list(
            "key", flat=True
        )
    )
    r = import_file(client, project_with_a_gloss, DGS, tiers=["Sign_r_A"], on_clash="replace")
    assert r.status_code == 200, r.content
    assert r.json()["replaced"] == ["Lexem_Gebärde_r_A", "Sign_r_A"]
    names = list(project_with_a_gloss.tiers.values_list("name", flat=True))
    assert "Gebärde_r_A" not in names  # a child of the replaced tier went with it
    assert names.count("Lexem_Gebärde_r_A") == 1 and names.count("Sign_r_A") == 1
    doc = load_document(project_with_a_gloss)
    doc.validate()
    assert len(doc.tier("Sign_r_A").annotations) == 171
    assert not {a.id for a in doc.tier("Lexem_Gebärde_r_A").annotations} & old_keys


def test_skip_leaves_clashing_tiers_alone(client, project_with_a_gloss):
    r = import_file(client, project_with_a_gloss, DGS, tiers=["Sign_r_A"])
    before = list(am.Annotation.objects.filter(project=project_with_a_gloss).values_list("key", "value"))
    r = import_file(client, project_with_a_gloss, DGS, tiers=["Sign_r_A", "Mundbild_Mundgestik_A"], on_clash="skip")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["imported"] == ["Mundbild_Mundgestik_A"] and body["skipped"] == ["Lexem_Gebärde_r_A", "Sign_r_A"]
    after = am.Annotation.objects.filter(project=project_with_a_gloss).exclude(tier__name="Mundbild_Mundgestik_A")
    assert list(after.values_list("key", "value")) == before
    assert project_with_a_gloss.tiers.filter(name__startswith="Sign_r_A").count() == 1


def test_identical_types_are_reused_and_different_ones_renamed(client, project_with_a_gloss, owner):
    assert import_file(client, project_with_a_gloss, DGS, tiers=["Deutsche_Übersetzung_A"]).status_code == 200
    r = import_file(client, project_with_a_gloss, DGS_LONG, tiers=["Moderator"])
    assert r.status_code == 200, r.content
    types = list(project_with_a_gloss.tier_types.values_list("name", flat=True))
    assert len(types) == len(set(types))
    # both files define L_text__finer_granularity identically: one type serves both
    assert project_with_a_gloss.tiers.get(name="Moderator").tier_type.name == "L_text__finer_granularity"
    # a vocabulary with a name the project has but other entries arrives renamed
    doc = Document.from_dict(default_document().to_dict())
    doc.vocabularies[0].entries = doc.vocabularies[0].entries[:3]
    data = formats.write_bytes(doc, "json", tiers=["Right handshape"])
    r = import_file(client, project_with_a_gloss, "handshapes.json", data, tiers=["Right handshape"])
    assert r.status_code == 200, r.content
    assert r.json()["imported"] == ["Right handshape (2)"]
    row = project_with_a_gloss.tiers.get(name="Right handshape (2)")
    assert row.tier_type.name == "handshape (2)" and row.tier_type.vocabulary.name == "HamNoSys handshapes (2)"
    assert len(row.tier_type.vocabulary.entries) == 3


def test_failure_mid_way_rolls_everything_back(project_with_a_gloss, monkeypatch):
    before = state(project_with_a_gloss)
    doc = formats.read(shared_file(DGS))

    def broken(*args, **kwargs):
        assert am.Tier.objects.filter(
            project=project_with_a_gloss, name="Sign_r_A"
        ).exists()  # rows were written already
        raise RuntimeError("disk full")

    monkeypatch.setattr(Project, "count_change", broken)
    with pytest.raises(RuntimeError):
        interchange.import_tiers(project_with_a_gloss, doc, ["Sign_r_A"], "rename")
    assert state(project_with_a_gloss) == before


# ---- a new project from a file -------------------------------------------------------------------------------
def test_new_project_from_eaf_and_video_exports_the_same_document(client, media_root):
    eaf, video = shared_file(DGS), shared_file(SOUP)
    with eaf.open("rb") as f, video.open("rb") as v:
        r = client.post("/api/projects/import", {"file": f, "video": v, "name": "DGS 1418836"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["name"] == "DGS 1418836" and body["role"] == "owner"
    assert body["video"]["status"] == "ready" and body["video"]["width"] == 320
    project = Project.objects.get(pk=body["id"])
    exported = client.get(f"/api/projects/{project.pk}/export?format=eaf")
    assert exported.status_code == 200
    again = formats.read_bytes(exported.content, "eaf", name="export.eaf")
    assert again.to_dict() == formats.read(eaf).to_dict()


def test_new_project_without_video_takes_the_file_name(client):
    path = shared_file(SAMPLE)
    r = post_file(client, "/api/projects/import", path.name, path.read_bytes())
    assert r.status_code == 201, r.content
    project = Project.objects.get(pk=r.json()["id"])
    assert project.name == "sample_3.0" and not Video.objects.filter(project=project).exists()
    assert [t.id for t in load_document(project).tiers] == [t.id for t in formats.read(path).tiers]


def test_refused_video_leaves_no_project(client, owner, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    eaf = shared_file(DGS)
    r = client.post(
        "/api/projects/import",
        {
            "file": SimpleUploadedFile(eaf.name, eaf.read_bytes()),
            "video": SimpleUploadedFile("clip.mp4", b"\x00" * 5000),
        },
    )
    assert r.status_code == 400 and "cannot be used as the project's video" in r.json()["detail"]
    assert not Project.objects.filter(owner=owner).exists() and not am.Tier.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else True


def test_anonymous_callers_cannot_create_projects_from_files():
    path = shared_file(DGS)
    r = post_file(Client(), "/api/projects/import", path.name, path.read_bytes())
    assert r.status_code == 401 and not Project.objects.exists()


# ---- bad input -----------------------------------------------------------------------------------------------
def eaf(
    version="3.0", refs=("ts1", "ts2"), ref="a1", parent_tier="Gloss", cve="", cv="Hands", doctype="", value="HOUSE"
) -> bytes:
    """A small EAF file; each argument spoils one thing."""
    cve_attr = f' CVE_REF="{cve}"' if cve else ""
    return f'''<?xml version="1.0" encoding="UTF-8"?>{doctype}
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2024-01-01T00:00:00+00:00" FORMAT="{version}" VERSION="{version}">
<HEADER MEDIA_FILE="" TIME_UNITS="milliseconds"/>
<TIME_ORDER><TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="100"/><TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="900"/></TIME_ORDER>
<TIER LINGUISTIC_TYPE_REF="gloss" TIER_ID="Gloss">
<ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="{refs[0]}" TIME_SLOT_REF2="{refs[1]}"{cve_attr}><ANNOTATION_VALUE>{value}</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
</TIER>
<TIER LINGUISTIC_TYPE_REF="translation" PARENT_REF="{parent_tier}" TIER_ID="English">
<ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a2" ANNOTATION_REF="{ref}"><ANNOTATION_VALUE>a house</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
</TIER>
<LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="gloss" TIME_ALIGNABLE="true" CONTROLLED_VOCABULARY_REF="{cv}"/>
<LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Association" GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="translation" TIME_ALIGNABLE="false"/>
<CONSTRAINT DESCRIPTION="1-1" STEREOTYPE="Symbolic_Association"/>
<LANGUAGE LANG_ID="eng"/>
<CONTROLLED_VOCABULARY CV_ID="Hands"><CV_ENTRY_ML CVE_ID="cve1"><CVE_VALUE LANG_REF="eng">HOUSE</CVE_VALUE></CV_ENTRY_ML></CONTROLLED_VOCABULARY>
</ANNOTATION_DOCUMENT>
'''.encode()


LAUGHS = (
    '<!DOCTYPE ANNOTATION_DOCUMENT [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + "]>"
)
BAD_FILES = {
    "malformed XML": (eaf()[:400], "not well-formed XML"),
    "wrong root element": (b'<?xml version="1.0"?>\n<html><body/></html>', "root element is <html>"),
    "dangling time slot": (eaf(refs=("ts1", "ts9")), "time slot ts9, which does not exist"),
    "dangling parent annotation": (eaf(ref="a99"), "parent annotation a99, which does not exist"),
    "dangling parent tier": (eaf(parent_tier="Nope"), "parent tier 'Nope', which does not exist"),
    "dangling vocabulary entry": (eaf(cve="cve7"), "entry 'cve7'"),
    "dangling vocabulary": (eaf(cv="Feet"), "controlled vocabulary 'Feet', which does not exist"),
    "end before start": (eaf(refs=("ts2", "ts1")), "ends (100 ms, ts1) before it starts (900 ms, ts2)"),
    "unknown EAF version": (eaf(version="4.0"), "EAF version '4.0' is not supported"),
    "XXE reading a local file": (
        eaf(doctype='<!DOCTYPE ANNOTATION_DOCUMENT [<!ENTITY x SYSTEM "file:///etc/passwd">]>', value="&x;"),
        "DOCTYPE",
    ),
    "billion laughs": (eaf(doctype=LAUGHS, value="&i;"), "not well-formed XML"),
    "XInclude in a value": (
        eaf(value='<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd" parse="text"/>'),
        "line 6: <ANNOTATION_VALUE> holds an element <xi:include>",
    ),
}


def test_the_small_file_itself_is_fine(client, project_with_a_gloss):
    r = import_file(client, project_with_a_gloss, "small.eaf", eaf())
    assert r.status_code == 200, r.content
    assert r.json()["imported"] == ["Gloss (2)", "English"]


@pytest.mark.parametrize("case", list(BAD_FILES))
@pytest.mark.parametrize("route", ["/import", "/import/preview"])
def test_bad_files_are_refused_with_a_message_and_change_nothing(client, project_with_a_gloss, case, route):
    data, message = BAD_FILES[case]
    before = state(project_with_a_gloss)
    r = post_file(client, f"/api/projects/{project_with_a_gloss.pk}{route}", "bad.eaf", data)
    assert r.status_code == 400, r.content
    detail = r.json()["detail"]
    assert message in detail and "bad.eaf" in detail
    assert "root:" not in detail  # nothing of /etc/passwd
    assert state(project_with_a_gloss) == before


@pytest.mark.parametrize("case", ["dangling time slot", "XXE reading a local file"])
def test_bad_files_create_no_project(client, owner, case):
    r = post_file(client, "/api/projects/import", "bad.eaf", BAD_FILES[case][0])
    assert r.status_code == 400 and BAD_FILES[case][1] in r.json()["detail"]
    assert not Project.objects.filter(owner=owner).exists()


def test_json_with_a_number_too_long_for_python_is_refused_with_its_place(client, project_with_a_gloss):
    data = b'{"format": "kslars-document", "version": 1,\n "document": {"tiers": [' + b"1" * 5000 + b"]}}"
    before = state(project_with_a_gloss)
    for route in ("/import/preview", "/import"):
        r = post_file(client, f"/api/projects/{project_with_a_gloss.pk}{route}", "big.json", data)
        assert r.status_code == 400, r.content
        assert r.json()["detail"].startswith("big.json line 2, column 25: a number with 5000 digits is too long")
    assert state(project_with_a_gloss) == before


def test_unknown_file_type_and_unknown_tier_are_named(client, project_with_a_gloss):
    before = state(project_with_a_gloss)
    r = post_file(client, f"/api/projects/{project_with_a_gloss.pk}/import", "notes.docx", b"PK\x03\x04")
    assert r.status_code == 400 and "unknown file type '.docx'" in r.json()["detail"]
    r = import_file(client, project_with_a_gloss, "small.eaf", eaf(), tiers=["Glosses"])
    assert r.status_code == 400 and "no tier named 'Glosses'" in r.json()["detail"]
    r = import_file(client, project_with_a_gloss, "small.eaf", eaf(), on_clash="merge")
    assert r.status_code == 400 and "on_clash" in r.json()["detail"]
    assert state(project_with_a_gloss) == before


def test_enormous_files_get_413_and_change_nothing(client, project_with_a_gloss, settings):
    before = state(project_with_a_gloss)
    data = eaf()
    settings.KSLARS_MAX_ANNOTATION_FILE_BYTES = len(data) - 10  # the declared length passes, the bytes do not
    r = post_file(client, f"/api/projects/{project_with_a_gloss.pk}/import", "big.eaf", data)
    assert r.status_code == 413 and "KSLARS_MAX_ANNOTATION_FILE_MB" in r.json()["detail"]
    settings.KSLARS_MAX_ANNOTATION_FILE_BYTES = 100  # refused from the declared length alone
    big = eaf().replace(b"HOUSE</ANNOTATION", b"HOUSE" * 100_000 + b"</ANNOTATION")
    r = post_file(client, f"/api/projects/{project_with_a_gloss.pk}/import/preview", "big.eaf", big)
    assert r.status_code == 413
    assert state(project_with_a_gloss) == before


def test_a_file_that_breaks_a_rule_is_refused_before_writing(client, project_with_a_gloss):
    """Overlapping annotations on a JSON tier: the document rules refuse the file, the message names them and
    nothing is imported."""
    doc = Document.from_dict(default_document().to_dict())
    tier = doc.tier("Gloss")
    from kslars.document import Annotation

    tier.annotations = [
        Annotation(id="x1", value="A", start_ms=0, end_ms=500),
        Annotation(id="x2", value="B", start_ms=400, end_ms=900),
    ]  # overlap
    data = json.dumps({"format": "kslars-document", "version": 1, "document": doc.to_dict()}).encode()
    before = state(project_with_a_gloss)
    r = import_file(client, project_with_a_gloss, "overlap.json", data, tiers=["Gloss"])
    assert r.status_code == 400, r.content
    assert "overlap.json: annotation 'x1' on tier 'Gloss'" in r.json()["detail"]
    assert "overlaps annotation 'x2'" in r.json()["detail"]
    assert state(project_with_a_gloss) == before


# ---- export --------------------------------------------------------------------------------------------------
@pytest.fixture
def imported(client, project_with_a_gloss):
    assert (
        import_file(client, project_with_a_gloss, DGS, tiers=["Sign_r_A", "Deutsche_Übersetzung_A"]).status_code == 200
    )
    return project_with_a_gloss


# what a downloaded file is called and what type it is sent as, by format
DOWNLOADS = {
    "eaf": (".eaf", "application/xml"),
    "json": (".json", "application/json"),
    "csv": (".csv", "text/csv; charset=utf-8"),
    "textgrid": (".TextGrid", "text/plain; charset=utf-8"),
    "srt": (".srt", "application/x-subrip; charset=utf-8"),
    "vtt": (".vtt", "text/vtt; charset=utf-8"),
}


@pytest.mark.parametrize(
    "fmt, options",
    [
        ("eaf", ""),
        ("json", ""),
        ("csv", ""),
        ("csv", "&frame_based=true&fps=50"),
        ("textgrid", ""),
        ("srt", "&tiers=Deutsche_Übersetzung_A"),
        ("vtt", "&tiers=Deutsche_Übersetzung_A"),
    ],
)
def test_exports_in_every_format_read_back(client, imported, fmt, options):
    r = client.get(f"/api/projects/{imported.pk}/export?format={fmt}{options}")
    assert r.status_code == 200, r.content
    extension, content_type = DOWNLOADS[fmt]
    assert r["Content-Disposition"].startswith("attachment; filename=")
    assert "Lesson" in r["Content-Disposition"] and r["Content-Disposition"].endswith(f'{extension}"')
    assert r["Content-Type"] == content_type
    read_options = {"fps": 50.0} if "frame_based" in options else {}
    doc = formats.read_bytes(r.content, fmt, name=f"export.{fmt}", **read_options)
    source = load_document(imported)
    if fmt in ("srt", "vtt"):
        assert [a.value for a in doc.tiers[0].annotations] == [
            a.value for a in source.tier("Deutsche_Übersetzung_A").annotations if a.value
        ]
        return
    gloss = [(a.value, a.start_ms, a.end_ms) for a in source.tier("Lexem_Gebärde_r_A").annotations]
    back = [(a.value, a.start_ms, a.end_ms) for a in doc.tier("Lexem_Gebärde_r_A").annotations]
    if "frame_based" in options:
        gloss = [
            (v, round(round(s * 50 / 1000) * 1000 / 50), round(round(e * 50 / 1000) * 1000 / 50)) for v, s, e in gloss
        ]
    assert back == gloss


def test_export_of_chosen_tiers_and_by_share_link(client, imported):
    link = ShareLink.objects.create(project=imported)
    r = Client().get(f"/api/projects/{imported.pk}/export?format=csv&tiers=Gloss&share={link.token}")
    assert r.status_code == 200
    rows = r.content.decode().splitlines()
    assert rows[0].startswith("tier,start_ms,end_ms") and rows[1:] == ["Gloss,100,600,500,HOUSE,a1,,"]
    assert Client().get(f"/api/projects/{imported.pk}/export?format=csv").status_code in (401, 404)


def test_export_errors_are_clear(client, imported):
    r = client.get(f"/api/projects/{imported.pk}/export?format=docx")
    assert r.status_code == 400
    assert "unknown export format 'docx'; choose one of eaf, json, csv, srt, vtt, textgrid" in r.json()["detail"]
    r = client.get(f"/api/projects/{imported.pk}/export?format=csv&frame_based=true")
    assert r.status_code == 400 and "frame rate" in r.json()["detail"]
    r = client.get(f"/api/projects/{imported.pk}/export?format=json&frame_based=true&fps=25")
    assert r.status_code == 400 and "CSV only" in r.json()["detail"]
    r = client.get(f"/api/projects/{imported.pk}/export?format=csv&tiers=Nope")
    assert r.status_code == 400 and "no tier named 'Nope'" in r.json()["detail"]


def test_import_keeps_the_file_untouched_by_later_edits(project_with_a_gloss):
    """The service takes a copy: the caller's document is not renamed or re-keyed."""
    doc = formats.read(shared_file(DGS))
    snapshot = copy.deepcopy(doc).to_dict()
    interchange.import_tiers(project_with_a_gloss, doc, ["Sign_r_A"], "rename")
    interchange.import_tiers(project_with_a_gloss, doc, ["Sign_r_A"], "rename")
    assert doc.to_dict() == snapshot


@pytest.mark.parametrize("relative", [SAMPLE, "dopefishh__pympi/test/sample_2.7.eaf"])
def test_new_project_round_trip_keeps_every_part_of_pympis_samples(client, relative):
    """All five constraints, unaligned Time_Subdivision slots, vocabularies in two languages, EAF 2.7."""
    path = shared_file(relative)
    r = post_file(client, "/api/projects/import", path.name, path.read_bytes())
    assert r.status_code == 201, r.content
    exported = client.get(f"/api/projects/{r.json()['id']}/export?format=eaf")
    assert exported.status_code == 200, exported.content
    again = formats.read_bytes(exported.content, "eaf", name="export.eaf")
    assert again.to_dict() == formats.read(path).to_dict()


def test_a_new_type_reuses_an_identical_vocabulary(client, project_with_a_gloss):
    """The file's handshape type differs (graphic references on), its vocabulary is the project's own."""
    doc = default_document()
    doc.tier_type("handshape").graphic_references = True
    data = formats.write_bytes(doc, "json", tiers=["Left handshape"])
    r = import_file(client, project_with_a_gloss, "krsl.json", data, on_clash="rename")
    assert r.status_code == 200, r.content
    row = project_with_a_gloss.tiers.get(name="Left handshape (2)")
    assert row.tier_type.name == "handshape (2)" and row.tier_type.extra["graphic_references"] is True
    assert row.tier_type.vocabulary == project_with_a_gloss.vocabularies.get(name="HamNoSys handshapes")
    assert project_with_a_gloss.vocabularies.count() == 1
