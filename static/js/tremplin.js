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
