// The learner list: status chips with counts, search and filters, the table with its menus, sorting,
// paging, and the selection that mass actions work on (a set of learners, or every learner the
// filters match, across pages).

import { Dialog } from "./dialog.js";
import { menuButton } from "./menu.js";
import { debounce, fmt, formatDate, h, nameOf, replace } from "./dom.js";
import { DANGEROUS_ACTIONS, followJob, progressOf } from "./widgets.js";

export class LearnerList {
  constructor(app, panel) {
    this.app = app;
    this.strings = app.strings;
    const find = (name) => panel.querySelector(`[data-lm="${name}"]`);
    this.elements = {
      chips: find("chips"),
      search: find("search"),
      required: find("required"),
      session: find("session"),
      rows: find("rows"),
      selectPage: find("select-page"),
      range: find("range"),
      pageLabel: find("page-label"),
      previous: find("previous"),
      next: find("next"),
      pageSize: find("page-size"),
      error: find("list-error"),
      table: find("table"),
      sortButtons: [...panel.querySelectorAll("[data-sort]")],
      exportButtons: [...panel.querySelectorAll('[data-lm="export"]')],
    };
    this.headings = [...this.elements.table.tHead.rows[0].cells].map((heading) => heading.textContent.trim());
    this.query = {
      status: "",
      search: "",
      required: "",
      overdue: "",
      session: "",
      ordering: "name",
      page: 1,
      pageSize: app.config.pageSize,
    };
    this.page = { count: 0, results: [], status_counts: {} };
    // Selected learners (username -> row), or every learner the filters match.
    this.selected = new Map();
    this.allMatching = false;
    this.bind();
  }

  bind() {
    const { search, required, session, selectPage, previous, next, pageSize, sortButtons } = this.elements;
    const searchNow = debounce(() => this.setFilter({ search: search.value.trim() }), 300);
    search.addEventListener("input", searchNow);
    // "Overdue" is a choice of the same select: due before today and not completed.
    required.addEventListener("change", () => {
      const overdue = required.value === "overdue";
      this.setFilter({ required: overdue ? "" : required.value, overdue: overdue ? "true" : "" });
    });
    if (session) session.addEventListener("change", () => this.setFilter({ session: session.value }));
    selectPage.addEventListener("change", () => this.selectPage(selectPage.checked));
    previous.addEventListener("click", () => this.goTo(this.query.page - 1));
    next.addEventListener("click", () => this.goTo(this.query.page + 1));
    pageSize.addEventListener("change", () => {
      this.query.pageSize = Number(pageSize.value);
      this.goTo(1);
    });
    for (const button of sortButtons) button.addEventListener("click", () => this.sortBy(button.dataset.sort));
    for (const button of this.elements.exportButtons) {
      button.addEventListener("click", () => this.download(button.dataset.format));
    }
  }

  /**
   * Download every learner the filters match, in the list's order (the server names the file); more
   * than `exportBackgroundRows` are exported by a background job, followed in a dialog, and the file
   * is downloaded once it is written.
   */
  async download(format) {
    const { status, search, required, overdue, session, ordering } = this.query;
    if (this.page.count <= this.app.config.exportBackgroundRows) {
      window.location.assign(
        this.app.api.url("learners/export/", { status, search, required, overdue, session, ordering, format }),
      );
      return;
    }
    const s = this.strings;
    const dialog = new Dialog(this.app, { title: s.exportTitle });
    dialog.open();
    const response = await dialog.run(() =>
      this.app.api.post("exports/", { ...this.filters(), ordering, format }),
    );
    if (!response) {
      dialog.setActions([{ label: s.close, kind: "primary", onClick: () => dialog.close() }]);
      return;
    }
    const running = fmt(s.exportRunning, { count: this.page.count });
    const job = await followJob(this.app, dialog, response.data.status_url, running);
    if (!job) return;
    window.location.assign(job.download_url);
    if (!dialog.isOpen) {
      this.app.announce(fmt(s.exportReady, { filename: job.filename }));
      return;
    }
    replace(
      dialog.body,
      h("p", { text: fmt(s.exportReady, { filename: job.filename }) }),
      h("a", { href: job.download_url, class: "lm-btn lm-btn--secondary", text: s.exportDownloadAgain }),
    );
    dialog.setActions([{ label: s.close, kind: "primary", onClick: () => dialog.close() }]);
    dialog.focus(dialog.footer.querySelector("button"));
  }

  /** Change filters: back to the first page, and a selection made under other filters is dropped. */
  setFilter(changes) {
    Object.assign(this.query, changes, { page: 1 });
    this.clearSelection();
    return this.load({ browsing: true });
  }

  /** Show the learners a summary figure counts: its filters replace the list's, and no search narrows them. */
  showOnly(filter) {
    const { search, required, session } = this.elements;
    // The summary counts the whole course: no search or session narrows what its figure shows.
    search.value = "";
    if (session) session.value = "";
    required.value = filter.overdue ? "overdue" : filter.required;
    return this.setFilter({ search: "", session: "", ...filter });
  }

