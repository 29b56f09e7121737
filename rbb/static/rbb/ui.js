// Small behaviours of every page, kept out of the HTML so the Content-Security-Policy can
// forbid inline script (script-src 'self'): a <select data-autosubmit> submits its form on
// change (language choices), a <button data-print> prints the page.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});
document.addEventListener("click", function (event) {
  var target = event.target.closest && event.target.closest("[data-print]");
  if (target) {
    window.print();
  }
});
