// Small progressive helpers; every page works without them.
(function () {
  "use strict";

  // A print button where the page offers one.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // Attachments: drop files on the zone to choose them, then send the form.
  document.querySelectorAll("[data-dropzone]").forEach(function (zone) {
    var form = zone.closest("form");
    var input = form && form.querySelector("input[type=file]");
    if (!input) { return; }
    var names = zone.querySelector("[data-dropzone-names]");
    function show() {
      if (!names) { return; }
      var list = Array.prototype.map.call(input.files, function (f) { return f.name; });
      names.textContent = list.length ? list.join(", ") : "";
    }
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (e) {
        e.preventDefault();
        zone.classList.add("dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("dragging"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      if (!e.dataTransfer || !e.dataTransfer.files.length) { return; }
      input.files = e.dataTransfer.files;
      show();
    });
  });
})();
