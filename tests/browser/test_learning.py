"""Improve from my corrections in the Process video dialog: the model in use and its scores, the refusal when
nothing was corrected yet, and the way back to the shipped model."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from kslars.engine.segmentation.model import WEIGHTS
from kslars.web.learning.models import ProjectModel
from kslars.web.projects.models import Project
from tests.browser.helpers import log_in, make_project, make_user, signing_video
from tests.browser.test_editor import eventually, open_editor, wait_for_video

pytestmark = pytest.mark.slow

SCORES = {
    "default": {"signs": {"symmetric_iou": 0.37}, "phrases": {"symmetric_iou": 0.5}},
    "project": {"signs": {"symmetric_iou": 0.41}, "phrases": {"symmetric_iou": 0.52}},
}


def test_the_process_dialog_shows_the_model_in_use_and_goes_back_to_the_shipped_one(person) -> None:
    project_id = make_project(make_user("dana"), "Learning", video=signing_video())
    dana = person()
    page = dana.page
    log_in(page, "dana")
    open_editor(page, project_id)
    wait_for_video(page)

    page.locator("[data-testid=process-button]").click()
    model = page.locator("[data-testid=process-model]")
    expect(model).to_contain_text("The shipped model")
    expect(page.locator("[data-testid=model-default]")).to_be_hidden()
    page.locator("[data-testid=learn-button]").click()  # nothing corrected yet: refused with the reason
    expect(page.locator("[data-testid=process-dialog]")).to_be_hidden()
    expect(page.locator("[data-testid=process-progress]")).to_contain_text("no corrections to learn from")

    own = ProjectModel(project=Project.objects.get(pk=project_id), report={"scores": SCORES})
    own.weights.save("project.pt", ContentFile(WEIGHTS.read_bytes()))
    page.locator("[data-testid=process-button]").click()
    expect(model).to_contain_text("This project's own model")
    expect(model).to_contain_text("signs 0.41 (shipped model 0.37)")
    page.locator("[data-testid=model-default]").click()
    expect(model).to_contain_text("The shipped model")
    eventually(lambda: not ProjectModel.objects.filter(project_id=project_id).exists())
