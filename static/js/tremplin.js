// Tremplin: small progressive enhancements (no inline scripts: CSP forbids them).
document.addEventListener("change", function (event) {
  const el = event.target;
  if (el.matches("select[data-autosubmit]") && el.form) {
    el.form.requestSubmit();
  }
});
