// The project list's "Import ELAN file" form: sends the annotation file (and video) to POST /api/projects/import
// and opens the new project; the server's message is shown when it refuses the files. The annotation file chooser
// takes the formats the server reads (formats.js).
import { gettext } from "./i18n.js";
import { sendForm } from "./api.js";
import { loadFormats, offerReadable } from "./formats.js";

const form = document.querySelector('[data-testid="project-import-form"]');
if (form) {
  const error = form.querySelector('[data-testid="project-import-error"]');
  const submit = form.querySelector('[data-testid="project-import-submit"]');
  loadFormats(form.dataset.formatsUrl)
    .then((formats) => offerReadable(
      form.querySelector('[data-testid="project-import-file"]'),
      form.querySelector('[data-testid="project-import-formats"]'),
      formats,
    ))
    .catch((err) => { error.textContent = err.message; });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    if (!form.querySelector('[name="video"]').files.length) data.delete("video");
    data.delete("csrfmiddlewaretoken");
    error.textContent = "";
    submit.disabled = true;
    submit.textContent = gettext("Importing…");
    try {
      const project = await sendForm(form.action, data, form.elements.csrfmiddlewaretoken.value);
      window.location.assign(form.dataset.editorUrl.replace("/0/", `/${project.id}/`));
    } catch (err) {
      error.textContent = err.message;
      submit.disabled = false;
      submit.textContent = gettext("Import");
    }
  });
}
