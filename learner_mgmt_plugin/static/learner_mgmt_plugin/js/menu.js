// Menu buttons (WAI-ARIA menu button pattern): the button has aria-haspopup="menu" and
// aria-expanded; the menu is role="menu" with role="menuitem" entries. Enter, Space or Arrow Down open
// it on the first item, Arrow Up on the last; arrows, Home and End move; a letter jumps to the next
// item starting with it; Escape closes it and returns focus to the button; Tab closes it.

import { h, uid } from "./dom.js";

let openMenu = null;

/**
 * Make `button` open a menu of `items()` ([{label, onSelect, danger}]), computed when it opens.
 * The menu is placed in `container` (fixed to the viewport, so that no scrolling box clips it).
 */
export function menuButton(button, container, items) {
  const menuId = uid("lm-menu");
  button.setAttribute("aria-haspopup", "menu");
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", menuId);
  button.addEventListener("click", () => (openMenu && openMenu.button === button ? closeMenu() : show("first")));
  button.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      show(event.key === "ArrowDown" ? "first" : "last");
    }
  });

  function show(which) {
    closeMenu();
    const entries = items();
    const menu = h("ul", {
      class: "lm-menu",
      role: "menu",
      id: menuId,
      "aria-label": button.getAttribute("aria-label"),
    });
    const menuItems = entries.map((entry) => {
      const item = h("li", {
        role: "menuitem",
        tabindex: "-1",
        class: entry.danger ? "lm-menu__item lm-menu__item--danger" : "lm-menu__item",
        text: entry.label,
        dataset: { action: entry.action || "" },
        onClick: () => choose(entry),
      });
      menu.append(item);
      return item;
    });
    menu.addEventListener("keydown", (event) => onKey(event, menuItems, entries));
    container.append(menu);
    place(menu, button);
    button.setAttribute("aria-expanded", "true");
    openMenu = { button, menu };
    (which === "last" ? menuItems[menuItems.length - 1] : menuItems[0])?.focus();
  }

  function choose(entry) {
    closeMenu(true);
    entry.onSelect();
  }

  function onKey(event, menuItems, entries) {
    const index = menuItems.indexOf(document.activeElement);
    const move = (to) => {
      event.preventDefault();
      menuItems[(to + menuItems.length) % menuItems.length].focus();
    };
    if (event.key === "ArrowDown") move(index + 1);
    else if (event.key === "ArrowUp") move(index - 1);
    else if (event.key === "Home") move(0);
    else if (event.key === "End") move(menuItems.length - 1);
    else if (event.key === "Escape") {
      event.preventDefault();
      closeMenu(true);
    } else if (event.key === "Tab") closeMenu();
    else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (index >= 0) choose(entries[index]);
    } else if (event.key.length === 1 && /\S/.test(event.key)) {
      const letter = event.key.toLowerCase();
      const order = menuItems.map((_, offset) => (index + 1 + offset) % menuItems.length);
      const next = order.find((position) => menuItems[position].textContent.trim().toLowerCase().startsWith(letter));
      if (next !== undefined) move(next);
    }
  }
}

/**
 * Below the button, right-aligned to it; above it when there is no room below; within the viewport
 * whatever part of the button shows (a table scrolled sideways, a narrow screen).
 */
function place(menu, button) {
  const anchor = button.getBoundingClientRect();
  const height = menu.offsetHeight;
  const below = anchor.bottom + 4;
  const top = below + height > window.innerHeight && anchor.top - height - 4 > 0 ? anchor.top - height - 4 : below;
  const right = document.documentElement.clientWidth - 4;
  menu.style.top = `${Math.max(4, top)}px`;
  menu.style.left = `${Math.max(4, Math.min(anchor.right, right) - menu.offsetWidth)}px`;
}

/** Close the open menu, if any; `refocus` gives focus back to its button. */
export function closeMenu(refocus = false) {
  if (!openMenu) return;
  const { button, menu } = openMenu;
  openMenu = null;
  menu.remove();
  button.setAttribute("aria-expanded", "false");
  if (refocus) button.focus();
}

// A click elsewhere closes the menu; when the page scrolls it follows its button, as long as the
// button is in view.
document.addEventListener("mousedown", (event) => {
  if (openMenu && !openMenu.menu.contains(event.target) && !openMenu.button.contains(event.target)) closeMenu();
});
window.addEventListener("resize", () => closeMenu());
document.addEventListener(
  "scroll",
  () => {
    if (!openMenu) return;
    const anchor = openMenu.button.getBoundingClientRect();
    if (anchor.bottom < 0 || anchor.top > window.innerHeight) closeMenu();
    else place(openMenu.menu, openMenu.button);
  },
  true,
);
