// Youth forms: tell the conseillère, as she types the birth date, that a minor needs a guardian.
// Progressive enhancement only: the server checks the same rule (no inline script: CSP).
(function () {
  function ageOn(birth, today) {
    let age = today.getFullYear() - birth.getFullYear();
    const m = today.getMonth() - birth.getMonth();
    if (m < 0 || (m === 0 && today.getDate() < birth.getDate())) age -= 1;
    return age;
  }

  function update(input) {
    const fieldset = document.querySelector("[data-minor-fieldset]");
    const note = fieldset && fieldset.querySelector("[data-minor-note]");
    if (!note) return;
    const birth = input.value ? new Date(input.value + "T00:00:00") : null;
    const minor = birth && !isNaN(birth) && ageOn(birth, new Date()) < 18;
    note.hidden = !minor;
    fieldset.classList.toggle("border-warning", Boolean(minor));
  }

  document.addEventListener("DOMContentLoaded", function () {
    const input = document.getElementById("id_date_naissance");
    if (!input) return;
    input.addEventListener("change", function () { update(input); });
    update(input);
  });
})();
