"""Improve from my corrections in the Process video dialog: the segmentation and handshape models in use and their
scores, the refusal when nothing was corrected yet, and the ways back to the shipped models."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from kslars.engine.segmentation.model import WEIGHTS
from kslars.web.learning.models import ProjectHandshapeModel, ProjectModel
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
    handshapes = page.locator("[data-testid=process-handshape-model]")
    expect(handshapes).to_contain_text("The shipped HamNoSys model")
    expect(page.locator("[data-testid=handshape-model-default]")).to_be_hidden()
    page.locator("[data-testid=learn-button]").click()  # nothing corrected yet: refused with the reason
    expect(page.locator("[data-testid=process-dialog]")).to_be_hidden()
    expect(page.locator("[data-testid=process-progress]")).to_contain_text("no corrections to learn from")

    own = ProjectModel(project=Project.objects.get(pk=project_id), report={"scores": SCORES})
    own.weights.save("project.pt", ContentFile(WEIGHTS.read_bytes()))
    hands = ProjectHandshapeModel(
        project=Project.objects.get(pk=project_id),
        report={"examples": {"B": 4, "V": 5}, "scores": {"default": {"accuracy": 0.0}, "project": {"accuracy": 1.0}}},
    )
    hands.weights.save("hands.pt", ContentFile(b"weights"))
    page.locator("[data-testid=process-button]").click()
    expect(model).to_contain_text("This project's own model")
    expect(model).to_contain_text("signs 0.41 (shipped model 0.37)")
    expect(handshapes).to_contain_text("This project's own handshape model, learnt from your corrections: B, V.")
    expect(handshapes).to_contain_text("1.00 (shipped model 0.00)")
    page.locator("[data-testid=handshape-model-default]").click()
    expect(handshapes).to_contain_text("The shipped HamNoSys model")
    expect(model).to_contain_text("This project's own model")  # the segmentation model stays
    eventually(lambda: not ProjectHandshapeModel.objects.filter(project_id=project_id).exists())
    page.locator("[data-testid=model-default]").click()
    expect(model).to_contain_text("The shipped model")
    eventually(lambda: not ProjectModel.objects.filter(project_id=project_id).exists())
