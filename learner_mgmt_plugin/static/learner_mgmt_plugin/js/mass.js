// Mass actions: the action bar shown while learners are selected (with the actions the course kind
// offers, as the page was told), the offer to select every learner the filters match, a confirmation,
// progress while a background job runs, and the report of done and skipped learners with reasons.

import { Dialog } from "./dialog.js";
import { fmt, focusables, h, nameOf, replace } from "./dom.js";
import { loadSessions, sessionPicker } from "./sessions.js";
import { DANGEROUS_ACTIONS, followJob, radioGroup, reasonField, removalChoice, report } from "./widgets.js";

export class MassActions {
  constructor(app, panel) {
    this.app = app;
    this.strings = app.strings;
    this.bar = panel.querySelector('[data-lm="selection-bar"]');
    this.count = panel.querySelector('[data-lm="selection-count"]');
    this.banner = panel.querySelector('[data-lm="select-all-banner"]');
    const buttons = panel.querySelector('[data-lm="mass-buttons"]');
    replace(
      buttons,
      app.config.massActions.map((mass) =>
        h("button", {
          type: "button",
          class: DANGEROUS_ACTIONS.has(mass.action)
            ? "lm-btn lm-btn--danger-outline lm-btn--small"
            : "lm-btn lm-btn--secondary lm-btn--small",
          text: mass.label,
          dataset: { massAction: mass.action },
          onClick: () => this.start(mass),
        }),
      ),
    );
    panel.querySelector('[data-lm="clear-selection"]').addEventListener("click", () => {
      this.app.learners.clearSelection();
      this.app.learners.syncRows();
      this.app.announce(this.strings.selectionCleared);
    });
    this.selection = { count: 0 };
  }

  /** Show the selection: its size, and the offer to extend a whole page to every match. */
  update(selection, { pageSelected, pageCount, matching }) {
    const s = this.strings;
    this.selection = selection;
    this.bar.hidden = !selection.count;
    this.count.textContent = fmt(s.selectedCount, { count: selection.count });
    if (selection.filter) {
      replace(this.banner, fmt(s.allMatchingSelected, { count: selection.count }));
    } else if (pageSelected && matching > pageCount) {
      replace(
        this.banner,
        fmt(s.pageSelected, { count: pageCount }),
        " ",
        h("button", {
          type: "button",
          class: "lm-btn lm-btn--link",
          text: fmt(s.selectAllMatching, { count: matching }),
          onClick: () => this.app.learners.selectAllMatching(),
        }),
      );
    } else replace(this.banner);
    this.banner.hidden = !this.banner.childNodes.length;
  }

  async start(mass) {
    const s = this.strings;
    const selection = this.selection;
    // What the dialog needs may have to be loaded first: a second click meanwhile opens no second one.
    if (this.opening) return;
    this.opening = true;
    let options;
    try {
      options = await this.options(mass);
    } finally {
      this.opening = false;
    }
    if (!options) return;
    const reason = options.reason ? options.reason("lm-mass-reason") : reasonField(this.app, "lm-mass-reason");
    const dialog = new Dialog(this.app, { title: mass.label });
    const inputs = h("div", {}, options.element);
    replace(
      dialog.body,
      h("p", { text: fmt(s.massConfirm, { count: selection.count }) }),
      h("p", { class: "lm-hint", text: mass.hint }),
      inputs,
      reason.element,
      h("p", { class: "lm-hint", text: s.massSkipNote }),
    );
    dialog.setActions([
      { label: s.cancel, onClick: () => dialog.close() },
      {
        label: fmt(s.massApply, { action: mass.label, count: selection.count }),
        kind: DANGEROUS_ACTIONS.has(mass.action) ? "danger" : "primary",
        id: "apply",
        // A removal waits for its scope to be chosen.
        disabled: options.chosen ? !options.chosen() : false,
        onClick: () => this.apply(dialog, mass, selection, options, reason),
      },
    ]);
    if (options.onChoose) options.onChoose(() => dialog.setEnabled("apply", true));
    dialog.open();
    // The action's own first input, else the harmless Cancel: not the optional reason.
    dialog.focus(focusables(inputs)[0] || dialog.footer.querySelector("button"));
  }

  /** The inputs an action needs: the scope of a removal, the session to move learners to, the due date. */
  async options(mass) {
    const s = this.strings;
    if (mass.action === "remove") return removalChoice(this.app, "lm-mass-scope");
    if (mass.action === "update_due_date") return dueDateChoice(this.app);
    if (mass.action === "change_session") {
      let sessions;
      try {
        sessions = await loadSessions(this.app);
      } catch (error) {
        this.app.announce(error.message, true);
        return null;
      }
      const picker = sessionPicker(this.app, sessions);
      return {
        element: picker.element,
        values: () => {
          if (!picker.value()) throw new Error(s.chooseSession);
          return { session_id: picker.value() };
        },
      };
    }
    return { element: null, values: () => ({}) };
  }

