// The agreement page: its print button (the page's policy allows no inline script).
(function () {
  "use strict";
  var b = document.getElementById("print-agreement");
  if (b) b.addEventListener("click", function () { window.print(); });
})();
