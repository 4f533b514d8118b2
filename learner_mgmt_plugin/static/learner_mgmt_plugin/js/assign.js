// Assign Course: pick users (search, or type an email, username or employee ID), set the terms,
// review where each user stands in the course (with "skip users who have already completed" where the
// site offers it), assign, and see the outcome. From there, Import assigns the users of a CSV file and
// reports in the Import Status pop-up.

import { Dialog } from "./dialog.js";
import { debounce, fmt, h, nameOf, replace, uid } from "./dom.js";
import { followJob, report, table, termChanges, termsSummary } from "./widgets.js";

const SEARCH_MIN_LENGTH = 2;

export class AssignFlow {
  constructor(app) {
    this.app = app;
    this.strings = app.strings;
  }

  open() {
    const s = this.strings;
    this.picked = new Map();
    this.terms = assignmentTerms(this.app, "lm-assign");
    this.dialog = new Dialog(this.app, { title: s.assignTitle, wide: true });
    this.picker = this.userPicker();
    this.showChoose();
    this.dialog.open(this.picker.input);
  }

  showChoose() {
    const s = this.strings;
    this.dialog.setTitle(s.assignTitle);
    this.dialog.showError("");
    replace(this.dialog.body, this.picker.element, this.terms.element);
    this.dialog.setActions([
      { label: s.cancel, onClick: () => this.dialog.close() },
      { label: s.review, kind: "primary", onClick: () => this.review() },
    ]);
    this.dialog.footer.prepend(
      h("button", {
        type: "button",
        class: "lm-btn lm-btn--link lm-dialog__aside",
        text: s.importLink,
        title: s.importLinkHint,
        "aria-label": s.importLinkHint,
        onClick: () => this.toImport(),
      }),
    );
  }

  toImport() {
    this.dialog.close();
    new ImportFlow(this.app).open();
  }

