// The exhibit page: size the state diagram's frame to the drawing it holds.
// The frame posts its height once Mermaid has drawn; style changes made from
// script (CSSOM) are allowed by the page's policy, inline style attributes are not.
(function () {
  "use strict";
  var frame = document.getElementById("diagram-frame");
  if (!frame) return;
  window.addEventListener("message", function (e) {
    if (e.origin !== window.location.origin || e.source !== frame.contentWindow) return;
    var h = e.data && e.data.bayuDiagramHeight;
    if (typeof h === "number" && h > 0 && h < 5000) {
      frame.style.height = Math.ceil(h) + "px";
      frame.classList.add("drawn");
    }
  });
  // An event form that was just refused is scrolled into view with its reasons.
  var refused = document.querySelector("form.event .error");
  if (refused) refused.scrollIntoView({ block: "center" });
})();
