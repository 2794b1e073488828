// Séance page: "Tous présents" ticks the "présent" radio of every registered young person.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-tous-presents]");
  if (!button) return;
  button.form.querySelectorAll('input[type="radio"][value="present"]').forEach((input) => {
    input.checked = true;
  });
});
