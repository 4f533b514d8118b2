// The 3-dot menu's actions on one learner, each with the dialog it needs. Which actions a learner has
// is the server's answer (the row's `actions`); a refusal (409, e.g. the status changed meanwhile) is
// shown in the dialog with the server's message.

import { Dialog } from "./dialog.js";
import { fmt, focusables, formatDate, formatDateTime, formatTimeRange, h, nameOf, replace } from "./dom.js";
import { loadSessions, sessionPicker } from "./sessions.js";
import { DANGEROUS_ACTIONS, progressOf, reasonField, removalChoice, table, termChanges } from "./widgets.js";

export class RowActions {
  constructor(app) {
    this.app = app;
    this.strings = app.strings;
  }

  run(row, action, opener) {
    const handler = this.handlers()[action];
    if (handler) handler(row, opener);
  }

  handlers() {
    const s = this.strings;
    const simple =
      (action, path, title, message, confirmLabel, done, { method = "post", leaves = false, certificateNote } = {}) =>
      (row) =>
        this.form(row, {
          action,
          title: fmt(title, { name: nameOf(row) }),
          body: [h("p", { text: fmt(message, { name: nameOf(row) }) })],
          confirmLabel,
          submit: (reason) =>
            method === "delete"
              ? this.app.api.delete(this.path(row, path), { reason })
              : this.app.api.post(this.path(row, path), { reason }),
          done,
          certificateNote,
          leaves: () => leaves,
        });
    return {
      update_due_date: (row) => this.dueDate(row),
      reset_progress: simple(
        "reset_progress",
        "reset-progress/",
        s.resetTitle,
        s.resetMessage,
        s.resetConfirm,
        s.resetDone,
      ),
      view_history: (row) => this.history(row),
      mark_complete: simple(
        "mark_complete",
        "mark-complete/",
        s.completeTitle,
        s.completeMessage,
        s.completeConfirm,
        s.completeDone,
        { certificateNote: "after" },
      ),
      change_session: (row) => this.changeSession(row),
      mark_no_show: (row) => this.noShow(row),
      view_scorm_activity: (row) => this.scorm(row),
      view_chapter_insights: (row) => this.chapters(row),
      view_quiz_insights: (row) => this.quizzes(row),
      // The LMS's page of the certificate, where it is seen and downloaded, in a tab of its own.
      view_certificate: (row) => window.open(row.certificate.url, "_blank", "noopener"),
      make_instructor: simple(
        "make_instructor",
        "make-instructor/",
        s.instructorTitle,
        s.instructorMessage,
        s.instructorConfirm,
        s.instructorDone,
      ),
      generate_certificate: simple(
        "generate_certificate",
        "certificate/",
        s.certificateTitle,
        s.certificateMessage,
        s.certificateConfirm,
        s.certificateDone,
        { certificateNote: "instead" },
      ),
      remove_certificate: simple(
        "remove_certificate",
        "certificate/",
        s.removeCertificateTitle,
        s.removeCertificateMessage,
        s.removeCertificateConfirm,
        s.removeCertificateDone,
        { method: "delete" },
      ),
      unassign: simple(
        "unassign",
        "unassign/",
        s.unassignTitle,
        s.unassignMessage,
        s.unassignConfirm,
        s.unassignDone,
        { leaves: true },
      ),
      remove: (row) => this.remove(row),
    };
  }

  path(row, suffix = "") {
    return `learners/${encodeURIComponent(row.username)}/${suffix}`;
  }

