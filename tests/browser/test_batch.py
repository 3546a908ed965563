"""Batch processing in the browser: choose two projects on the project list, start Process video for both with one
set of options, and follow the batch's page while the jobs are queued and then run one by one; the engine is faked
(pipeline.annotate_video) as in test_process.py, the jobs' own work (the "annotate" kind) is the real one."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kslars.engine import pipeline
from kslars.engine.annotation_tiers import SEGMENT_TYPE, SIGNS_TIER, add_annotation, add_tier, new_document
from kslars.proposals import ENGINE_SOURCE
from kslars.web.annotation.models import Annotation
from kslars.web.jobs import services, tasks
from kslars.web.jobs.models import Job
from kslars.web.projects.models import Project, Role, Share
from tests.browser.helpers import log_in, make_project, make_user, signing_video
from tests.browser.test_content_security_policy import policy_violations
from tests.browser.test_editor import eventually

pytestmark = pytest.mark.slow


def fake_engine(video_path, options, landmarks_path=None, progress=None, should_cancel=None):
    """One predicted sign, after reporting half-way."""
    if progress:
        progress(0.5, "half-way")
    doc = new_document(video_path)
    tier = add_tier(doc, SIGNS_TIER, SEGMENT_TYPE)
    add_annotation(doc, tier, 100, 600, "", {"source": ENGINE_SOURCE, "confidence": 0.9})
    return doc


def test_two_projects_processed_as_one_batch(person, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "annotate_video", fake_engine)
    sent: list[int] = []
    monkeypatch.setattr(services, "_send", sent.append)  # queued, run below by the test as a worker would
    dana = make_user("dana")
    first = make_project(dana, "Lesson one", video=signing_video())
    second = make_project(dana, "Lesson two", video=signing_video())
    make_project(dana, "No video")
    shared = make_project(make_user("aigerim"), "Only viewed", video=signing_video())
    Share.objects.create(project_id=shared, user=dana, role=Role.VIEWER)
    browsing = person()
    page = browsing.page
    refused = policy_violations(page)
    log_in(page, "dana")

    boxes = page.locator("[data-testid=batch-choose]")
    expect(boxes).to_have_count(2)  # neither the project without a video nor the one she may only view
    expect(page.locator("[data-testid=batch-open]")).to_be_disabled()
    page.locator(f"#project-{first} [data-testid=batch-choose]").check()
    page.locator(f"#project-{second} [data-testid=batch-choose]").check()
    expect(page.locator("[data-testid=batch-count]")).to_have_text("2 chosen")
    page.locator("[data-testid=batch-open]").click()
    dialog = page.locator("[data-testid=batch-dialog]")
    expect(dialog).to_be_visible()
    dialog.locator("input[name=orientation]").uncheck()
    dialog.locator("[data-testid=batch-submit]").click()

    page.wait_for_url("**/batches/*/")
    items = page.locator("[data-testid=batch-item]")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_have_attribute("data-status", "queued")
    expect(page.locator("[data-testid=batch-summary]")).to_contain_text("0 of 2 videos processed")
    expect(page.locator("[data-testid=batch-cancel]")).to_be_visible()
    jobs = list(Job.objects.filter(batch__isnull=False).order_by("project__name"))
    assert sorted(sent) == sorted(j.pk for j in jobs) and [j.project_id for j in jobs] == [first, second]
    assert all(j.options["orientation"] is False and j.options["signs"] is True for j in jobs)

    tasks.run_job(jobs[0].pk)
    expect(items.nth(0)).to_have_attribute("data-status", "succeeded")
    expect(items.nth(0)).to_contain_text("Done")
    expect(items.nth(1)).to_have_attribute("data-status", "queued")
    expect(page.locator("[data-testid=batch-summary]")).to_contain_text("1 of 2 videos processed")
    tasks.run_job(jobs[1].pk)
    expect(items.nth(1)).to_have_attribute("data-status", "succeeded")
    expect(page.locator("[data-testid=batch-summary]")).to_contain_text("2 of 2 videos processed, 0 failed")
    expect(page.locator("[data-testid=batch-cancel]")).to_be_hidden()
    expect(page.locator("[data-testid=batch-resume]")).to_be_hidden()
    for project_id in (first, second):
        assert Annotation.objects.filter(tier__project_id=project_id, tier__name=SIGNS_TIER).count() == 1
    assert Project.objects.get(pk=shared).tiers.filter(name=SIGNS_TIER).count() == 0

    page.set_viewport_size({"width": 390, "height": 800})  # a phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("a", has_text="Back to the projects").click()
    recent = page.locator("[data-testid=batch-recent]")
    expect(recent).to_contain_text("2 of 2 videos processed")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert refused == []  # both pages run under the Content-Security-Policy
    browsing.assert_no_script_errors()


def test_a_failed_video_is_shown_with_its_error_and_resumed(person, monkeypatch) -> None:
    calls: list[str] = []

    def fails_once(video_path, *args, **kwargs):
        calls.append(str(video_path))
        if len(calls) == 1:
            raise ValueError("the video could not be read")
        return fake_engine(video_path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "annotate_video", fails_once)
    dana = make_user("dana")
    project_id = make_project(dana, "Lesson", video=signing_video())
    browsing = person()
    page = browsing.page
    log_in(page, "dana")
    page.locator("[data-testid=batch-select-all]").click()
    expect(page.locator(f"#project-{project_id} [data-testid=batch-choose]")).to_be_checked()
    page.locator("[data-testid=batch-open]").click()
    page.locator("[data-testid=batch-submit]").click()  # jobs run at once here (eager)
    page.wait_for_url("**/batches/*/")
    item = page.locator("[data-testid=batch-item]")
    expect(item).to_have_attribute("data-status", "failed")
    expect(item).to_contain_text("the video could not be read")
    page.locator("[data-testid=batch-resume]").click()
    expect(item).to_have_attribute("data-status", "succeeded")
    expect(page.locator("[data-testid=batch-summary]")).to_contain_text("1 of 1 videos processed")
    eventually(lambda: Job.objects.filter(project_id=project_id, kind="annotate").count() == 2)
    browsing.assert_no_script_errors()


def test_cancel_then_resume_from_the_batch_page(person, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "annotate_video", fake_engine)
    sent: list[int] = []
    monkeypatch.setattr(services, "_send", sent.append)  # nothing runs until the test says so
    dana = make_user("dana")
    projects = [make_project(dana, name, video=signing_video()) for name in ("One", "Two")]
    browsing = person()
    page = browsing.page
    log_in(page, "dana")
    page.locator("[data-testid=batch-select-all]").click()
    page.locator("[data-testid=batch-open]").click()
    page.locator("[data-testid=batch-submit]").click()
    page.wait_for_url("**/batches/*/")
    items = page.locator("[data-testid=batch-item]")
    expect(items).to_have_count(2)
    page.locator("[data-testid=batch-cancel]").click()
    expect(items.and_(page.locator("[data-status=cancelled]"))).to_have_count(2)
    expect(items.first).to_contain_text("Cancelled")
    expect(page.locator("[data-testid=batch-cancel]")).to_be_hidden()
    resume = page.locator("[data-testid=batch-resume]")
    expect(resume).to_be_visible()
    resume.click()
    expect(items.and_(page.locator("[data-status=queued]"))).to_have_count(2)
    new_jobs = list(Job.objects.filter(project_id__in=projects, status="queued"))
    assert len(new_jobs) == 2 and len(sent) == 4  # two cancelled jobs and two new ones
    for job in new_jobs:
        tasks.run_job(job.pk)
    expect(items.and_(page.locator("[data-status=succeeded]"))).to_have_count(2)
    browsing.assert_no_script_errors()