  /** The user picker: an ARIA 1.2 combobox over the user search, and the users picked so far. */
  userPicker() {
    const s = this.strings;
    const listId = uid("lm-users");
    const hintId = uid("lm-users-hint");
    const input = h("input", {
      id: "lm-user-search",
      class: "lm-input",
      type: "text",
      role: "combobox",
      autocomplete: "off",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": listId,
      "aria-describedby": hintId,
    });
    const list = h("ul", {
      class: "lm-listbox",
      role: "listbox",
      id: listId,
      "aria-label": s.matchingUsers,
      hidden: true,
    });
    const status = h("div", { class: "lm-hint", role: "status" });
    const chosen = h("ul", { class: "lm-tokens", "aria-label": s.selectedUsers });
    let options = [];
    let active = -1;

    const close = () => {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    };
    const highlight = (index) => {
      active = index;
      options.forEach((option, position) => option.element.setAttribute("aria-selected", String(position === index)));
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].element.id);
        options[index].element.scrollIntoView({ block: "nearest" });
      }
    };
    const showChosen = () => {
      status.textContent = this.picked.size ? fmt(s.usersChosen, { count: this.picked.size }) : "";
    };
    const renderChosen = () => {
      replace(
        chosen,
        [...this.picked.entries()].map(([identifier, label]) =>
          h(
            "li",
            { class: "lm-token" },
            h("span", { text: label }),
            h(
              "button",
              {
                type: "button",
                class: "lm-token__remove",
                "aria-label": fmt(s.removeUser, { name: label }),
                onClick: () => {
                  this.picked.delete(identifier);
                  renderChosen();
                  input.focus();
                },
              },
              h("span", { "aria-hidden": "true", text: "×" }),
            ),
          ),
        ),
      );
      showChosen();
    };
    const pick = (identifier, label) => {
      this.picked.set(identifier, label);
      renderChosen();
      input.value = "";
      close();
      input.focus();
    };
    const search = debounce(async () => {
      const text = input.value.trim();
      if (text.length < SEARCH_MIN_LENGTH) {
        close();
        // One letter searches nothing: say so rather than stay silent.
        if (text) status.textContent = fmt(s.typeMore, { count: SEARCH_MIN_LENGTH });
        else showChosen();
        return;
      }
      showChosen();
      let results;
      try {
        results = (await this.app.api.get("users/", { search: text })).results;
      } catch (error) {
        status.textContent = error.message;
        return;
      }
      if (input.value.trim() !== text) return; // typed on meanwhile; a newer search follows
      options = results.map((user) => ({
        user,
        element: h(
          "li",
          {
            role: "option",
            id: uid("lm-user"),
            class: "lm-listbox__option",
            "aria-selected": "false",
            onMousedown: (event) => event.preventDefault(),
            onClick: () => pick(user.username, nameOf(user)),
          },
          h("span", { class: "lm-learner__name", text: nameOf(user) }),
          h(
            "span",
            { class: "lm-learner__meta" },
            user.username,
            " · ",
            user.email,
            user.employee_id && ` · ${user.employee_id}`,
          ),
        ),
      }));
      replace(
        list,
        options.map((option) => option.element),
      );
      list.hidden = !options.length;
      input.setAttribute("aria-expanded", String(Boolean(options.length)));
      status.textContent = options.length ? fmt(s.usersFound, { count: options.length }) : s.noUsersFound;
      highlight(-1);
    }, 250);

    input.addEventListener("input", search);
    input.addEventListener("blur", () => setTimeout(close, 100));
    input.addEventListener("keydown", (event) => {
      const open = !list.hidden && options.length;
      if (event.key === "ArrowDown" && open) {
        event.preventDefault();
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight((active - 1 + options.length) % options.length);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (open && active >= 0) {
          const { user } = options[active];
          pick(user.username, nameOf(user));
        } else {
          // Whatever was typed or pasted: emails, usernames or employee IDs, separated by commas,
          // semicolons or spaces; the review says who they are.
          input.value
            .split(/[\s,;]+/)
            .filter(Boolean)
            .forEach((identifier) => pick(identifier, identifier));
        }
      }
    });

    const element = h(
      "div",
      { class: "lm-field lm-picker" },
      h("label", { for: "lm-user-search", text: s.users }),
      h("div", { class: "lm-combobox" }, input, list),
      h("p", { class: "lm-hint", id: hintId, text: s.userSearchHint }),
      status,
      chosen,
    );
    return { element, input };
  }

  async review() {
    const s = this.strings;
    if (!this.picked.size) {
      this.dialog.showError(s.chooseUsers);
      this.picker.input.focus();
      return;
    }
    const terms = this.terms.values();
    if (terms.error) {
      this.dialog.showError(terms.error);
      return;
    }
    const review = await this.dialog.run(() =>
      this.app.api.post("assignments/review/", { users: [...this.picked.keys()], ...terms }),
    );
    if (!review) return;
    this.showReview(review.data, terms);
  }

  showReview(review, terms) {
    const s = this.strings;
    const skip = review.skip_completed_available
      ? h("input", { type: "checkbox", id: "lm-skip-completed", class: "lm-checkbox" })
      : null;
    const unassignable = [
      [s.notFound, review.not_found],
      [s.deactivated, review.deactivated],
      [s.ambiguous, review.ambiguous],
    ].filter(([, identifiers]) => identifiers.length);
    const changing = review.users.filter((user) => user.changes.length).length;
    this.dialog.setTitle(s.reviewTitle);
    this.dialog.showError("");
    replace(
      this.dialog.body,
      h("p", { text: s.reviewIntro }),
      changing > 0 &&
        h("p", { class: "lm-alert lm-alert--warning", text: fmt(s.termsWillChange, { count: changing }) }),
      review.users.length
        ? table(
            [s.learner, s.employeeIdHeading, s.courseState, s.termsHeading],
            review.users.map((user) => [
              // Who, as the learner list shows them: the name over the username and email.
              h(
                "div",
                { class: "lm-learner" },
                h("div", { class: "lm-learner__name", text: nameOf(user) }),
                h("div", { class: "lm-learner__meta", text: `${user.username} · ${user.email}` }),
              ),
              user.employee_id || "—",
              reviewState(user, this.app),
              reviewTerms(user, this.app),
            ]),
          )
        : h("p", { class: "lm-muted", text: s.nobodyToAssign }),
      unassignable.length > 0 &&
        h(
          "div",
          { class: "lm-alert lm-alert--warning" },
          h("strong", { text: s.cannotAssign }),
          h(
            "ul",
            {},
            unassignable.map(([label, identifiers]) => h("li", {}, `${label}: `, identifiers.join(", "))),
          ),
        ),
      skip &&
        h(
          "div",
          { class: "lm-check" },
          skip,
          h(
            "label",
            { for: "lm-skip-completed" },
            h("span", { text: s.skipCompleted }),
            h("span", { class: "lm-hint", text: s.skipCompletedHint }),
          ),
        ),
    );
    this.dialog.setActions([
      { label: s.back, onClick: () => this.showChoose() },
      {
        label: s.assign,
        kind: "primary",
        id: "assign",
        disabled: !review.users.length,
        onClick: () => this.assign(review, terms, Boolean(skip && skip.checked)),
      },
    ]);
    // A new step: its heading takes the focus, so that it is read out.
    this.dialog.title.focus();
  }

  async assign(review, terms, skipCompleted) {
    const users = review.users.map((user) => user.identifier);
    // The list reloads while the dialog is still busy: Assign cannot be clicked again meanwhile.
    const response = await this.dialog.run(async () => {
      const assigned = await this.app.api.post("assignments/", { users, ...terms, skip_completed: skipCompleted });
      if (assigned.status !== 202) await this.app.learners.load();
      return assigned;
    });
    if (!response) return;
    if (response.status !== 202) {
      this.showResult(response.data);
      return;
    }
    const running = fmt(this.strings.assignRunning, { count: users.length });
    const result = await followJob(this.app, this.dialog, response.data.status_url, running);
    if (!result) return;
    if (this.dialog.isOpen) await this.app.learners.load();
    this.showResult(result);
  }

  showResult(result) {
    const s = this.strings;
    this.app.announce(
      fmt(s.assignedSummary, {
        assigned: result.assigned.length + result.reassigned.length + result.updated.length,
        skipped: result.skipped.length,
        failed: result.failed.length,
      }),
    );
    // Closed while a background assignment ran: the announcement and the reloaded list are the report.
    if (!this.dialog.isOpen) return;
    this.dialog.setTitle(s.assignedTitle);
    replace(
      this.dialog.body,
      report(
        [
          [s.newlyAssigned, result.assigned.length],
          [s.reassigned, result.reassigned.length],
          [s.updated, result.updated.length],
          [s.skipped, result.skipped.length],
          [s.failed, result.failed.length],
        ],
        [
          [s.skipped, [s.username, s.reason], result.skipped.map((skip) => [skip.username, skip.reason])],
          [s.failed, [s.identifier, s.reason], result.failed.map((fail) => [fail.identifier, fail.reason])],
        ],
      ),
    );
    this.dialog.setActions([{ label: s.done, kind: "primary", onClick: () => this.dialog.close() }]);
    this.dialog.focus(this.dialog.footer.querySelector("button"));
  }
}