  /**
   * A dialog that submits the change `action` makes, with the reason given below `body` (`reason`, a
   * `reasonField`, or an optional one): `submit(reason)` and each of `extraActions`' `submit(reason)`
   * send it. On success the list reloads, the dialog closes
   * and `done` is announced; on failure the server's message stays in the dialog. Where the LMS did
   * not simply issue the learner's certificate, what it did (the updated row's note) is announced
   * `certificateNote` "after" `done` or "instead" of it. `leaves()` says whether the learner has left the list once
   * it succeeded (then they are no longer selected); `confirmDisabled` keeps the confirm button
   * disabled until the caller enables it.
   */
  form(row, options) {
    const { action, title, body, confirmLabel, submit, done, certificateNote } = options;
    const { extraActions = [], leaves = () => false, confirmDisabled = false } = options;
    const reason = options.reason || reasonField(this.app, "lm-action-reason");
    const dialog = new Dialog(this.app, { title });
    const content = h("div", {}, body);
    replace(dialog.body, content, reason.element);
    const confirm = async (work) => {
      let answer;
      // The list reloads while the dialog is still busy: its buttons cannot submit again meanwhile.
      const finished = await dialog.run(async () => {
        answer = await work();
        if (leaves()) this.app.learners.deselect(row.username);
        await this.app.learners.load();
        return true;
      });
      if (!finished) {
        // The learner changed or left meanwhile: the dialog says why, the list shows them as they are.
        if (dialog.lastError?.status === 404) this.app.learners.deselect(row.username);
        if ([404, 409].includes(dialog.lastError?.status)) this.app.learners.load();
        return;
      }
      dialog.close();
      const note = (certificateNote && answer?.data?.certificate?.note) || "";
      const message = fmt(done, { name: nameOf(row) });
      this.app.announce(note && certificateNote === "instead" ? `${nameOf(row)}: ${note}` : `${message} ${note}`.trim());
    };
    dialog.setActions([
      { label: this.strings.cancel, onClick: () => dialog.close() },
      ...extraActions.map((extra) => ({ ...extra, onClick: () => confirm(() => extra.submit(reason.value())) })),
      {
        label: confirmLabel,
        kind: DANGEROUS_ACTIONS.has(action) ? "danger" : "primary",
        id: "confirm",
        disabled: confirmDisabled,
        onClick: () => confirm(() => submit(reason.value())),
      },
    ]);
    dialog.open();
    // The action's own first input, else the harmless Cancel: not the optional reason.
    dialog.focus(focusables(content)[0] || dialog.footer.querySelector("button"));
    return dialog;
  }

  dueDate(row) {
    const s = this.strings;
    const input = h("input", {
      type: "date",
      id: "lm-due-date",
      class: "lm-input",
      // The server's today: it refuses earlier dates, whatever the browser's clock says.
      min: this.app.config.today,
      value: row.due_date || "",
      required: true,
    });
    this.form(row, {
      action: "update_due_date",
      title: fmt(row.due_date ? s.dueDateUpdateTitle : s.dueDateAddTitle, { name: nameOf(row) }),
      body: [
        h("div", { class: "lm-field" }, h("label", { for: "lm-due-date", text: s.dueDate }), input),
        h("p", { class: "lm-hint", text: s.dueDateHint }),
      ],
      confirmLabel: s.save,
      submit: (reason) => {
        if (!input.value) throw new Error(s.dueDateMissing);
        return this.app.api.post(this.path(row, "due-date/"), { due_date: input.value, reason });
      },
      done: s.dueDateDone,
      extraActions: row.due_date
        ? [
            {
              label: s.dueDateRemove,
              id: "remove-due-date",
              submit: (reason) => this.app.api.post(this.path(row, "due-date/"), { due_date: null, reason }),
            },
          ]
        : [],
    });
  }

  async changeSession(row) {
    const s = this.strings;
    const sessions = await this.loadOrAnnounce(() => loadSessions(this.app));
    if (!sessions) return;
    const picker = sessionPicker(this.app, sessions, { current: row.session && row.session.id });
    this.form(row, {
      action: "change_session",
      title: fmt(row.session ? s.changeSessionTitle : s.addSessionTitle, { name: nameOf(row) }),
      body: [
        row.session &&
          h("p", {
            text: fmt(s.currentSession, {
              title: row.session.title,
              when: formatTimeRange(row.session.start, row.session.end, this.app.config.language),
            }),
          }),
        picker.element,
      ],
      confirmLabel: row.session ? s.changeSessionConfirm : s.addSessionConfirm,
      submit: (reason) => {
        const sessionId = picker.value();
        if (!sessionId) throw new Error(s.chooseSession);
        return this.app.api.post(this.path(row, "change-session/"), { session_id: sessionId, reason });
      },
      done: s.sessionDone,
    });
  }

  noShow(row) {
    const s = this.strings;
    const message = h("textarea", { id: "lm-no-show-message", class: "lm-input", rows: 4 });
    this.form(row, {
      action: "mark_no_show",
      title: fmt(s.noShowTitle, { name: nameOf(row) }),
      body: [
        h("p", { text: fmt(s.noShowMessage, { name: nameOf(row), session: row.session ? row.session.title : "" }) }),
        h(
          "div",
          { class: "lm-field" },
          h(
            "label",
            { for: "lm-no-show-message" },
            s.privateMessage,
            " ",
            h("span", { class: "lm-muted", text: s.optionalField }),
          ),
          message,
          h("p", { class: "lm-hint", text: s.privateMessageHint }),
        ),
      ],
      confirmLabel: s.noShowConfirm,
      submit: (reason) => this.app.api.post(this.path(row, "mark-no-show/"), { message: message.value, reason }),
      done: s.noShowDone,
    });
  }

