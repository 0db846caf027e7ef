// The state diagram frame: Mermaid draws the text the server put in the page
// (the state machine with names in the page's language and the current state
// marked), then the frame tells the exhibit page how tall it became.
(function () {
  "use strict";
  var source = document.getElementById("diagram-source");
  var target = document.getElementById("diagram");
  window.mermaid.initialize({
    startOnLoad: false,
    securityLevel: "strict",
    theme: "neutral",
    fontFamily: '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif',
    state: { useMaxWidth: true }
  });
  window.mermaid.render("bayu-diagram", source.textContent).then(function (out) {
    target.innerHTML = out.svg;
    document.body.classList.add("drawn");
    var post = function () {
      window.parent.postMessage({ bayuDiagramHeight: document.documentElement.scrollHeight }, window.location.origin);
    };
    post();
    window.addEventListener("resize", post);
  }, function (err) {
    target.textContent = String(err && err.message || err);
    throw err;
  });
})();