/** Where a user stands in the course, worded as the learner list words their status (the server's label). */
function reviewState(user, app) {
  const s = app.strings;
  if (user.state === "not_assigned") return h("span", { class: "lm-badge lm-badge--none", text: s.notAssigned });
  let label;
  if (user.state === "completed") label = s.stateCompleted;
  else label = user.status_label ? fmt(s.stateAssigned, { status: user.status_label }) : s.stateAssignedPlain;
  return h("span", { class: `lm-badge lm-badge--${user.status}`, text: label });
}

/**
 * The terms a user will have: a learner assigned already shows what changes from their current
 * terms, marked, or that they stay as they are.
 */
function reviewTerms(user, app) {
  const s = app.strings;
  const language = app.config.language;
  if (!user.current_terms) return termsSummary(user.new_terms, s, language);
  if (!user.changes.length) {
    const terms = termsSummary(user.current_terms, s, language);
    return h("span", { class: "lm-muted", text: fmt(s.termsKept, { terms }) });
  }
  return h(
    "ul",
    { class: "lm-changes", "aria-label": s.termsChanging },
    termChanges(user.current_terms, user.new_terms, s, language).map((line) =>
      h("li", { class: "lm-change", text: line }),
    ),
  );
}

/** The terms of an assignment: required or optional, due date (required only) and a message. */
function assignmentTerms(app, prefix) {
  const s = app.strings;
  const required = h("input", {
    type: "radio",
    name: `${prefix}-kind`,
    id: `${prefix}-required`,
    value: "true",
    checked: true,
  });
  const optional = h("input", { type: "radio", name: `${prefix}-kind`, id: `${prefix}-optional`, value: "false" });
  // The earliest due date is the server's today (it refuses earlier ones), whatever the browser's clock says.
  const today = app.config.today;
  const due = h("input", { type: "date", id: `${prefix}-due`, class: "lm-input lm-input--short", min: today });
  const message = h("textarea", { id: `${prefix}-message`, class: "lm-input", rows: 3 });
  // A due date makes an assignment required: an optional one has none to give.
  const sync = () => {
    due.disabled = optional.checked;
    if (optional.checked) due.value = "";
  };
  required.addEventListener("change", sync);
  optional.addEventListener("change", sync);
  const element = h(
    "div",
    { class: "lm-terms" },
    h(
      "fieldset",
      { class: "lm-fieldset lm-fieldset--inline" },
      h("legend", { text: s.assignmentType }),
      h("div", { class: "lm-radio" }, required, h("label", { for: `${prefix}-required`, text: s.required })),
      h("div", { class: "lm-radio" }, optional, h("label", { for: `${prefix}-optional`, text: s.optional })),
    ),
    h(
      "div",
      { class: "lm-field" },
      h("label", { for: `${prefix}-due` }, s.dueDate, " ", h("span", { class: "lm-muted", text: s.optionalField })),
      due,
      h("p", { class: "lm-hint", text: s.termsKeptHint }),
    ),
    h(
      "div",
      { class: "lm-field" },
      h(
        "label",
        { for: `${prefix}-message` },
        s.personalMessage,
        " ",
        h("span", { class: "lm-muted", text: s.optionalField }),
      ),
      message,
      h("p", { class: "lm-hint", text: s.personalMessageHint }),
    ),
  );
  return {
    element,
    values() {
      if (due.value && today && due.value < today) return { error: s.dueDatePast };
      return { required: required.checked, due_date: due.value || null, message: message.value.trim() };
    },
  };
}

