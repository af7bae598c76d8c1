// SPDX-License-Identifier: AGPL-3.0-or-later
// Print buttons: shown only when JavaScript runs (without it, the browser's own Print works).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
