// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // Move focus to the error summary so screen readers announce it.
  var summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();

  // Copy buttons for phone numbers.
  document.querySelectorAll('[data-copy]').forEach(function (el) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button--secondary copy-button';
    button.textContent = 'Copier';
    button.setAttribute('aria-label', 'Copier le numéro ' + el.getAttribute('data-copy-label'));
    button.addEventListener('click', function () {
      if (!navigator.clipboard) return;
      navigator.clipboard.writeText(el.getAttribute('data-copy')).then(function () {
        button.textContent = 'Copié';
        setTimeout(function () { button.textContent = 'Copier'; }, 2000);
      });
    });
    el.insertAdjacentElement('afterend', button);
  });
})();
