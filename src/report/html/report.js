(function () {
  "use strict";
  var pick = function (id) { return document.getElementById(id); };
  var outcome = pick("filter-outcome"), provider = pick("filter-provider"), tag = pick("filter-tag");
  function apply() {
    var shown = 0, scenarios = document.querySelectorAll("article.scenario");
    scenarios.forEach(function (s) {
      var ok = (!outcome.value || s.dataset.outcome === outcome.value) &&
        (!provider.value || s.dataset.provider === provider.value) &&
        (!tag.value || s.dataset.tags.indexOf(" " + tag.value + " ") >= 0);
      s.classList.toggle("hidden", !ok);
      if (ok) { shown += 1; }
    });
    document.querySelectorAll("section.feature").forEach(function (f) {
      f.classList.toggle("hidden", !f.querySelector("article.scenario:not(.hidden)"));
    });
    pick("shown").textContent = shown + " of " + scenarios.length + " scenarios shown";
  }
  [outcome, provider, tag].forEach(function (select) { select.addEventListener("change", apply); });
  // A link may choose the filters: index.html#outcome=failed&provider=stripe
  var wanted = {};
  location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
    var kv = pair.split("=");
    if (kv.length === 2) { wanted[kv[0]] = decodeURIComponent(kv[1]); }
  });
  [["outcome", outcome], ["provider", provider], ["tag", tag]].forEach(function (f) {
    if (wanted[f[0]] !== undefined) { f[1].value = wanted[f[0]]; }
  });
  if (wanted.clauses === "closed") { pick("clauses").removeAttribute("open"); }
  document.querySelectorAll("button.copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var code = button.parentNode.querySelector("code");
      var done = function () { button.textContent = "copied"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(code.textContent).then(done);
      } else {
        var range = document.createRange();
        range.selectNodeContents(code);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        try { document.execCommand("copy"); done(); } catch (e) { button.textContent = "selected"; }
      }
    });
  });
  apply();
  document.body.dataset.ready = "yes";
})();
