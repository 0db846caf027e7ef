// bayu UI: small enhancements on server-rendered pages. Everything works without
// them; they only save clicks. No inline scripts exist (the CSP forbids them).
(function () {
  "use strict";

  // "Select all" in the district's list of items waiting for recommendation.
  var all = document.getElementById("check-all");
  if (all) {
    all.addEventListener("change", function () {
      var boxes = document.querySelectorAll('#recommend-form input[name="id"]');
      for (var i = 0; i < boxes.length; i++) boxes[i].checked = all.checked;
    });
  }

  // A submitted form disables its buttons, so a double click sends one request.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    window.setTimeout(function () {
      var buttons = form.querySelectorAll("button[type=submit]");
      for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
    }, 0);
  });
})();
