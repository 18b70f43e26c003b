// "Copy BibTeX" buttons. Without JavaScript (or without a clipboard) nothing is
// added and the BibTeX links and the citation block on paper pages still work.
// No inline handlers: everything is attached here, so a strict CSP can apply.
(function () {
  "use strict";

  if (!navigator.clipboard || !window.fetch) {
    return;
  }

  // The words come from the script tag's data attributes, in the site's language.
  var words = (document.currentScript && document.currentScript.dataset) || {};
  function say(key, english) { return words[key] || english; }

  function addButton(after, label, accessibleName, getText) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-bibtex";
    button.textContent = label;
    if (accessibleName) {
      button.setAttribute("aria-label", accessibleName);
    }
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      status.textContent = "";
      copy(getText).then(
        function () { status.textContent = say("copied", "Copied."); },
        function () { status.textContent = say("failed", "Could not copy: open the BibTeX link instead."); }
      );
    });
    after.after(button, status);
  }

  function copy(getText) {
    // Safari keeps the click's permission only if the clipboard write starts
    // now, with the text still on its way; other browsers accept writeText later.
    if (window.ClipboardItem && navigator.clipboard.write) {
      var blob = getText().then(function (text) {
        return new Blob([text], { type: "text/plain" });
      });
      return navigator.clipboard.write([new ClipboardItem({ "text/plain": blob })]).catch(
        function () { return getText().then(function (text) { return navigator.clipboard.writeText(text); }); }
      );
    }
    return getText().then(function (text) { return navigator.clipboard.writeText(text); });
  }

  document.querySelectorAll("pre.bibtex").forEach(function (pre) {
    addButton(pre, say("copyBibtex", "Copy BibTeX"), "", function () { return Promise.resolve(pre.textContent); });
  });

  document.querySelectorAll("a[data-bibtex]").forEach(function (link) {
    var paper = link.closest(".paper");
    var title = paper && paper.querySelector(".title a");
    var name = title
      ? say("copyBibtexOf", "Copy BibTeX of {title}").replace("{title}", title.textContent.trim())
      : say("copyBibtex", "Copy BibTeX");
    addButton(link, say("copy", "Copy"), name, function () {
      return fetch(link.href, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error(response.statusText); }
        return response.text();
      });
    });
  });
})();
