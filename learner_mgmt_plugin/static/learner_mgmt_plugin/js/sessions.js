// ILT sessions: the picker the session actions use (upcoming sessions apart from recent past ones,
// which seat learners retroactively; the server says which sessions are which), the Sessions panel
// (create, edit, delete, with capacity) and the Course settings panel (kind and credits).

import { confirmDialog, Dialog } from "./dialog.js";
import { fmt, formatTimeRange, h, replace, timeZone, toLocalInput } from "./dom.js";
import { table } from "./widgets.js";

/** The course's sessions, as they are now (seats change with every learner seated). */
export function loadSessions(app) {
  return app.api.get("sessions/").then((data) => data.results);
}

/** The learner list's session filter: one option per session, the choice kept where it still exists. */
export function fillSessionFilter(select, sessions) {
  const chosen = select.value;
  select.replaceChildren(
    select.options[0],
    ...sessions.map((session) => new Option(session.title, String(session.id))),
  );
  select.value = sessions.some((session) => String(session.id) === chosen) ? chosen : "";
  // The session filtered by is gone: the list shows every session's learners again.
  if (select.value !== chosen) select.dispatchEvent(new Event("change"));
}

function seatsText(session, s) {
  return session.capacity === null
    ? fmt(s.seatsUnlimited, { taken: session.seats_taken })
    : fmt(s.seatsOf, { taken: session.seats_taken, capacity: session.capacity });
}

function isFull(session) {
  return session.capacity !== null && session.seats_taken >= session.capacity;
}

/**
 * Radio buttons for choosing a session: upcoming (and running) sessions first, then recent past
 * sessions under their own heading and note (choosing one seats the learner retroactively). Sessions
 * beyond the retroactive window are not offered; full ones are shown but not choosable, and so is
 * `current`, the learner's own, marked as theirs rather than as unavailable. Times are the viewer's,
 * their time zone named.
 */
export function sessionPicker(app, sessions, { current = null } = {}) {
  const s = app.strings;
  const language = app.config.language;
  const upcoming = sessions.filter((session) => !session.is_past);
  const recent = sessions.filter((session) => session.is_past && session.within_retroactive_window).reverse();
  const option = (session, retroactive) => {
    const id = `lm-session-${session.id}`;
    const own = session.id === current;
    const full = !own && isFull(session);
    const kind = own ? " lm-session-option--current" : retroactive ? " lm-session-option--past" : "";
    return h(
      "div",
      { class: `lm-radio lm-session-option${kind}` },
      h("input", { type: "radio", name: "lm-session", id, value: String(session.id), disabled: own || full }),
      h(
        "label",
        { for: id },
        h(
          "span",
          { class: "lm-radio__label" },
          session.title,
          own && h("span", { class: "lm-flag lm-flag--info", text: s.currentSessionTag }),
          retroactive && h("span", { class: "lm-flag lm-flag--warning", text: s.retroactive }),
          full && h("span", { class: "lm-flag", text: s.full }),
        ),
        h(
          "span",
          { class: "lm-hint lm-session-option__when" },
          formatTimeRange(session.start, session.end, language),
          session.location && ` · ${session.location}`,
          ` · ${seatsText(session, s)}`,
        ),
      ),
    );
  };
  const group = (legend, note, items, retroactive) =>
    h(
      "fieldset",
      { class: `lm-fieldset${retroactive ? " lm-fieldset--past" : ""}` },
      h("legend", { text: legend }),
      note && h("p", { class: "lm-hint", text: note }),
      items.length
        ? items.map((session) => option(session, retroactive))
        : h("p", { class: "lm-muted", text: s.noSessionsInGroup }),
    );
  const element = h(
    "div",
    { class: "lm-session-picker" },
    group(s.upcomingSessions, null, upcoming, false),
    group(s.recentPastSessions, s.recentPastNote, recent, true),
    h("p", { class: "lm-hint", text: s.olderSessionsNote }),
  );
  return { element, value: () => Number(element.querySelector("input:checked")?.value) || null };
}

/** The Sessions panel of an ILT course. */
export class SessionsPanel {
  constructor(app, panel, filter) {
    this.app = app;
    this.filter = filter;
    this.list = panel.querySelector('[data-lm="sessions"]');
    panel.querySelector('[data-lm="add-session"]').addEventListener("click", () => this.edit(null));
  }

