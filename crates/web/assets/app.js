// After htmx swaps part of a page, move focus where a keyboard or screen-reader user expects it: to the error
// summary when the server refused the form, else to the page's heading. The counter lets tests wait for a swap.
document.addEventListener("htmx:afterSettle", () => {
  const target = document.querySelector("main .alert-error") || document.querySelector("main h1");
  if (target) {
    target.setAttribute("tabindex", "-1");
    target.focus();
  }
  document.body.dataset.swaps = String(Number(document.body.dataset.swaps || "0") + 1);
});

// A printed case shows every folded text: open each <details> before printing.
window.addEventListener("beforeprint", () => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
});
