// Small progressive helpers; every page works without them.
(function () {
  "use strict";

  // A print button where the page offers one.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // Attachments and imports: drop files on the zone to choose them, then send the form.
  function dropzones(root) {
    root.querySelectorAll("[data-dropzone]").forEach(function (zone) {
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
  }

  // Imports: send the file with a progress bar, then show the answer in place of the page's
  // main content. Without this the browser sends the form and shows the answer itself.
  function uploads(root) {
    root.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
      var box = form.querySelector("[data-progress]");
      var bar = box && box.querySelector("progress");
      var label = box && box.querySelector("[data-progress-label]");
      if (!box || !bar || !window.XMLHttpRequest || !window.FormData || !window.DOMParser) { return; }
      form.addEventListener("submit", function (e) {
        var input = form.querySelector("input[type=file]");
        if (!input || !input.files.length) { return; }
        e.preventDefault();
        var button = form.querySelector("button[type=submit]");
        if (button) { button.disabled = true; }
        box.hidden = false;
        bar.value = 0;
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.action);
        xhr.upload.addEventListener("progress", function (ev) {
          if (ev.lengthComputable) {
            bar.value = Math.round(100 * ev.loaded / ev.total);
            label.textContent = "Sending the file… " + bar.value + "%";
          }
        });
        xhr.upload.addEventListener("load", function () {
          bar.removeAttribute("value");
          label.textContent = "Checking, screening and storing every report…";
        });
        function fail() {
          if (button) { button.disabled = false; }
          label.textContent = "The file could not be sent; nothing was imported. Try again.";
        }
        xhr.addEventListener("error", fail);
        xhr.addEventListener("load", function () {
          var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
          var main = doc.querySelector("main");
          var here = document.querySelector("main");
          if (!main || !here) { fail(); return; }
          var fresh = document.importNode(main, true);
          here.replaceWith(fresh);
          document.title = doc.title;
          dropzones(fresh);
          uploads(fresh);
          var first = document.querySelector("#notice, #imported, #problems");
          if (first) { first.setAttribute("tabindex", "-1"); first.focus(); }
        });
        xhr.send(new FormData(form));
      });
    });
  }

  dropzones(document);
  uploads(document);
})();
