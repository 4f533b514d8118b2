// DOM and formatting helpers of the Learner Management page.
//
// Elements are built with h() from text, never from HTML strings: names, emails and messages come
// from users and must not be able to inject markup.

let lastId = 0;

/** A page-unique id for aria-labelledby and friends. */
export function uid(prefix = "lm") {
  lastId += 1;
  return `${prefix}-${lastId}`;
}

/**
 * Build an element. `props` keys: `class`, `text`, `dataset` (object), `on<Event>` (listeners),
 * `hidden`/`disabled`/`checked`/`value`... (properties when the element has them), anything else an
 * attribute (`aria-*`, `role`, ...; false and null leave it out). Children: nodes, strings, arrays,
 * or false/null (skipped).
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") element.className = value;
    else if (key === "text") element.textContent = value;
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key in element && !key.includes("-") && key !== "role" && key !== "list") {
      element[key] = value;
    } else element.setAttribute(key, value === true ? "" : value);
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : String(child));
  }
}

/** Replace an element's children. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** How a learner or user is called on the page: their full name, else their username. */
export function nameOf(person) {
  return person.name || person.username;
}

/** `template` with each `{name}` replaced by `values[name]` (the server's translated strings use them). */
export function fmt(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
}

/** A `YYYY-MM-DD` date as a local calendar date, without a time zone shift. */
function parseDate(value) {
  const [year, month, day] = value.split("-").map(Number);
  return new Date(year, month - 1, day);
}

/** The day of a `YYYY-MM-DD` date or of an ISO date-time (in the browser's time zone). */
export function formatDate(value, language) {
  if (!value) return "";
  const date = value.length === 10 ? parseDate(value) : new Date(value);
  return new Intl.DateTimeFormat(language, { dateStyle: "medium" }).format(date);
}

// A moment as the viewer reads it: in the browser's time zone, named ("Jan 5, 2027, 9:00 AM EST").
const ZONED = {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZoneName: "short",
};

/** An ISO date-time (with its offset, as the API gives them) in the browser's time zone, named. */
export function formatDateTime(value, language) {
  if (!value) return "";
  return new Intl.DateTimeFormat(language, ZONED).format(new Date(value));
}

/** From one ISO date-time to another, the zone named once: "Jan 5, 2027, 9:00 AM – 12:00 PM EST". */
export function formatTimeRange(start, end, language) {
  return new Intl.DateTimeFormat(language, ZONED).formatRange(new Date(start), new Date(end));
}

/** The browser's time zone, as the viewer knows it ("America/New_York"). */
export function timeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** A `datetime-local` input value for an ISO date-time, in the browser's time zone. */
export function toLocalInput(value) {
  const date = new Date(value);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 16);
}

const FOCUSABLE = [
  "a[href]",
  "button:not([disabled])",
  "input:not([disabled]):not([type='hidden'])",
  "select:not([disabled])",
  "textarea:not([disabled])",
  "[tabindex]:not([tabindex='-1'])",
].join(",");

/** The elements of `root` that Tab reaches, in order. */
export function focusables(root) {
  return [...root.querySelectorAll(FOCUSABLE)].filter(
    (element) => !element.closest("[hidden]") && element.getClientRects().length,
  );
}

/** Call `fn` once `delay` ms have passed without another call. */
export function debounce(fn, delay) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), delay);
  };
}
