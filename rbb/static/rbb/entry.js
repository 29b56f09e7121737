/* Data entry: small helpers on top of htmx (no framework). */
(function () {
  "use strict";
  var script = document.currentScript;
  var errorMessage = script ? script.dataset.errorMessage : "";

  if (window.htmx) {
    // Refused saves (409 stale or locked, 422 bad input) carry the item to show: swap them in.
    htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "409|422", swap: true, error: false },
      { code: "[45]..", swap: false, error: true },
      { code: "...", swap: false }
    ];
  }

  // Anything else that fails (403, 404, 500, network): say so instead of failing silently.
  function showError() {
    var alert = document.getElementById("entry-alert");
    if (!alert) return;
    alert.textContent = errorMessage;
    alert.hidden = false;
  }
  document.addEventListener("htmx:responseError", showError);
  document.addEventListener("htmx:sendError", showError);

  // Ctrl+Enter (Cmd+Enter) in any field saves its item, as the Save button does.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    var form = event.target.closest && event.target.closest("form[hx-post]");
    if (!form) return;
    event.preventDefault();
    form.requestSubmit();
  });
})();

/* A counter under a long text field once it nears its limit (data-limit): the server refuses
   over-long text with a message; nothing is cut without saying so. */
(function () {
  "use strict";
  var script = document.currentScript;
  var template = (script && script.dataset.counter) || "{count} / {limit}";
  function update(field) {
    var limit = parseInt(field.dataset.limit, 10);
    if (!limit) return;
    var counter = field.nextElementSibling;
    if (!counter || !counter.classList.contains("counter")) {
      counter = document.createElement("p");
      counter.className = "counter";
      counter.setAttribute("aria-live", "polite");
      field.insertAdjacentElement("afterend", counter);
    }
    var count = field.value.length;
    counter.hidden = count < limit * 0.9;
    counter.classList.toggle("over", count > limit);
    counter.textContent = template.replace("{count}", count.toLocaleString()).replace("{limit}", limit.toLocaleString());
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-limit]")) update(event.target);
  });
  document.addEventListener("htmx:load", function (event) {
    var fields = event.target.querySelectorAll ? event.target.querySelectorAll("textarea[data-limit]") : [];
    fields.forEach(update);
  });
})();