  remove(row) {
    const s = this.strings;
    const removal = removalChoice(this.app, "lm-remove-scope", { seated: Boolean(row.session) });
    const reason = removal.reason("lm-action-reason");
    const dialog = this.form(row, {
      action: "remove",
      title: fmt(s.removeTitle, { name: nameOf(row) }),
      body: removal.element,
      reason,
      confirmLabel: s.removeConfirm,
      submit: (text) => this.app.api.post(this.path(row, "remove/"), { ...removal.values(), reason: text }),
      done: s.removeDone,
      // Taken out of their session only, they stay in the list.
      leaves: () => removal.values().scope !== "session",
      // In an ILT course, nothing is removed until the scope is chosen.
      confirmDisabled: !removal.chosen(),
    });
    removal.onChoose(() => dialog.setEnabled("confirm", true));
  }

  // Views

  /** Load a learner view into a wide dialog; `render(data)` gives its content. */
  async view(row, title, path, render, footer = []) {
    const data = await this.loadOrAnnounce(() => this.app.api.get(this.path(row, path)));
    if (!data) return;
    const dialog = new Dialog(this.app, { title: fmt(title, { name: nameOf(row) }), wide: true });
    replace(dialog.body, render(data));
    dialog.setActions([{ label: this.strings.close, kind: "primary", onClick: () => dialog.close() }]);
    dialog.footer.prepend(...footer);
    dialog.open();
  }

  /**
   * Run `load` (what a dialog needs before it opens); on failure announce the server's message and
   * return undefined. While one load runs, another returns undefined at once: a double click opens
   * one dialog.
   */
  async loadOrAnnounce(load) {
    if (this.loading) return undefined;
    this.loading = true;
    try {
      return await load();
    } catch (error) {
      this.app.announce(error.message, true);
      return undefined;
    } finally {
      this.loading = false;
    }
  }

  history(row) {
    const s = this.strings;
    const language = this.app.config.language;
    return this.view(row, s.historyTitle, "history/", (data) => [
      data.sessions.length
        ? [
            h("h3", { class: "lm-subheading", text: s.sessionsAttended }),
            table(
              [s.session, s.date, s.seatState],
              data.sessions.map((seat) => [
                seat.title,
                formatDateTime(seat.start, language),
                [
                  s.seatStates[seat.state] || seat.state,
                  seat.retroactive && h("span", { class: "lm-flag lm-flag--info", text: s.retroactive }),
                ],
              ]),
            ),
          ]
        : null,
      h("h3", { class: "lm-subheading", text: s.attempts }),
      table(
        [s.attempt, s.started, s.progress, s.completedAt, s.certificate, s.closed],
        data.attempts.map((attempt) => [
          String(attempt.number),
          formatDateTime(attempt.started_at, language) || "—",
          fmt(s.percent, { value: attempt.progress }),
          attempt.completed_at ? formatDateTime(attempt.completed_at, language) : "—",
          attempt.certificate_url
            ? h("a", {
                href: attempt.certificate_url,
                target: "_blank",
                rel: "noopener",
                text: s.viewCertificate,
              })
            : "—",
          attempt.closed_reason
            ? fmt(s.closedBecause, { reason: s.closeReasons[attempt.closed_reason] || attempt.closed_reason })
            : "—",
        ]),
      ),
      h("h3", { class: "lm-subheading", text: s.events }),
      data.events.length
        ? h(
            "ol",
            { class: "lm-timeline" },
            data.events.map((event) =>
              h(
                "li",
                { class: "lm-timeline__item" },
                h("div", { class: "lm-timeline__what", text: s.historyKinds[event.kind] || event.kind }),
                h(
                  "div",
                  { class: "lm-learner__meta" },
                  formatDateTime(event.created, language),
                  event.actor && ` · ${fmt(s.byActor, { actor: event.actor })}`,
                  event.attempt && ` · ${fmt(s.attemptNumber, { number: event.attempt })}`,
                ),
                eventDetails(event, s, language),
              ),
            ),
          )
        : h("p", { class: "lm-muted", text: s.noEvents }),
    ]);
  }

