/* PoC Hub funding pages: show only the parts of a decision form that its instrument has (progressive
   enhancement: without JavaScript every field is shown, and the service says which ones apply). */
(function () {
  function sync(form) {
    var checked = form.querySelector('input[name="instrument"]:checked');
    var instrument = checked ? checked.value : "";
    form.querySelectorAll("[data-parts]").forEach(function (el) {
      var parts = el.getAttribute("data-parts").split(" ");
      var off = instrument !== "" && parts.indexOf(instrument) === -1;
      el.hidden = off;
      /* what the instrument does not have is not sent */
      el.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = off; });
    });
  }
  document.querySelectorAll("form.decision-form").forEach(function (form) {
    form.addEventListener("change", function (e) {
      if (e.target && e.target.name === "instrument") { sync(form); }
    });
    sync(form);
  });
})();
