// Tremplin: small progressive enhancements (no inline scripts: CSP forbids them).
document.addEventListener("change", function (event) {
  const el = event.target;
  if (el.matches("select[data-autosubmit]") && el.form) {
    el.form.requestSubmit();
  }
});

// A rejected form: bring its error summary into view and move the focus to it (screen readers announce it).
document.addEventListener("DOMContentLoaded", function () {
  const summary = document.querySelector("[data-form-errors]");
  if (summary) {
    summary.scrollIntoView({ block: "center" });
    summary.focus({ preventScroll: true });
  }
});

// Search fields (core.widgets): Enter searches instead of submitting the form, ↓ moves to the first result.
document.addEventListener("keydown", function (event) {
  const input = event.target;
  if (!input.matches || !input.matches("[data-search-select] input[type=search]")) return;
  if (event.key === "Enter" && window.htmx) {
    event.preventDefault();
    window.htmx.trigger(input, "search");
  } else if (event.key === "ArrowDown") {
    const first = input.closest("[data-search-select]").querySelector("input[type=radio], input[type=checkbox]");
    if (first) {
      event.preventDefault();
      first.focus();
    }
  }
});
