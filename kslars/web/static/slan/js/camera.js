// Webcam snapshots for the dictionary's photo search: getUserMedia into a <video>, one frame drawn to a canvas and
// returned as a JPEG Blob. Frames are taken as the camera sees them (not mirrored), as the search expects.

/** Whether the browser can use a camera here (an API and at least one video input). */
export async function cameraAvailable() {
  const media = navigator.mediaDevices;
  if (!media || typeof media.getUserMedia !== "function" || typeof media.enumerateDevices !== "function") return false;
  try {
    return (await media.enumerateDevices()).some((device) => device.kind === "videoinput");
  } catch {
    return false;
  }
}

/** A live camera shown in `video`; open(), snapshot() and close(). */
export class Camera {
  constructor(video) {
    this.video = video;
    this.stream = null;
  }

  /** Ask for the camera (the rear one on phones) and show it; rejects when it is refused or missing. */
  async open() {
    this.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    this.video.srcObject = this.stream;
    await this.video.play();
  }

  /** The current frame as a JPEG Blob. */
  snapshot() {
    const canvas = document.createElement("canvas");
    canvas.width = this.video.videoWidth;
    canvas.height = this.video.videoHeight;
    canvas.getContext("2d").drawImage(this.video, 0, 0, canvas.width, canvas.height);
    return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.92));
  }

  /** Stop the camera. */
  close() {
    for (const track of this.stream ? this.stream.getTracks() : []) track.stop();
    this.stream = null;
    this.video.srcObject = null;
  }
}
