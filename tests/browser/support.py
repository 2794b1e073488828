"""Helpers for the browser journeys: accessibility (axe-core), 360 px layout, screenshots, keyboard, login.

Every page a journey visits goes through :func:`check_page`, which
- saves a full-page screenshot at 1280 px and at 360 px wide under ``test-artifacts/screenshots/``,
- fails when the page scrolls horizontally at 360 px (``document.scrollingElement.scrollWidth``),
- runs axe-core with the WCAG 2.1 A/AA rule tags and fails on any violation.

axe-core is vendored in ``tests/browser/vendor/axe.min.js`` (MPL-2.0, see the licence files there) and injected
with ``page.evaluate`` (a DevTools evaluation, which the app's Content-Security-Policy does not block; no
``bypass_csp`` is needed, so the journeys still run under the real CSP).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings


VENDOR_DIR = Path(__file__).resolve().parent / "vendor"
AXE_SOURCE = (VENDOR_DIR / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
MOBILE_WIDTH = 360
# Sub-pixel rounding and scrollbars may add a pixel or two; anything larger is a real horizontal scroll.
SCROLL_TOLERANCE = 2

DEMO_PASSWORD = "tremplin-demo"  # noqa: S105 - the public demo password of seed_demo (README)


class AccessibilityError(AssertionError):
    pass


def run_axe(page, *, context=None):
    """Run axe-core on the current page and return its list of violations (WCAG 2.1 A/AA)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return page.evaluate(
        "([context, options]) => axe.run(context || document, options).then(r => r.violations)",
        [context, options],
    )


def format_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary[:300]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … et {len(violation['nodes']) - 10} autres éléments")
    return "\n".join(lines)


def assert_accessible(page, label=""):
    violations = run_axe(page)
    if violations:
        raise AccessibilityError(
            f"axe-core: {len(violations)} violation(s) WCAG 2.1 A/AA sur {label or page.url}\n"
            + format_violations(violations)
        )


def horizontal_overflow(page):
    """Return (scrollWidth, viewport width) of the document."""
    return page.evaluate(
        "() => [document.scrollingElement.scrollWidth, document.documentElement.clientWidth || window.innerWidth]"
    )


def assert_no_horizontal_scroll(page, label=""):
    scroll_width, width = horizontal_overflow(page)
    if scroll_width > width + SCROLL_TOLERANCE:
        culprits = page.evaluate(
            """(limit) => {
                // Clipped by a scrolling/hidden ancestor? An absolutely positioned element escapes the overflow of
                // the static ancestors between it and its containing block (a classic cause: .visually-hidden
                // text inside a .table-responsive that is not position: relative).
                const clipped = (el) => {
                    let escapes = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
                    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                        const cs = getComputedStyle(p);
                        if (escapes && cs.position === 'static') continue;
                        const o = cs.overflowX;
                        if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
                        escapes = ['absolute', 'fixed'].includes(cs.position);
                    }
                    return false;
                };
                const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                    + (typeof el.className === 'string' && el.className.trim()
                       ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
                const over = Array.from(document.querySelectorAll('body *')).filter(
                    (el) => el.getBoundingClientRect().right > limit && !clipped(el));
                // Outermost offenders only: drop elements whose parent also overflows.
                const show = (el) => name(el) + ' (' + Math.round(el.getBoundingClientRect().right) + ' px)';
                const outer = over.filter((el) => !over.includes(el.parentElement));
                if (outer.length) return outer.slice(0, 5).map(show);
                // Nothing unclipped: name the widest elements, the offender is among them.
                return Array.from(document.querySelectorAll('body *'))
                    .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
                    .slice(0, 5).map(show);
            }""",
            width + SCROLL_TOLERANCE,
        )
        raise AssertionError(
            f"défilement horizontal à {width} px sur {label or page.url} : largeur du document {scroll_width} px; "
            f"éléments qui dépassent : {', '.join(culprits) or '?'}"
        )


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "page"


@dataclass
class PageChecker:
    """Checks and screenshots each page a test visits; ``visited`` keeps what was checked (for reports)."""

    test_name: str
    visited: list = field(default_factory=list)

    def forget_old_screenshots(self):
        for old in SCREENSHOT_DIR.glob(f"{_slug(self.test_name)}-[0-9][0-9]-*.png"):
            old.unlink()

    def __call__(self, page, label, *, mobile=True, axe=True, known_overflow=None):
        """Check the current page. ``known_overflow`` (a reason, naming the fix) accepts a horizontal scroll
        at 360 px that is reported to the page's owner; once fixed, the check fails so the exemption is removed."""
        index = len(self.visited) + 1
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        stem = f"{_slug(self.test_name)}-{index:02d}-{_slug(label)}"
        page.wait_for_load_state("load")
        if axe:
            assert_accessible(page, label)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{stem}-1280.png"), full_page=True)
        if mobile:
            original = page.viewport_size or DESKTOP
            page.set_viewport_size({"width": MOBILE_WIDTH, "height": 780})
            try:
                page.screenshot(path=str(SCREENSHOT_DIR / f"{stem}-360.png"), full_page=True)
                if known_overflow is None:
                    assert_no_horizontal_scroll(page, label)
                else:
                    scroll_width, width = horizontal_overflow(page)
                    assert scroll_width > width + SCROLL_TOLERANCE, (
                        f"{label} : le défaut connu « {known_overflow} » est corrigé, retirez known_overflow"
                    )
            finally:
                page.set_viewport_size(original)
        self.visited.append((label, page.url))


def login(page, base_url, email, password=DEMO_PASSWORD, *, check=None):
    """Log in like a person: open /connexion/, type the e-mail and the password, click the button."""
    page.goto(f"{base_url}/connexion/")
    if check is not None:
        check(page, "connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path != "/connexion/", f"la connexion de {email} a échoué : {page.url}"


def focused_element(page):
    """Describe document.activeElement: tag, id, name, type, accessible-ish text."""
    return page.evaluate(
        """() => { const el = document.activeElement; if (!el) return null;
           const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
           return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name') || '',
                   type: el.getAttribute('type') || '', text: (el.innerText || el.value || '').trim(),
                   label: label.trim(), href: el.getAttribute('href') || ''}; }"""
    )


def tab_to(page, predicate, *, max_presses=80, backwards=False):
    """Press Tab until ``predicate(focused_element)`` is true; return the element description."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(max_presses):
        page.keyboard.press(key)
        element = focused_element(page)
        if element and predicate(element):
            return element
        seen.append(element and (element["label"] or element["text"] or element["name"] or element["tag"]))
    raise AssertionError(f"élément introuvable au clavier après {max_presses} tabulations; vus : {seen}")


def pick(page, label, text, choice):
    """Pick ``choice`` in the search field labelled ``label`` (``core.widgets``) as a person does: type ``text``
    in its search box « n° ou nom », wait for htmx's matches, check the radio whose accessible name is ``choice``
    (a string: the start of it; or a compiled pattern). Returns the checked radio."""
    # crispy marks a required field with « * »; a label's text keeps its surrounding whitespace
    box = page.get_by_label(re.compile(r"^\s*" + re.escape(label) + r"\s*\*?\s*$"))
    box.fill(text)
    field = box.locator("xpath=ancestor::*[@data-search-select][1]")
    name = choice if isinstance(choice, re.Pattern) else re.compile("^" + re.escape(choice))
    radio = field.get_by_role("radio", name=name).first
    radio.check()
    return radio
