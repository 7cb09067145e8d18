/**
 * Submitting the assignment: a confirmation dialog, then the page becomes read-only. Submitting
 * waits until every queued change has been saved, so nothing is submitted half-way.
 */

/** @param {object} workspace the Workspace (api, outbox, sync, status, setReadOnly, ...) */
export function setupSubmit(workspace) {
  const button = document.getElementById("submit-button");
  const dialog = document.getElementById("submit-dialog");
  if (!button || !dialog) return;
  const confirmButton = dialog.querySelector("[data-action=confirm]");
  const cancelButton = dialog.querySelector("[data-action=cancel]");
  const message = dialog.querySelector(".dialog-message");

  button.addEventListener("click", () => {
    if (workspace.outbox?.size) {
      workspace.status.alert(
        `${workspace.outbox.size} change(s) are not saved yet. Submit once they are saved ` +
          "(the status line says “All changes saved”).",
        "warning",
      );
      workspace.sync.retryNow();
      return;
    }
    const count = workspace.store.visible().length;
    message.textContent =
      `You made ${count} annotation(s). After submitting you cannot change them or your ` +
      "answers unless an instructor reopens the assignment.";
    dialog.showModal();
    cancelButton.focus();
  });
  cancelButton.addEventListener("click", () => dialog.close("cancel"));
  confirmButton.addEventListener("click", async () => {
    confirmButton.disabled = true;
    try {
      const assignment = await workspace.api.post(`/articles/${workspace.articleId}/submit`);
      dialog.close("confirm");
      const badge = document.getElementById("assignment-status");
      if (badge) {
        badge.textContent = "Submitted";
        badge.className = `status status-${assignment.status}`;
      }
      workspace.setReadOnly("submitted");
      workspace.status.announce("Submitted. The assignment is now read-only.");
    } catch (error) {
      dialog.close("error");
      workspace.status.alert(`Not submitted: ${error.message}`);
    } finally {
      confirmButton.disabled = false;
    }
  });
}