  sortBy(field) {
    const ordering = this.query.ordering === field ? `-${field}` : field;
    Object.assign(this.query, { ordering, page: 1 });
    return this.load({ browsing: true });
  }

  goTo(page) {
    this.query.page = page;
    return this.load({ browsing: true });
  }

  /** The list's filters, as the mass-action endpoint takes them for "every learner that matches". */
  filters() {
    const { status, search, required, overdue, session } = this.query;
    const filter = {};
    if (status) filter.status = status;
    if (search) filter.search = search;
    if (required) filter.required = required === "true";
    if (overdue) filter.overdue = true;
    if (session) filter.session = Number(session);
    return filter;
  }

  /**
   * Show the list as the server has it now; unless only `browsing` (filters, pages, order), the
   * learners may have changed, and the summary is read again too.
   */
  async load({ browsing = false } = {}) {
    const { status, search, required, overdue, session, ordering, page, pageSize } = this.query;
    if (!browsing) this.app.summary.load();
    // Answers may arrive out of order (typing in the search box): only the latest request's is shown.
    this.latest = (this.latest || 0) + 1;
    const request = this.latest;
    this.elements.table.setAttribute("aria-busy", "true");
    try {
      const data = await this.app.api.get("learners/", {
        status,
        search,
        required,
        overdue,
        session,
        ordering,
        page,
        page_size: pageSize,
      });
      if (request !== this.latest) return undefined;
      const lastPage = Math.max(1, Math.ceil(data.count / pageSize));
      // The list shrank under us (learners removed elsewhere): show its last page instead.
      if (!data.results.length && page > lastPage) return this.goTo(lastPage);
      this.page = data;
      this.elements.error.hidden = true;
      this.render();
    } catch (error) {
      if (request !== this.latest) return undefined;
      replace(this.elements.error, error.message);
      this.elements.error.hidden = false;
    }
    this.elements.table.setAttribute("aria-busy", "false");
    return undefined;
  }

  render() {
    this.renderChips();
    this.renderRows();
    this.renderPager();
    this.renderSorting();
    this.syncRows();
  }

  renderChips() {
    const counts = this.page.status_counts;
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
    const chip = (value, label, count) =>
      h(
        "button",
        {
          type: "button",
          class: "lm-chip",
          "aria-pressed": String(this.query.status === value),
          dataset: { status: value },
          onClick: () => this.setFilter({ status: value }),
        },
        h("span", { class: "lm-chip__label", text: label }),
        h("span", { class: "lm-chip__count", text: String(count) }),
      );
    const focused = this.elements.chips.contains(document.activeElement) ? document.activeElement.dataset.status : null;
    replace(
      this.elements.chips,
      chip("", this.strings.allLearners, total),
      this.app.config.statuses.map((status) => chip(status.value, status.label, counts[status.value] || 0)),
    );
    // The chip chosen with the keyboard keeps the focus in its new rendering.
    if (focused !== null) this.elements.chips.querySelector(`[data-status="${focused}"]`).focus();
  }

  renderRows() {
    const rows = this.page.results;
    if (!rows.length) {
      const columns = this.elements.table.tHead.rows[0].cells.length;
      const { status, search, required, overdue, session } = this.query;
      const empty = status || search || required || overdue || session;
      replace(
        this.elements.rows,
        h(
          "tr",
          {},
          h("td", {
            colspan: columns,
            class: "lm-empty",
            text: empty ? this.strings.noMatches : this.strings.noLearners,
          }),
        ),
      );
      return;
    }
    replace(
      this.elements.rows,
      rows.map((row) => this.renderRow(row)),
    );
  }

  renderRow(row) {
    const s = this.strings;
    const language = this.app.config.language;
    const name = nameOf(row);
    const checkbox = h("input", {
      type: "checkbox",
      class: "lm-checkbox",
      "aria-label": fmt(s.selectLearner, { name }),
      onChange: (event) => this.toggle(row, event.target.checked),
    });
    const menu = h(
      "button",
      {
        type: "button",
        class: "lm-icon-btn lm-kebab",
        "aria-label": fmt(s.actionsFor, { name }),
        dataset: { username: row.username },
      },
      h("span", { "aria-hidden": "true", class: "lm-kebab__dots" }),
    );
    menuButton(menu, this.app.root, () =>
      row.actions.map((action) => ({
        action,
        label: this.app.actionLabel(action),
        danger: DANGEROUS_ACTIONS.has(action),
        onSelect: () => this.app.rowActions.run(row, action, menu),
      })),
    );
    const due = row.due_date
      ? h(
          "span",
          { class: row.overdue ? "lm-due lm-due--overdue" : "lm-due" },
          formatDate(row.due_date, language),
          row.overdue && h("span", { class: "lm-flag lm-flag--danger", text: s.overdue }),
          row.last_reminder_at &&
            h("span", {
              class: "lm-due__reminded",
              text: fmt(s.lastReminder, { date: formatDate(row.last_reminder_at, language) }),
            }),
        )
      : h("span", { class: "lm-muted", text: s.noDueDate });
    // Each cell knows its column's heading: a narrow screen shows the row as a card, the headings in it.
    const cell = (column, ...content) =>
      h("td", { class: `lm-cell-${column}`, dataset: { label: this.headings[COLUMNS.indexOf(column)] } }, ...content);
    const cells = [
      h("td", { class: "lm-col-select" }, checkbox),
      h(
        "td",
        { class: "lm-learner" },
        h("div", { class: "lm-learner__name", text: name }),
        h("div", { class: "lm-learner__meta", text: row.email }),
        h(
          "div",
          { class: "lm-learner__meta" },
          row.username,
          row.employee_id && ` · ${fmt(s.employeeId, { id: row.employee_id })}`,
        ),
      ),
      cell("status", h("span", { class: `lm-badge lm-badge--${row.status}`, text: row.status_label })),
      cell("progress", progressOf(row.progress, s)),
      cell(
        "type",
        h("span", {
          class: row.required ? "lm-tag lm-tag--required" : "lm-tag",
          text: row.required ? s.required : s.optional,
        }),
      ),
      cell("due", due),
      cell("assigned", row.assigned_by || h("span", { class: "lm-muted", text: "—" })),
    ];
    if (this.app.config.isIlt) cells.push(cell("session", sessionCell(row.session, s, language)));
    cells.push(h("td", { class: "lm-col-actions" }, menu));
    return h("tr", { class: "lm-row", dataset: { username: row.username } }, cells);
  }

