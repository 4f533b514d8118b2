// Modal dialogs: a native <dialog> shown with showModal() (top layer, inert page behind it), labelled
// by its title, with focus kept inside while open (Tab and Shift+Tab wrap around) and given back to
// whatever had it before, and Escape to close unless the dialog is busy.

import { focusables, h, replace, uid } from "./dom.js";

export class Dialog {
  /**
   * `title`: the heading; `wide`: a larger dialog for tables; `onClose`: called once closed.
   * Fill `body` and set the footer buttons with `setActions()`, then `open()`.
   */
  constructor(app, { title, wide = false, onClose } = {}) {
    this.app = app;
    this.onClose = onClose;
    this.busy = false;
    const titleId = uid("lm-dialog-title");
    this.title = h("h2", { class: "lm-dialog__title", id: titleId, tabindex: "-1", text: title });
    this.error = h("div", { class: "lm-alert lm-alert--danger", role: "alert", hidden: true });
    this.body = h("div", { class: "lm-dialog__body" });
    this.footer = h("div", { class: "lm-dialog__footer" });
    this.closeButton = h(
      "button",
      {
        type: "button",
        class: "lm-icon-btn lm-dialog__close",
        // Not "Close": a dialog's footer often has a Close button of its own.
        "aria-label": app.strings.closeDialog,
        onClick: () => this.close(),
      },
      h("span", { "aria-hidden": "true", text: "×" }),
    );
    this.element = h(
      "dialog",
      {
        class: `lm-dialog${wide ? " lm-dialog--wide" : ""}`,
        role: "dialog",
        "aria-modal": "true",
        "aria-labelledby": titleId,
      },
      h("div", { class: "lm-dialog__header" }, this.title, this.closeButton),
      h("div", { class: "lm-dialog__content" }, this.error, this.body),
      this.footer,
    );
    this.element.addEventListener("cancel", (event) => {
      event.preventDefault();
      if (!this.busy) this.close();
    });
    this.element.addEventListener("keydown", (event) => this.keepFocus(event));
  }

  setTitle(text) {
    this.title.textContent = text;
  }

  /** Footer buttons: [{label, onClick, kind: "primary"|"danger"|"secondary", disabled}]. */
  setActions(actions) {
    replace(
      this.footer,
      actions.map((action) =>
        h("button", {
          type: "button",
          class: `lm-btn lm-btn--${action.kind || "secondary"}`,
          text: action.label,
          disabled: Boolean(action.disabled),
          dataset: action.id ? { action: action.id } : undefined,
          onClick: action.onClick,
        }),
      ),
    );
    return [...this.footer.querySelectorAll("button")];
  }

  /**
   * Enable or disable the footer button set with `id`. While the dialog is busy its buttons stay
   * disabled; the change applies once it is no longer busy.
   */
  setEnabled(id, enabled) {
    const button = this.footer.querySelector(`[data-action="${id}"]`);
    if (!button) return;
    if (this.busy) button.dataset.wasDisabled = String(!enabled);
    else button.disabled = !enabled;
  }

  /** Whether the dialog is on the page (not yet closed). */
  get isOpen() {
    return this.element.isConnected;
  }

  open(focusTarget) {
    // What the last dialog led to is done with: its toast would linger over the next one.
    this.app.dismissToast();
    this.returnFocus = document.activeElement;
    this.app.root.append(this.element);
    this.element.showModal();
    this.focus(focusTarget);
    return this;
  }

  /** Focus `target`, else the body's element marked data-autofocus, else its first control. */
  focus(target) {
    const element =
      target ||
      this.body.querySelector("[data-autofocus]") ||
      focusables(this.body)[0] ||
      focusables(this.footer)[0] ||
      this.closeButton;
    element.focus();
  }

  close() {
    if (!this.element.open) return;
    this.element.close();
    this.element.remove();
    const back = this.returnFocus;
    if (back && back.isConnected && !back.closest("[hidden]")) back.focus();
    else this.app.focusFallback(back);
    if (this.onClose) this.onClose();
  }

  /** While busy, the dialog's buttons are disabled and Escape does not close it. */
  setBusy(busy) {
    this.busy = busy;
    this.element.setAttribute("aria-busy", String(busy));
    for (const button of this.element.querySelectorAll("button")) {
      if (busy) {
        button.dataset.wasDisabled = String(button.disabled);
        button.disabled = true;
      } else if (button.dataset.wasDisabled !== undefined) {
        button.disabled = button.dataset.wasDisabled === "true";
        delete button.dataset.wasDisabled;
      }
    }
  }

  showError(message) {
    this.error.textContent = message;
    this.error.hidden = !message;
  }

  /**
   * Run `work` with the dialog busy; on failure show the error in the dialog, keep it as
   * `lastError` and return undefined. The buttons are enabled again once `work` is done: whatever
   * must happen before the dialog may be used again (reloading the list) belongs in `work`.
   */
  async run(work) {
    this.showError("");
    this.lastError = null;
    this.setBusy(true);
    try {
      return await work();
    } catch (error) {
      this.lastError = error;
      this.showError(error.message);
      return undefined;
    } finally {
      this.setBusy(false);
    }
  }

  keepFocus(event) {
    if (event.key !== "Tab") return;
    const elements = focusables(this.element);
    if (!elements.length) return;
    const first = elements[0];
    const last = elements[elements.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }
}

/** Ask to confirm: resolves true when `confirmLabel` is chosen (`danger` styles it as destructive). */
export function confirmDialog(app, { title, message, confirmLabel, danger = false, details }) {
  return new Promise((resolve) => {
    let confirmed = false;
    const dialog = new Dialog(app, { title, onClose: () => resolve(confirmed) });
    replace(dialog.body, h("p", { text: message }), details);
    dialog.setActions([
      { label: app.strings.cancel, onClick: () => dialog.close() },
      {
        label: confirmLabel,
        kind: danger ? "danger" : "primary",
        onClick: () => {
          confirmed = true;
          dialog.close();
        },
      },
    ]);
    dialog.open();
  });
}
