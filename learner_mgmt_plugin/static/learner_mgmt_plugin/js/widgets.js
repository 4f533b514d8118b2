// Pieces several views of the page are built from: data tables, radio groups, progress bars, the
// following of a background job.

import { fmt, formatDate, h, replace, uid } from "./dom.js";

/**
 * The actions, of a learner's menu or of the mass-action bar, that take something away for good or
 * for the learner: styled as destructive wherever they are offered.
 */
export const DANGEROUS_ACTIONS = new Set(["remove", "unassign", "remove_certificate"]);

/** A data table: `headings` and rows of cells (text or nodes); `labelledBy`, the id of what names it. */
export function table(headings, rows, { labelledBy } = {}) {
  return h(
    "div",
    { class: "lm-table-wrap lm-table-wrap--compact" },
    h(
      "table",
      { class: "lm-table lm-table--compact", "aria-labelledby": labelledBy },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          headings.map((heading) => h("th", { scope: "col" }, heading)),
        ),
      ),
      h(
        "tbody",
        {},
        rows.map((cells) =>
          h(
            "tr",
            {},
            cells.map((cell) => h("td", {}, cell)),
          ),
        ),
      ),
    ),
  );
}

/**
 * A fieldset of radio buttons ([{value, label, hint, disabled}]); the first enabled one is checked,
 * unless `checkFirst` is false (then none is, until one is chosen).
 */
export function radioGroup(name, legend, options, { checkFirst = true } = {}) {
  const first = checkFirst ? options.find((option) => !option.disabled) : null;
  const element = h(
    "fieldset",
    { class: "lm-fieldset" },
    h("legend", { text: legend }),
    options.map((option) => {
      const id = `${name}-${option.value}`;
      return h(
        "div",
        { class: "lm-radio" },
        h("input", {
          type: "radio",
          name,
          id,
          value: option.value,
          checked: option === first,
          disabled: Boolean(option.disabled),
        }),
        h(
          "label",
          { for: id },
          h("span", { class: "lm-radio__label", text: option.label }),
          option.hint && h("span", { class: "lm-hint", text: option.hint }),
        ),
      );
    }),
  );
  return { element, value: () => element.querySelector("input:checked")?.value };
}

/** A progress bar with its percentage; the bar is decoration, the number is what is read out. */
export function progressOf(value, strings) {
  const fill = h("span", { class: "lm-progress__fill" });
  fill.style.width = `${value}%`;
  return h(
    "div",
    { class: "lm-progress-cell" },
    h("span", { class: "lm-progress", "aria-hidden": "true" }, fill),
    h("span", { class: "lm-progress__value", text: fmt(strings.percent, { value }) }),
  );
}

/** A progress bar for a background job, updated from its polled status. */
export function jobProgress(strings) {
  const fill = h("span", { class: "lm-progress__fill" });
  const bar = h(
    "div",
    {
      class: "lm-progress lm-progress--large",
      role: "progressbar",
      "aria-valuemin": "0",
      "aria-valuemax": "100",
      "aria-valuenow": "0",
      "aria-label": strings.progress,
    },
    fill,
  );
  const text = h("p", { class: "lm-hint", text: strings.jobQueued });
  return {
    element: h("div", { class: "lm-job" }, bar, text),
    update(job) {
      const percent = job.total_steps ? Math.round((100 * job.completed_steps) / job.total_steps) : 0;
      bar.setAttribute("aria-valuenow", String(percent));
      fill.style.width = `${percent}%`;
      text.textContent =
        job.state === "pending"
          ? strings.jobQueued
          : fmt(strings.jobProgress, { done: job.completed_steps, total: job.total_steps });
    },
  };
}

/**
 * The report of a bulk operation: counts ([label, count]) side by side, then a table for each list
 * that has rows ([heading, column headings, rows]).
 */
export function report(counts, lists) {
  return [
    h(
      "dl",
      { class: "lm-summary" },
      counts.map(([label, count]) => [h("dt", { text: label }), h("dd", { text: String(count) })]),
    ),
    lists
      .filter(([, , rows]) => rows.length)
      .map(([heading, headings, rows]) => {
        // Each list is a table named by its heading ("Skipped"): a report may hold several.
        const id = uid("lm-report");
        return [h("h3", { class: "lm-subheading", id, text: heading }), table(headings, rows, { labelledBy: id })];
      }),
  ];
}

/** Terms of an assignment in a few words: "Required · due 15 Jan 2027", "Optional". */
export function termsSummary(terms, strings, language) {
  const kind = terms.required ? strings.required : strings.optional;
  return terms.due_date ? fmt(strings.termsDue, { kind, date: formatDate(terms.due_date, language) }) : kind;
}

const QUOTED_LENGTH = 80;

