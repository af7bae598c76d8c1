/* Saving scores on a phone: say what is happening, retry after a lost connection, and send only
   what the member changed, so a second device with an older page cannot overwrite the rest.
   Works on <form data-autosave hx-post=...>; without this file (or without JavaScript) the form
   still saves with its normal submit button. SPDX-License-Identifier: AGPL-3.0-or-later */
(function () {
  "use strict";

  var RETRY_MS = 4000;
  var TEXT = {
    nl: {
      saving: "Bezig met opslaan…",
      offline: "Geen verbinding. Uw keuze is nog niet opgeslagen; dat gebeurt vanzelf zodra er weer verbinding is.",
      retrying: "Niet opgeslagen. We proberen het zo opnieuw.",
      reload: "Niet opgeslagen. Laad de pagina opnieuw en probeer het nog eens.",
      leave: "Nog niet alles is opgeslagen."
    },
    en: {
      saving: "Saving…",
      offline: "No connection. Your choice is not saved yet; it will be as soon as the connection is back.",
      retrying: "Not saved. We will try again shortly.",
      reload: "Not saved. Reload the page and try again.",
      leave: "Not everything is saved yet."
    }
  };
  var text = TEXT[document.documentElement.lang] || TEXT.nl;

  function criterionOf(element) {
    var match = /^(?:score|comment)_(\d+)$/.exec(element && element.name || "");
    return match ? match[1] : null;
  }

  function setUp(form) {
    var status = form.querySelector("[role=status]");
    var dirty = {};  // criterion id -> version, for changes not yet saved
    var version = 0;
    var pending = false;
    var timer = null;

    function say(message) {
      if (status) { status.textContent = message; }
    }

    function retry() {
      clearTimeout(timer);
      timer = null;
      if (pending && navigator.onLine !== false) {
        htmx.trigger(form, "change");
      }
    }

    function failed(message) {
      pending = true;
      say(navigator.onLine === false ? text.offline : message);
      clearTimeout(timer);
      timer = setTimeout(retry, RETRY_MS);
    }

    // Capture phase: mark the change before htmx builds the request for it.
    form.addEventListener("change", function (event) {
      var criterion = criterionOf(event.target);
      if (criterion) {
        version += 1;
        dirty[criterion] = version;
      }
    }, true);

    form.addEventListener("htmx:config:request", function (event) {
      var ctx = event.detail.ctx;
      var body = ctx.request.body;
      var sent = {};
      body.set("changed_only", "1");
      body.delete("changed");
      Object.keys(dirty).forEach(function (criterion) {
        body.append("changed", criterion);
        sent[criterion] = dirty[criterion];
      });
      ctx.wkSent = sent;
      say(text.saving);
    });

    form.addEventListener("htmx:error", function () {
      failed(text.retrying);
    });

    form.addEventListener("htmx:before:swap", function (event) {
      var ctx = event.detail.ctx;
      var code = ctx.response ? ctx.response.status : 0;
      if (code >= 500) {
        event.preventDefault();
        failed(text.retrying);
      } else if (code >= 400 && code !== 422) {
        // An expired form or a lost session: retrying will not help.
        event.preventDefault();
        pending = false;
        say(text.reload);
      }
    });

    form.addEventListener("htmx:after:swap", function (event) {
      var ctx = event.detail.ctx;
      var sent = (ctx.response && ctx.response.status === 200 && ctx.wkSent) || {};
      Object.keys(sent).forEach(function (criterion) {
        if (dirty[criterion] === sent[criterion]) { delete dirty[criterion]; }
      });
      // Anything changed meanwhile is already queued behind this request (hx-sync queue last).
      pending = Object.keys(dirty).length > 0;
    });

    window.addEventListener("online", retry);
    window.addEventListener("offline", function () {
      if (pending) { say(text.offline); }
    });
    window.addEventListener("beforeunload", function (event) {
      if (pending) {
        event.preventDefault();
        event.returnValue = text.leave;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), setUp);
  });
}());