  async load() {
    const s = this.app.strings;
    let sessions;
    try {
      sessions = await loadSessions(this.app);
    } catch (error) {
      replace(this.list, h("div", { class: "lm-alert lm-alert--danger", role: "alert", text: error.message }));
      return;
    }
    fillSessionFilter(this.filter, sessions);
    if (!sessions.length) {
      replace(this.list, h("p", { class: "lm-muted", text: s.noSessions }));
      return;
    }
    const language = this.app.config.language;
    replace(
      this.list,
      table(
        [
          s.session,
          s.when,
          s.location,
          s.instructor,
          s.seats,
          s.sessionState,
          h("span", { class: "lm-sr-only", text: s.actions }),
        ],
        sessions.map((session) => [
          h("strong", { text: session.title }),
          formatTimeRange(session.start, session.end, language),
          session.location || "—",
          session.instructor || "—",
          seatsText(session, s),
          stateFlag(session, s),
          h(
            "div",
            { class: "lm-row-buttons" },
            h("button", {
              type: "button",
              class: "lm-btn lm-btn--link",
              text: s.edit,
              "aria-label": fmt(s.editSession, { title: session.title }),
              onClick: () => this.edit(session),
            }),
            h("button", {
              type: "button",
              class: "lm-btn lm-btn--link lm-btn--link-danger",
              text: s.delete,
              "aria-label": fmt(s.deleteSession, { title: session.title }),
              onClick: () => this.remove(session),
            }),
          ),
        ]),
      ),
    );
  }

  edit(session) {
    const s = this.app.strings;
    const field = (id, label, input, hint) =>
      h(
        "div",
        { class: "lm-field" },
        h("label", { for: id, text: label }),
        input,
        hint && h("p", { class: "lm-hint", text: hint }),
      );
    const inputs = {
      title: h("input", {
        id: "lm-session-title",
        class: "lm-input",
        value: session ? session.title : "",
        required: true,
      }),
      start: h("input", {
        id: "lm-session-start",
        class: "lm-input",
        type: "datetime-local",
        value: session ? toLocalInput(session.start) : "",
      }),
      end: h("input", {
        id: "lm-session-end",
        class: "lm-input",
        type: "datetime-local",
        value: session ? toLocalInput(session.end) : "",
      }),
      location: h("input", { id: "lm-session-location", class: "lm-input", value: session ? session.location : "" }),
      capacity: h("input", {
        id: "lm-session-capacity",
        class: "lm-input lm-input--short",
        type: "number",
        min: "1",
        value: session && session.capacity !== null ? String(session.capacity) : "",
      }),
      instructor: h("input", {
        id: "lm-session-instructor",
        class: "lm-input",
        value: session ? session.instructor || "" : "",
      }),
    };
    const dialog = new Dialog(this.app, {
      title: session ? fmt(s.editSession, { title: session.title }) : s.addSession,
    });
    replace(
      dialog.body,
      field("lm-session-title", s.sessionTitle, inputs.title),
      h(
        "div",
        { class: "lm-field-row" },
        field("lm-session-start", s.starts, inputs.start),
        field("lm-session-end", s.ends, inputs.end),
      ),
      h("p", { class: "lm-hint lm-session-zone", text: fmt(s.sessionTimeZone, { zone: timeZone() }) }),
      field("lm-session-location", s.location, inputs.location, s.locationHint),
      h(
        "div",
        { class: "lm-field-row" },
        field("lm-session-capacity", s.capacity, inputs.capacity, s.capacityHint),
        field("lm-session-instructor", s.instructor, inputs.instructor, s.instructorHint),
      ),
    );
    const save = async () => {
      const values = {
        title: inputs.title.value.trim(),
        start: inputs.start.value && new Date(inputs.start.value).toISOString(),
        end: inputs.end.value && new Date(inputs.end.value).toISOString(),
        location: inputs.location.value.trim(),
        capacity: inputs.capacity.value ? Number(inputs.capacity.value) : null,
        instructor: inputs.instructor.value.trim() || null,
      };
      // The panel reloads while the dialog is still busy: Save cannot be clicked again meanwhile.
      const saved = await dialog.run(async () => {
        await (session
          ? this.app.api.patch(`sessions/${session.id}/`, values)
          : this.app.api.post("sessions/", values));
        await this.load();
        return true;
      });
      if (!saved) return;
      dialog.close();
      this.app.announce(fmt(session ? s.sessionSaved : s.sessionAdded, { title: values.title }));
    };
    dialog.setActions([
      { label: s.cancel, onClick: () => dialog.close() },
      { label: session ? s.save : s.addSession, kind: "primary", onClick: save },
    ]);
    dialog.open();
  }