  renderPager() {
    const { count } = this.page;
    const { page, pageSize } = this.query;
    const lastPage = Math.max(1, Math.ceil(count / pageSize));
    const first = count ? (page - 1) * pageSize + 1 : 0;
    const last = Math.min(count, page * pageSize);
    this.elements.range.textContent = fmt(this.strings.showingRange, { first, last, count });
    this.elements.pageLabel.textContent = fmt(this.strings.pageOf, { page, pages: lastPage });
    this.elements.previous.disabled = page <= 1;
    this.elements.next.disabled = page >= lastPage;
  }

  renderSorting() {
    const field = this.query.ordering.replace(/^-/, "");
    const direction = this.query.ordering.startsWith("-") ? "descending" : "ascending";
    for (const button of this.elements.sortButtons) {
      const header = button.closest("th");
      if (button.dataset.sort === field) header.setAttribute("aria-sort", direction);
      else header.removeAttribute("aria-sort");
    }
  }

  // Selection

  toggle(row, checked) {
    if (checked) this.selected.set(row.username, row);
    else this.selected.delete(row.username);
    this.syncRows();
  }

  selectPage(checked) {
    for (const row of this.page.results) {
      if (checked) this.selected.set(row.username, row);
      else this.selected.delete(row.username);
    }
    this.allMatching = false;
    this.syncRows();
  }

  /** Show the selection in the rows in place (re-rendering them would take focus from a checkbox). */
  syncRows() {
    for (const tr of this.elements.rows.querySelectorAll("tr[data-username]")) {
      const checked = this.allMatching || this.selected.has(tr.dataset.username);
      const checkbox = tr.querySelector(".lm-checkbox");
      checkbox.checked = checked;
      checkbox.disabled = this.allMatching;
      tr.classList.toggle("lm-row--selected", checked);
    }
    this.renderSelection();
  }

  selectAllMatching() {
    this.allMatching = true;
    this.syncRows();
    this.app.announce(fmt(this.strings.allMatchingSelected, { count: this.page.count }));
  }

  clearSelection() {
    this.selected.clear();
    this.allMatching = false;
  }

  /** A learner who left the list (unassigned, removed) is no longer selected; the next load shows it. */
  deselect(username) {
    this.selected.delete(username);
  }

  /** What is selected: {count, users} for chosen learners or {count, filter} for every match. */
  selection() {
    if (this.allMatching) return { count: this.page.count, filter: this.filters() };
    return { count: this.selected.size, users: [...this.selected.keys()] };
  }

  renderSelection() {
    const onPage = this.page.results.filter((row) => this.allMatching || this.selected.has(row.username)).length;
    const box = this.elements.selectPage;
    box.checked = Boolean(this.page.results.length) && onPage === this.page.results.length;
    box.indeterminate = onPage > 0 && onPage < this.page.results.length;
    box.disabled = this.allMatching || !this.page.results.length;
    this.app.mass.update(this.selection(), {
      pageSelected: box.checked && !this.allMatching,
      pageCount: this.page.results.length,
      matching: this.page.count,
    });
  }
}

// The table's columns, in the order of its headings (app.html): the select box, the learner, what
// the cells are named by (lm-cell-<column>), then the menu; "session" in ILT courses only.
const COLUMNS = ["select", "learner", "status", "progress", "type", "due", "assigned", "session"];

function sessionCell(session, strings, language) {
  if (!session) return h("span", { class: "lm-muted", text: "—" });
  return h(
    "div",
    { class: "lm-session-cell" },
    h("div", { class: "lm-session-cell__title", text: session.title }),
    h(
      "div",
      { class: "lm-learner__meta" },
      formatDate(session.start, language),
      session.retroactive && h("span", { class: "lm-flag lm-flag--info", text: strings.retroactive }),
    ),
  );
}
