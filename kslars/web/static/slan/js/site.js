// Small enhancements of the SLAN pages; every page also works without JavaScript.
// - a link with data-opens-dialog="ID" opens the <dialog id="ID"> instead of navigating (delete confirmation);
// - a button with data-closes-dialog closes its dialog;
// - a button with data-copies="INPUT_ID" copies that input's text and says so on the button.

document.addEventListener("click", (event) => {
  const opener = event.target.closest("[data-opens-dialog]");
  if (opener) {
    const dialog = document.getElementById(opener.dataset.opensDialog);
    if (dialog && typeof dialog.showModal === "function") {
      event.preventDefault();
      dialog.showModal();
      dialog.querySelector("[data-closes-dialog]")?.focus();
    }
    return;
  }
  const closer = event.target.closest("[data-closes-dialog]");
  if (closer) {
    closer.closest("dialog")?.close();
    return;
  }
  const copier = event.target.closest("[data-copies]");
  if (copier) {
    copyFrom(copier);
  }
});

async function copyFrom(button) {
  const input = document.getElementById(button.dataset.copies);
  if (!input) return;
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    document.execCommand("copy");
  }
  const original = button.textContent;
  button.textContent = button.dataset.copiedText || original;
  setTimeout(() => { button.textContent = original; }, 2000);
}