  chapters(row) {
    const s = this.strings;
    return this.view(row, s.chaptersTitle, "chapters/", (data) =>
      data.results.length
        ? table(
            [s.chapter, s.progress, s.completedAt],
            data.results.map((chapter) => [
              chapter.title,
              progressOf(chapter.progress, s),
              chapter.completed_at ? formatDateTime(chapter.completed_at, this.app.config.language) : "—",
            ]),
          )
        : h("p", { class: "lm-muted", text: s.noChapters }),
    );
  }

  quizzes(row) {
    const s = this.strings;
    const exportLink = h("a", {
      class: "lm-btn lm-btn--secondary lm-dialog__aside",
      href: this.app.api.url(this.path(row, "quizzes/"), { format: "xlsx" }),
      download: "",
      text: s.exportXlsx,
    });
    return this.view(
      row,
      s.quizzesTitle,
      "quizzes/",
      (data) =>
        data.results.length
          ? data.results.map((quiz) =>
              h(
                "section",
                { class: "lm-quiz" },
                h("h3", { class: "lm-subheading", text: quiz.title }),
                h(
                  "p",
                  { class: "lm-learner__meta" },
                  quiz.score === null ? s.quizNotScored : fmt(s.quizScore, { score: quiz.score }),
                  " · ",
                  fmt(s.quizAttempts, { count: quiz.attempts }),
                ),
                table(
                  [s.question, s.answer, s.result],
                  quiz.questions.map((question) => [
                    question.question,
                    question.answer || h("span", { class: "lm-muted", text: s.notAnswered }),
                    question.correct === null
                      ? "—"
                      : h("span", {
                          class: question.correct ? "lm-flag lm-flag--success" : "lm-flag lm-flag--danger",
                          text: question.correct ? s.correct : s.incorrect,
                        }),
                  ]),
                ),
              ),
            )
          : h("p", { class: "lm-muted", text: s.noQuizzes }),
      [exportLink],
    );
  }

  scorm(row) {
    const s = this.strings;
    return this.view(row, s.scormTitle, "scorm-activity/", (data) =>
      data.results.length
        ? table(
            [s.time, s.verb, s.object, s.result],
            data.results.map((record) => [
              formatDateTime(record.timestamp, this.app.config.language),
              record.verb,
              record.object,
              record.result || "—",
            ]),
          )
        : h("p", { class: "lm-muted", text: s.noScorm }),
    );
  }
}

// The events of an assignment keep the message sent to the learner where others keep the reason.
const ASSIGNMENT_EVENTS = new Set(["assigned", "assignment_updated", "reassigned"]);

/**
 * What an event's details say, in words: the session, the due date change, what a new assignment
 * changed of the terms, the message sent, the reason the course team gave.
 */
function eventDetails(event, s, language) {
  const details = event.details || {};
  const parts = [];
  const assignment = ASSIGNMENT_EVENTS.has(event.kind);
  let message = assignment ? event.reason : details.message || "";
  const reason = assignment ? "" : event.reason;
  if (details.session_title) parts.push(fmt(s.detailSession, { title: details.session_title }));
  if (details.previous) {
    const changes = termChanges(details.previous, { ...details, message }, s, language);
    parts.push(...(changes.length ? changes : [s.termsUnchangedEvent]));
    // A changed message is one of the changes, already quoted.
    if (details.previous.message !== message) message = "";
  }
  if (event.kind === "due_date_changed") {
    parts.push(
      fmt(s.detailDueDate, {
        from: details.from ? formatDate(details.from, language) : s.none,
        to: details.to ? formatDate(details.to, language) : s.none,
      }),
    );
  }
  if (details.retroactive) parts.push(s.retroactive);
  if (details.role) parts.push(fmt(s.detailRole, { role: details.role }));
  if (event.kind === "reminder_sent" || event.kind === "overdue_notice_sent") {
    const date = formatDate(details.due_date, language);
    parts.push(
      event.kind === "reminder_sent" ? fmt(s.detailReminder, { days: details.days_before, date }) : fmt(s.detailOverdueNotice, { date }),
    );
  }
  if (!parts.length && !message && !reason) return null;
  return h(
    "div",
    { class: "lm-timeline__details" },
    parts.join(" · "),
    message && h("blockquote", { class: "lm-quote", text: message }),
    reason && h("p", { class: "lm-timeline__reason" }, h("strong", { text: s.reasonLabel }), " ", reason),
  );
}