  async remove(session) {
    const s = this.app.strings;
    const confirmed = await confirmDialog(this.app, {
      title: fmt(s.deleteSession, { title: session.title }),
      message: s.deleteSessionMessage,
      confirmLabel: s.delete,
      danger: true,
    });
    if (!confirmed) return;
    try {
      await this.app.api.delete(`sessions/${session.id}/`);
      await this.load();
      this.app.announce(fmt(s.sessionDeleted, { title: session.title }));
    } catch (error) {
      this.app.announce(error.message, true);
    }
  }
}

function stateFlag(session, s) {
  if (!session.is_past) return h("span", { class: "lm-flag lm-flag--success", text: s.upcoming });
  if (session.within_retroactive_window) return h("span", { class: "lm-flag lm-flag--warning", text: s.recentPast });
  return h("span", { class: "lm-flag", text: s.closedSession });
}

/**
 * The Course settings panel: the course's kind, the credits it awards, whether removals need a reason,
 * the reminders; and the export of the audit trail.
 */
export class SettingsPanel {
  constructor(app, panel) {
    this.app = app;
    this.form = panel.querySelector('[data-lm="settings-form"]');
    this.status = panel.querySelector('[data-lm="settings-status"]');
    this.credits = app.root.querySelector('[data-lm="credits"]');
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    this.audit = panel.querySelector('[data-lm="audit-form"]');
    this.auditStatus = panel.querySelector('[data-lm="audit-status"]');
    this.audit.addEventListener("submit", (event) => {
      event.preventDefault();
      this.exportAuditTrail(event.submitter ? event.submitter.value : "csv");
    });
  }

  /** Download the audit trail of the dates and action chosen (the server names the file). */
  exportAuditTrail(format) {
    const data = new FormData(this.audit);
    const [since, until, action] = ["since", "until", "action"].map((name) => data.get(name));
    // ISO dates compare as text.
    const wrong = since && until && until < since ? this.app.strings.auditDatesReversed : "";
    this.auditStatus.textContent = wrong;
    this.auditStatus.hidden = !wrong;
    if (wrong) return;
    window.location.assign(this.app.api.url("history/export/", { since, until, action, format }));
  }

  /** The reminder days typed ("7, 1"), or undefined when they are not whole numbers. */
  reminderDays(text) {
    const days = text.split(/[\s,;]+/).filter(Boolean);
    if (!days.every((day) => /^\d+$/.test(day))) return undefined;
    return days.map(Number);
  }

  async save() {
    const data = new FormData(this.form);
    const reminderDays = this.reminderDays(data.get("reminder_days"));
    if (!reminderDays) {
      this.show(this.app.strings.reminderDaysInvalid, true);
      return;
    }
    const button = this.form.querySelector("button[type='submit']");
    button.disabled = true;
    try {
      const saved = await this.app.api.patch("settings/", {
        kind: data.get("kind"),
        credits: data.get("credits"),
        removal_reason_required: data.get("removal_reason_required") === "on",
        reminder_days: reminderDays,
        overdue_notice: data.get("overdue_notice") === "on",
      });
      this.form.elements.reminder_days.value = saved.reminder_days.join(", ");
      this.app.config.removalReasonRequired = saved.removal_reason_required;
      // The course kind shapes the whole page (sessions, columns, mass actions): render it anew.
      if (saved.kind !== this.app.config.kind) {
        window.location.reload();
        return;
      }
      const credits = Number(saved.credits).toLocaleString(this.app.config.language, { maximumFractionDigits: 2 });
      this.credits.textContent = fmt(this.app.strings.creditsOnCompletion, { credits });
      this.show(this.app.strings.settingsSaved, false);
    } catch (error) {
      this.show(error.message, true);
    } finally {
      button.disabled = false;
    }
  }

  show(message, failed) {
    this.status.className = failed ? "lm-alert lm-alert--danger" : "lm-alert lm-alert--success";
    this.status.textContent = message;
    this.status.hidden = false;
    this.app.announce(message, failed);
  }
}