/** A message cut to a length that a line of changes can hold. */
function shortened(text) {
  return text.length > QUOTED_LENGTH ? `${text.slice(0, QUOTED_LENGTH - 1)}…` : text;
}

/**
 * What changes from one set of terms to the next (objects with `required`, `due_date`, `message`), a
 * line per term that changes: "Due date: 15 Jan 2027 → 1 Feb 2027".
 */
export function termChanges(from, to, strings, language) {
  const kind = (terms) => (terms.required ? strings.required : strings.optional);
  const date = (terms) => (terms.due_date ? formatDate(terms.due_date, language) : strings.none);
  const message = (terms) => (terms.message ? `“${shortened(terms.message)}”` : strings.none);
  return [
    [strings.assignmentType, kind],
    [strings.dueDate, date],
    [strings.personalMessage, message],
  ]
    .filter(([, show]) => show(from) !== show(to))
    .map(([term, show]) => fmt(strings.termChange, { term, from: show(from), to: show(to) }));
}

/**
 * What a removal takes away, with the warning that it cannot be undone: in an ILT course the scope
 * (course, session or both; `seated: false` rules out the session alone), none chosen at first, else
 * the course. `values()` is the removal's body: the scope, confirmed unless only a seat goes.
 * `chosen()` says whether a scope is chosen; `onChoose(callback)` calls back when one is.
 */
export function removalChoice(app, name, { seated = true } = {}) {
  const s = app.strings;
  const scopes = app.config.isIlt
    ? radioGroup(
        name,
        s.removeScope,
        [
          { value: "course", label: s.scopeCourse, hint: s.scopeCourseHint },
          { value: "session", label: s.scopeSession, hint: s.scopeSessionHint, disabled: !seated },
          { value: "both", label: s.scopeBoth, hint: s.scopeBothHint },
        ],
        { checkFirst: false },
      )
    : null;
  return {
    element: [
      scopes && scopes.element,
      h(
        "div",
        { class: "lm-alert lm-alert--danger", role: "note" },
        h("strong", { text: s.cannotBeUndone }),
        " ",
        s.removeWarning,
      ),
    ],
    chosen: () => !scopes || Boolean(scopes.value()),
    onChoose(callback) {
      if (scopes) scopes.element.addEventListener("change", () => callback(scopes.value()));
    },
    /** The reason field of the removal: required where the course asks for one, unless only a seat goes. */
    reason(id) {
      const field = reasonField(app, id);
      const update = () => field.setRequired(app.config.removalReasonRequired && this.values().scope !== "session");
      update();
      this.onChoose(update);
      return field;
    },
    values() {
      const scope = scopes ? scopes.value() : "course";
      return { scope, confirm: scope !== "session" };
    },
  };
}

/**
 * The reason a course team gives for a change, kept in the history: optional, unless the course
 * requires one (`setRequired`). `value()` is the text, or throws the message to show when a required
 * reason is missing.
 */
export function reasonField(app, id) {
  const s = app.strings;
  const input = h("textarea", { id, class: "lm-input", rows: 2, maxlength: app.config.reasonMaxLength });
  const marker = h("span", { class: "lm-muted", text: s.optionalField });
  let required = false;
  return {
    element: h(
      "div",
      { class: "lm-field" },
      h("label", { for: id }, s.reason, " ", marker),
      input,
      h("p", { class: "lm-hint", text: s.reasonHint }),
    ),
    setRequired(value) {
      required = value;
      input.required = value;
      marker.textContent = value ? s.requiredByCourse : s.optionalField;
    },
    value() {
      const text = input.value.trim();
      if (required && !text) {
        input.focus();
        throw new Error(s.reasonMissing);
      }
      return text;
    },
  };
}

/**
 * Follow the background job at `statusUrl` in `dialog`: `intro`, a progress bar updated at each poll
 * and a button to close the dialog and keep the job running. Resolves to the finished job, or to
 * undefined when the job failed or could not be followed: the error is shown in the dialog or, once
 * the dialog is closed, announced. A job that ends after its dialog was closed has changed learners
 * the list shows: the list reloads.
 */
export async function followJob(app, dialog, statusUrl, intro) {
  const s = app.strings;
  const progress = jobProgress(s);
  replace(dialog.body, h("p", { text: intro }), progress.element);
  dialog.setActions([{ label: s.runInBackground, onClick: () => dialog.close() }]);
  dialog.focus(dialog.footer.querySelector("button"));
  let job;
  try {
    job = await app.api.follow(statusUrl, progress.update);
  } catch (error) {
    if (dialog.isOpen) {
      replace(dialog.body);
      dialog.showError(error.message);
      dialog.setActions([{ label: s.close, kind: "primary", onClick: () => dialog.close() }]);
      dialog.focus(dialog.footer.querySelector("button"));
    } else app.announce(error.message, true);
  }
  if (!dialog.isOpen) app.learners.load();
  return job;
}
