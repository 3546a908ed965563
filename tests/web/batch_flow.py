"""Batch processing through real Celery workers: the driver (python -m tests.web.batch_flow FOLDER CLIP POSE).

It makes four projects (the real clip twice, with its landmarks kept as after an earlier run; the clip cut to a
third, a corrupt file; a generated video of an empty room, where nobody signs), starts one batch of Process video
for all four through the API, waits for the workers to end every job, then resumes the batch and waits again.
It prints one JSON report: the batch after each round, each project's jobs, tiers and revision.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from tests.web.worker_flow import JOB_TIMEOUT_SECONDS

ACTIVE = ("queued", "running")


def _wait(client, batch_id: int) -> tuple[dict, set]:
    """Poll the batch until no video is queued or running; (the batch, every (project, status) seen)."""
    seen = set()
    deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
    batch = client.get(f"/api/batches/{batch_id}").json()
    while batch["status"] in ACTIVE and time.monotonic() < deadline:
        seen |= {(item["project_name"], item["status"]) for item in batch["items"]}
        time.sleep(0.2)
        batch = client.get(f"/api/batches/{batch_id}").json()
    return batch, seen


def main(folder: str, clip: str, pose: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from kslars.web.annotation.models import Annotation
    from kslars.web.jobs.models import Job
    from kslars.web.projects.models import Project
    from tests.generated_video import write_video
    from tests.web.test_process import attach_video

    owner = get_user_model().objects.create_user("batch-flow", password="a-long-test-pass-7")
    corrupt = Path(folder) / "corrupt.mp4"
    corrupt.write_bytes(Path(clip).read_bytes()[: Path(clip).stat().st_size // 3])
    empty_room = write_video(Path(folder) / "empty-room.mp4", codec="libx264", frames=20, fps=10)
    videos = {
        "A lesson": (Path(clip), Path(pose)),
        "B lesson": (Path(clip), Path(pose)),
        "C corrupt": (corrupt, None),
        "D empty room": (empty_room, None),
    }
    projects = {}
    for name, (video, landmarks) in videos.items():
        projects[name] = Project.objects.create(owner=owner, name=name)
        attach_video(projects[name], video, landmarks, name=video.name)
    client = Client(HTTP_HOST="localhost")  # the site answers only to its own names
    client.force_login(owner)
    started = client.post(
        "/api/batches/process",
        {"project_ids": [p.pk for p in projects.values()], "phrases": False, "orientation": False},
        content_type="application/json",
    )
    assert started.status_code == 201, started.content
    batch_id = started.json()["id"]
    first, seen = _wait(client, batch_id)
    revisions = {name: Project.objects.get(pk=p.pk).revision for name, p in projects.items()}
    resumed = client.post(f"/api/batches/{batch_id}/resume")
    assert resumed.status_code == 200, resumed.content
    second, _ = _wait(client, batch_id)
    report = {
        "first": first,
        "second": second,
        "seen": sorted(seen),
        "revisions_after_first": revisions,
        "revisions": {name: Project.objects.get(pk=p.pk).revision for name, p in projects.items()},
        "jobs": {
            name: list(Job.objects.filter(project=p).order_by("pk").values_list("status", "worker", "task_id"))
            for name, p in projects.items()
        },
        "signs": {
            name: Annotation.objects.filter(project=p, tier__name="Signs").count() for name, p in projects.items()
        },
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main(*sys.argv[1:4])