/** Import: a CSV file and the terms, then the Import Status pop-up (following a background import). */
export class ImportFlow {
  constructor(app) {
    this.app = app;
    this.strings = app.strings;
  }

  open() {
    const s = this.strings;
    this.terms = assignmentTerms(this.app, "lm-import");
    this.file = h("input", {
      type: "file",
      id: "lm-import-file",
      class: "lm-file",
      accept: ".csv,text/csv",
      required: true,
    });
    this.skip = this.app.config.skipCompletedAvailable
      ? h("input", { type: "checkbox", id: "lm-import-skip", class: "lm-checkbox" })
      : null;
    this.dialog = new Dialog(this.app, { title: s.importTitle, wide: true });
    replace(
      this.dialog.body,
      h("p", { text: s.importIntro }),
      h(
        "p",
        {},
        h("a", {
          href: this.app.api.url("assignments/sample-csv/"),
          download: "",
          class: "lm-link",
          text: s.sampleCsv,
        }),
      ),
      h("div", { class: "lm-field" }, h("label", { for: "lm-import-file", text: s.csvFile }), this.file),
      this.terms.element,
      this.skip &&
        h(
          "div",
          { class: "lm-check" },
          this.skip,
          h(
            "label",
            { for: "lm-import-skip" },
            h("span", { text: s.skipCompleted }),
            h("span", { class: "lm-hint", text: s.skipCompletedHint }),
          ),
        ),
    );
    this.dialog.setActions([
      { label: s.cancel, onClick: () => this.dialog.close() },
      { label: s.importAction, kind: "primary", onClick: () => this.submit() },
    ]);
    this.dialog.open();
  }

  async submit() {
    const s = this.strings;
    const file = this.file.files[0];
    if (!file) {
      this.dialog.showError(s.chooseFile);
      this.file.focus();
      return;
    }
    const terms = this.terms.values();
    if (terms.error) {
      this.dialog.showError(terms.error);
      return;
    }
    const form = new FormData();
    form.append("file", file);
    form.append("required", String(terms.required));
    if (terms.due_date) form.append("due_date", terms.due_date);
    form.append("message", terms.message);
    form.append("skip_completed", String(Boolean(this.skip && this.skip.checked)));
    const response = await this.dialog.run(() => this.app.api.upload("assignments/import/", form));
    if (!response) return;
    this.dialog.close();
    new ImportStatus(this.app).show(response);
  }
}

/** The Import Status pop-up: the import's outcome, its failed rows and the Download List button. */
class ImportStatus {
  constructor(app) {
    this.app = app;
    this.strings = app.strings;
  }

  async show(response) {
    const s = this.strings;
    this.dialog = new Dialog(this.app, {
      title: s.importStatusTitle,
      wide: true,
      onClose: () => this.app.learners.load(),
    });
    if (response.status !== 202) {
      this.render(response.data);
      this.dialog.open();
      return;
    }
    this.dialog.open();
    const result = await followJob(this.app, this.dialog, response.data.status_url, s.importRunning);
    if (!result) return;
    // Closed while the import ran: the announcement and the reloaded list are the report.
    if (!this.dialog.isOpen) {
      this.app.announce(result.message);
      return;
    }
    this.render(result);
    this.dialog.focus(this.dialog.footer.querySelector("button"));
  }

  render(result) {
    const s = this.strings;
    this.dialog.setActions([{ label: s.close, kind: "primary", onClick: () => this.dialog.close() }]);
    replace(
      this.dialog.body,
      h("p", {
        class: result.failed ? "lm-alert lm-alert--warning" : "lm-alert lm-alert--success",
        role: "status",
        text: result.message,
      }),
      // How each imported row was imported: as Assign Course's result says it.
      report(
        [
          [s.newlyAssigned, result.assigned],
          [s.reassigned, result.reassigned],
          [s.updated, result.updated],
          [s.failed, result.failed],
        ],
        [
          [
            s.reassignedRows,
            [s.row, s.identifier, s.username],
            (result.reassigned_rows || []).map((row) => [String(row.row), row.identifier, row.username]),
          ],
        ],
      ),
      result.failures && result.failures.length
        ? table(
            [s.rowInFile, s.identifier, s.reason],
            result.failures.map((failure) => [
              String(failure.row),
              failure.email || failure.employee_id || failure.username || "—",
              failure.reason,
            ]),
          )
        : null,
      result.download_url &&
        h("a", { href: result.download_url, download: "", class: "lm-btn lm-btn--secondary", text: s.downloadList }),
    );
    this.app.announce(result.message);
  }
}