  async apply(dialog, mass, selection, options, reason) {
    const s = this.strings;
    const response = await dialog.run(() => {
      const body = { action: mass.action, ...options.values(), reason: reason.value() };
      if (selection.filter) body.filter = selection.filter;
      else body.users = selection.users;
      return this.app.api.post("mass-actions/", body);
    });
    if (!response) return;
    let outcome = response.data;
    dialog.onClose = () => this.finish();
    if (response.status === 202) {
      const running = fmt(s.massRunning, { action: mass.label, count: selection.count });
      outcome = await followJob(this.app, dialog, response.data.status_url, running);
      if (!outcome) return;
    }
    this.showReport(dialog, mass, outcome);
  }

  /**
   * The final report: how many were done and who, and each skipped or failed learner with the reason.
   * Learners are called by their names, with their usernames beside them.
   */
  showReport(dialog, mass, outcome) {
    const s = this.strings;
    const done = outcome.done.map((username, index) => ({ username, name: outcome.done_names[index] }));
    const summary = fmt(s.massSummary, {
      action: mass.label,
      done: done.length,
      skipped: outcome.skipped.length,
      failed: outcome.failed.length,
    });
    this.app.announce(done.length ? `${summary} ${fmt(s.massDoneFor, { names: namesOf(done, s) })}` : summary);
    // Closed while the job ran: the announcement and the refreshed list are the report.
    if (!dialog.isOpen) return;
    dialog.setTitle(fmt(s.massReportTitle, { action: mass.label }));
    const listed = done.slice(0, REPORTED_DONE);
    replace(
      dialog.body,
      report(
        [
          [s.doneLabel, done.length],
          [s.skipped, outcome.skipped.length],
          [s.failed, outcome.failed.length],
        ],
        [
          [s.doneLabel, [s.learner], listed.map((learner) => [learnerCell(learner)])],
          [s.skipped, [s.learner, s.reason], outcome.skipped.map((skip) => [learnerCell(skip), skip.reason])],
          [s.failed, [s.username, s.reason], outcome.failed.map((fail) => [fail.username, fail.reason])],
        ],
      ),
      done.length > listed.length &&
        h("p", { class: "lm-hint", text: fmt(s.massDoneMore, { count: done.length - listed.length }) }),
    );
    dialog.setActions([{ label: s.done, kind: "primary", onClick: () => dialog.close() }]);
    dialog.title.focus();
  }

  /** After a mass action the selection is spent: clear it and show the list as it is now. */
  finish() {
    this.app.learners.clearSelection();
    this.app.learners.load();
  }
}

// The report lists this many of the learners done; the count says how many there were in all.
const REPORTED_DONE = 100;
// The announcement names this many of them.
const ANNOUNCED_DONE = 3;

/** A learner of the report: their name, and their username under it (the username alone without a name). */
function learnerCell(learner) {
  return h(
    "div",
    { class: "lm-learner" },
    h("div", { class: "lm-learner__name", text: nameOf(learner) }),
    learner.name && h("div", { class: "lm-learner__meta", text: learner.username }),
  );
}

/** "Ana Ivanova, Boris Petrov and 10 more": the first learners done, by name. */
function namesOf(learners, strings) {
  const names = learners.slice(0, ANNOUNCED_DONE).map(nameOf).join(", ");
  const more = learners.length - ANNOUNCED_DONE;
  return more > 0 ? fmt(strings.andMore, { names, count: more }) : names;
}

/** A new due date for the selected learners, from the server's today on, or none at all. */
function dueDateChoice(app) {
  const s = app.strings;
  const input = h("input", { type: "date", id: "lm-mass-due-date", class: "lm-input", min: app.config.today });
  const change = radioGroup("lm-mass-due", s.dueDate, [
    { value: "set", label: s.dueDateSet },
    { value: "remove", label: s.dueDateClear },
  ]);
  change.element.addEventListener("change", () => {
    input.disabled = change.value() === "remove";
  });
  return {
    element: [
      change.element,
      h("div", { class: "lm-field" }, h("label", { for: "lm-mass-due-date", text: s.dueDateNew }), input),
    ],
    values: () => {
      if (change.value() === "remove") return { due_date: null };
      if (!input.value) throw new Error(s.dueDateMissing);
      return { due_date: input.value };
    },
  };
}
