// Entry module of the Learner Management page. Each element marked data-lm-app (the markup of
// learner_mgmt_plugin/app.html) holds its configuration as JSON: the course, where its REST API is,
// what the viewer may do there and every string, translated on the server.

import { createClient } from "./api.js";
import { AssignFlow } from "./assign.js";
import { RowActions } from "./actions.js";
import { LearnerList } from "./learners.js";
import { MassActions } from "./mass.js";
import { fillSessionFilter, loadSessions, SessionsPanel, SettingsPanel } from "./sessions.js";
import { CourseSummary } from "./summary.js";

const TOAST_MS = 6000;

function mount(root) {
  const config = JSON.parse(root.querySelector("script[type='application/json']").textContent);
  const find = (name) => root.querySelector(`[data-lm="${name}"]`);
  const polite = find("live");
  const assertive = find("alert");
  const toast = find("toast");
  let toastTimer;

  const app = {
    root,
    config,
    strings: config.strings,
    api: createClient(config),

    /** Say what happened: read out by screen readers and shown for a while. */
    announce(message, failed = false) {
      const region = failed ? assertive : polite;
      region.textContent = "";
      // A changed text node is what live regions announce, even when the message repeats.
      requestAnimationFrame(() => {
        region.textContent = message;
      });
      toast.textContent = message;
      toast.className = failed ? "lm-toast lm-toast--danger" : "lm-toast";
      toast.hidden = false;
      clearTimeout(toastTimer);
      toastTimer = setTimeout(() => app.dismissToast(), TOAST_MS);
    },

    /** Take the toast away before its time (the live regions keep what they said). */
    dismissToast() {
      clearTimeout(toastTimer);
      toast.hidden = true;
    },

    /** Where focus goes when what had it is gone (a row removed, a list re-rendered). */
    focusFallback(lost) {
      const username = lost && lost.dataset && lost.dataset.username;
      const again = username && root.querySelector(`.lm-kebab[data-username="${CSS.escape(username)}"]`);
      (again || find("table")).focus();
    },

    /** The menu label of an action. */
    actionLabel(action) {
      return config.strings.actionLabels[action] || action;
    },
  };
  app.summary = new CourseSummary(app, find("summary"));
  app.mass = new MassActions(app, find("learners-panel"));
  app.learners = new LearnerList(app, find("learners-panel"));
  app.rowActions = new RowActions(app);

  const assign = new AssignFlow(app);
  find("assign").addEventListener("click", () => assign.open());

  // Panels that load what they show when their tab is chosen.
  const panels = {
    learners: app.learners,
    sessions: config.isIlt ? new SessionsPanel(app, find("sessions-panel"), find("session")) : null,
  };
  new SettingsPanel(app, find("settings-panel"));
  tabs(root, (name) => panels[name]?.load());

  if (config.isIlt)
    loadSessions(app).then(
      (sessions) => fillSessionFilter(find("session"), sessions),
      (error) => app.announce(error.message, true),
    );
  app.learners.load();
}

/** The page's tabs (WAI-ARIA tabs, activated as they get focus): arrows, Home and End move along. */
function tabs(root, onShow) {
  const tabList = root.querySelector("[role='tablist']");
  const all = [...tabList.querySelectorAll("[role='tab']")];
  const show = (tab) => {
    for (const other of all) {
      const selected = other === tab;
      other.setAttribute("aria-selected", String(selected));
      other.tabIndex = selected ? 0 : -1;
      root.querySelector(`#${other.getAttribute("aria-controls")}`).hidden = !selected;
    }
    onShow(tab.dataset.tab);
  };
  for (const tab of all) tab.addEventListener("click", () => show(tab));
  tabList.addEventListener("keydown", (event) => {
    const index = all.indexOf(document.activeElement);
    const target = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: all.length - 1 }[event.key];
    if (index < 0 || target === undefined) return;
    event.preventDefault();
    const tab = all[(target + all.length) % all.length];
    tab.focus();
    show(tab);
  });
}

document.querySelectorAll("[data-lm-app]").forEach(mount);
