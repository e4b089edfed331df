// A button with data-print prints the page (the print style sheet leaves out the site's frame).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
