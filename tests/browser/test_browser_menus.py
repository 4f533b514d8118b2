"""
The 3-dot menu of each learner offers exactly the actions the API lists for them, for each status
of the seed page, and works with the keyboard as a WAI-ARIA menu button.
"""

import pytest
from playwright.sync_api import expect

from learner_mgmt_plugin import api
from learner_mgmt_plugin.instructor_dashboard.strings import action_labels
from test_utils.browser import ILT, SELF_PACED, menu_labels, open_menu, row

pytestmark = pytest.mark.browser

DUE_DATE = "Update/Add Course Due Date"
COMMON_START = [DUE_DATE]


def labels_for(course_key, username, viewer):
    """
    The menu labels of the actions the API lists for the learner, in the API's order.
    """
    labels = action_labels()
    return [labels[action] for action in api.get_learner(course_key, username, viewer=viewer).actions]


SELF_PACED_MENUS = {
    # status: (learner, the menu the seed page describes for that status)
    "Not Started": (
        "ana.costa",
        [DUE_DATE, "View History", "Mark as Complete", "View Chapter Insights", "View Quiz Insights"]
        + ["Make Instructor", "Unassign User", "Remove User"],
    ),
    "Started": (
        "ben.okafor",
        [DUE_DATE, "Reset progress", "View History", "Mark as Complete", "View SCORM/xAPI Activity"]
        + ["View Chapter Insights", "View Quiz Insights", "Make Instructor", "Unassign User", "Remove User"],
    ),
    "XX% Completed": (
        "dev.patel",
        [DUE_DATE, "Reset progress", "View History", "Mark as Complete", "View SCORM/xAPI Activity"]
        + ["View Chapter Insights", "View Quiz Insights", "Make Instructor", "Unassign User", "Remove User"],
    ),
    "Completed (certificate to generate)": (
        "femi.adams",
        [DUE_DATE, "Reset progress", "View History", "View SCORM/xAPI Activity", "View Chapter Insights"]
        + ["View Quiz Insights", "Make Instructor", "Remove/Generate Certificate", "Remove User"],
    ),
    "Completed (certificate to remove)": (
        "grace.weber",
        [DUE_DATE, "Reset progress", "View History", "View SCORM/xAPI Activity", "View Chapter Insights"]
        + ["View Quiz Insights", "Make Instructor", "View Certificate", "Remove/Generate Certificate", "Remove User"],
    ),
}


def test_each_status_has_its_menu_for_a_platform_admin(world, open_as, screenshot):
    world.self_paced_learners()
    page = open_as(world.admin, SELF_PACED)

    for status, (username, expected) in SELF_PACED_MENUS.items():
        assert menu_labels(page, username) == expected == labels_for(SELF_PACED, username, world.admin), status
    # What takes something away is styled as destructive.
    for username, dangerous in (
        ("ben.okafor", ["Unassign User", "Remove User"]),
        ("grace.weber", ["Remove/Generate Certificate", "Remove User"]),
    ):
        expect(open_menu(page, username).locator(".lm-menu__item--danger")).to_have_text(dangerous)
        page.keyboard.press("Escape")

    menu = open_menu(page, "dev.patel")
    expect(menu).to_be_visible()
    # The menu, with the rows above it.
    table, shown = page.locator(".lm-table-wrap").bounding_box(), menu.bounding_box()
    top = row(page, "chloe.lopez").bounding_box()["y"]
    screenshot(
        "action-menu",
        clip={"x": table["x"], "y": top, "width": table["width"], "height": shown["y"] + shown["height"] + 16 - top},
    )


def test_course_staff_get_no_scorm_activity(self_paced, world):
    page = self_paced

    for username in ("ben.okafor", "dev.patel", "femi.adams"):
        labels = menu_labels(page, username)
        assert "View SCORM/xAPI Activity" not in labels
        assert labels == labels_for(SELF_PACED, username, world.staff)


def test_the_ilt_menus_offer_the_session_actions(ilt, world):
    page = ilt

    enrolled = menu_labels(page, "hiro.tanaka")
    not_seated = menu_labels(page, "jon.eriksen")
    completed = menu_labels(page, "lena.fischer")

    assert enrolled == [
        DUE_DATE,
        "View History",
        "Mark as Complete",
        "Change/Add to Session",
        "Mark as No Show",
        "Make Instructor",
        "Unassign User",
        "Remove User",
    ]
    assert "Change/Add to Session" in not_seated and "Mark as No Show" not in not_seated
    for username, labels in (("hiro.tanaka", enrolled), ("jon.eriksen", not_seated), ("lena.fischer", completed)):
        assert labels == labels_for(ILT, username, world.staff)


def test_the_menu_works_with_the_keyboard(self_paced):
    page = self_paced
    button = row(page, "ben.okafor").get_by_role("button", name="Actions for Ben Okafor")
    items = page.get_by_role("menu").get_by_role("menuitem")

    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("menu", name="Actions for Ben Okafor")).to_be_visible()
    expect(items.first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(items.nth(1)).to_have_text("Reset progress")
    expect(items.nth(1)).to_be_focused()
    page.keyboard.press("End")
    expect(items.last).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(items.first).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(items.last).to_be_focused()
    page.keyboard.press("Home")
    page.keyboard.press("v")
    expect(page.get_by_role("menuitem", name="View History")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("menu")).to_have_count(0)
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")

    # Arrow Up opens it on its last item; choosing with Enter opens that action's dialog.
    page.keyboard.press("ArrowUp")
    expect(items.last).to_have_text("Remove User")
    expect(items.last).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Unassign Ben Okafor?")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-modal", "true")
    # The harmless choice has the focus, which stays in the dialog: Tab past its last button comes
    # back to its first one, Shift+Tab goes round the other way.
    close, cancel, unassign = (
        dialog.get_by_role("button", name=name, exact=True) for name in ("Close dialog", "Cancel", "Unassign")
    )
    expect(cancel).to_be_focused()
    page.keyboard.press("Tab")
    expect(unassign).to_be_focused()
    page.keyboard.press("Tab")
    expect(close).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(unassign).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(button).to_be_focused()
