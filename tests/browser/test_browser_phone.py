"""
The page on a phone (390 by 844 pixels): nothing is wider than the screen, with or without a dialog or
a menu open; each learner reads as a card (name, status, progress, due date and the menu beside the
name); the status chips keep to one line; the course key breaks only between its parts.
"""

import re

import pytest
from playwright.sync_api import expect

from test_utils.browser import ILT, open_menu, row

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def context_options():
    return {"viewport": PHONE}


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def assert_within_the_screen(locator):
    box = locator.bounding_box()
    assert box is not None, locator
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (locator, box)


def assert_a_card_each(page, usernames):
    for username in usernames:
        card = row(page, username)
        card.scroll_into_view_if_needed()
        name, menu = card.locator(".lm-learner__name"), card.get_by_role("button", name="Actions for")
        for part in (
            name,
            card.locator(".lm-badge"),
            card.locator(".lm-progress-cell"),
            card.locator(".lm-cell-due"),
            menu,
        ):
            expect(part).to_be_visible()
            assert_within_the_screen(part)
        # Each value is named by its column's heading, shown before it.
        for cell, heading in ((".lm-cell-progress", "Progress"), (".lm-cell-due", "Due date")):
            before = card.locator(cell).evaluate("cell => getComputedStyle(cell, '::before').content")
            assert before == f'"{heading}"', (username, cell, before)
        # The menu is on the name's line, at the card's end.
        name_box, menu_box = name.bounding_box(), menu.bounding_box()
        assert menu_box["y"] <= name_box["y"] + name_box["height"] and menu_box["x"] > name_box["x"], username


def test_the_learner_list_as_cards_on_a_phone(self_paced, world, screenshot):
    page = self_paced
    usernames = list(world.users)
    assert page_width(page) <= PHONE["width"]
    expect(page.locator("tbody tr[data-username]")).to_have_count(12)
    assert_a_card_each(page, usernames)

    # The chips scroll in a line of their own rather than taking three.
    chips = page.locator(".lm-chip")
    tops = {round(chip.bounding_box()["y"]) for chip in chips.all()}
    assert len(tops) == 1, tops
    assert_within_the_screen(page.locator("[data-lm=chips]"))
    page.locator("[data-lm=chips]").get_by_role("button", name=re.compile("^Completed")).click()
    expect(page.locator("tbody tr[data-username]")).to_have_count(2)
    assert page_width(page) <= PHONE["width"]
    page.locator("[data-lm=chips]").get_by_role("button", name=re.compile("^All")).click()
    expect(page.locator("tbody tr[data-username]")).to_have_count(12)

    # The list from its chips down, as a phone shows it.
    page.locator("[data-lm=chips]").evaluate("chips => { chips.scrollIntoView({ block: 'start' }); scrollBy(0, -16); }")
    screenshot("learner-list-phone")

    # The menu opens beside the name and inside the screen.
    menu = open_menu(page, "ines.rossi")
    assert_within_the_screen(menu)
    box = menu.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    assert page_width(page) <= PHONE["width"]

    # A dialog as well.
    menu.get_by_role("menuitem", name="Update/Add Course Due Date").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    assert_within_the_screen(dialog)
    assert page_width(page) <= PHONE["width"]
    dialog.get_by_role("button", name="Cancel").click()

    # And the mass actions' bar and dialog.
    page.get_by_role("checkbox", name="Select every learner on this page").check()
    bar = page.get_by_role("region", name="Mass actions")
    assert_within_the_screen(bar)
    bar.get_by_role("button", name="Mark as Complete").click()
    dialog = page.get_by_role("dialog", name="Mark as Complete")
    assert_within_the_screen(dialog)
    assert page_width(page) <= PHONE["width"]


def test_the_plugins_own_page_on_a_phone(world, sign_in, page):
    world.ilt_learners()
    sign_in(world.staff)
    page.goto(f"/learner_mgmt/courses/{ILT}/")
    page.locator("[data-lm=table][aria-busy=false]").wait_for()

    assert page_width(page) <= PHONE["width"]
    assert_a_card_each(page, ["hiro.tanaka", "ines.rossi", "jon.eriksen", "kemal.haddad", "lena.fischer"])
    expect(row(page, "hiro.tanaka").locator(".lm-cell-session")).to_contain_text("Next week's practical")
    # The course key is whole on its line, or broken after a separator: never within a part.
    key = page.locator(".lm-page__key")
    expect(key).to_have_text(ILT)
    assert_within_the_screen(key)
    for part in key.locator("span").all():
        assert part.evaluate("part => part.getClientRects().length") == 1, part.text_content()

    menu = open_menu(page, "lena.fischer")
    assert_within_the_screen(menu)
    assert page_width(page) <= PHONE["width"]
    menu.get_by_role("menuitem", name="View History").click()
    dialog = page.get_by_role("dialog", name="History of Lena Fischer")
    expect(dialog).to_be_visible()
    assert_within_the_screen(dialog)
    assert page_width(page) <= PHONE["width"]
