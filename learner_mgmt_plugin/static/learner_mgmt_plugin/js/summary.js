// The course summary above the learner list: its figures, each a button that filters the list to the
// learners it counts, and the completions of the last twelve weeks as a bar chart drawn in SVG, with
// the same numbers in a table for screen readers.

import { fmt, h, replace } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const CHART = { width: 360, height: 96, gap: 6, label: 14 };

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) element.append(child);
  return element;
}

export class CourseSummary {
  constructor(app, element) {
    this.app = app;
    this.strings = app.strings;
    this.element = element;
  }

  async load() {
    let summary;
    try {
      summary = await this.app.api.get("summary/");
    } catch (error) {
      // The list below reports what went wrong with the course; figures gone stale would mislead.
      this.element.hidden = true;
      return;
    }
    this.render(summary);
  }

  render(summary) {
    const s = this.strings;
    const rate = summary.required_completion_rate;
    const figures = [
      [summary.learners, s.summaryLearners, { status: "", required: "", overdue: "" }],
      [summary.required, s.summaryRequired, { status: "", required: "true", overdue: "" }],
      [summary.optional, s.summaryOptional, { status: "", required: "false", overdue: "" }],
      [summary.overdue, s.summaryOverdue, { status: "", required: "", overdue: "true" }],
      [
        rate === null ? "–" : `${rate}%`,
        fmt(s.summaryCompletionRate, { completed: summary.required_completed, required: summary.required }),
        { status: "completed", required: "true", overdue: "" },
      ],
    ];
    replace(
      this.element,
      h(
        "ul",
        { class: "lm-figures" },
        figures.map(([value, label, filter]) =>
          h(
            "li",
            {},
            h(
              "button",
              {
                type: "button",
                class: "lm-figure",
                title: s.summaryShow,
                onClick: () => this.app.learners.showOnly(filter),
              },
              h("span", { class: "lm-figure__value", text: String(value) }),
              h("span", { class: "lm-figure__label", text: label }),
            ),
          ),
        ),
      ),
      this.chart(summary.completions_per_week),
    );
    this.element.hidden = false;
  }

  /** Completions per week: bars scaled to the busiest week, and the numbers as a table. */
  chart(weeks) {
    const s = this.strings;
    const language = document.documentElement.lang || undefined;
    const day = (iso) =>
      new Date(`${iso}T00:00:00`).toLocaleDateString(language, { month: "short", day: "numeric" });
    const most = Math.max(1, ...weeks.map((week) => week.completions));
    const width = (CHART.width - CHART.gap * (weeks.length - 1)) / weeks.length;
    const room = CHART.height - CHART.label;
    const bars = weeks.map((week, index) => {
      const height = Math.max(week.completions ? 2 : 0, (room * week.completions) / most);
      return svg(
        "rect",
        {
          x: index * (width + CHART.gap),
          y: room - height,
          width,
          height,
          class: "lm-chart__bar",
        },
        svg("title", {}, fmt(s.summaryWeekBar, { week: day(week.week_start), count: week.completions })),
      );
    });
    const axis = [0, weeks.length - 1].map((index) =>
      svg(
        "text",
        {
          x: index ? CHART.width : 0,
          y: CHART.height - 2,
          "text-anchor": index ? "end" : "start",
          class: "lm-chart__axis",
        },
        day(weeks[index].week_start),
      ),
    );
    const title = fmt(s.summaryChartTitle, { weeks: weeks.length });
    return h(
      "figure",
      { class: "lm-chart" },
      h("figcaption", { class: "lm-chart__title", text: title }),
      svg(
        "svg",
        { viewBox: `0 0 ${CHART.width} ${CHART.height}`, "aria-hidden": "true", focusable: "false" },
        svg("line", { x1: 0, x2: CHART.width, y1: room, y2: room, class: "lm-chart__base" }),
        ...bars,
        ...axis,
      ),
      h(
        "table",
        { class: "lm-sr-only" },
        h("caption", { text: title }),
        h(
          "thead",
          {},
          h("tr", {}, h("th", { scope: "col", text: s.summaryWeek }), h("th", { scope: "col", text: s.summaryCompletions })),
        ),
        h(
          "tbody",
          {},
          weeks.map((week) =>
            h("tr", {}, h("td", { text: day(week.week_start) }), h("td", { text: String(week.completions) })),
          ),
        ),
      ),
    );
  }
}
