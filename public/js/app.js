// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // Move focus to the error summary so screen readers announce it.
  var summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();

  // Copy buttons for phone numbers: they copy the number as the page shows it (« 02 40 12 34 56 »).
  document.querySelectorAll('[data-copy]').forEach(function (el) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button--secondary copy-button';
    button.textContent = 'Copier';
    button.setAttribute('aria-label', 'Copier le numéro ' + el.getAttribute('data-copy'));
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

// Agency type-ahead on the add-contact form: a search field above the agency
// list that asks /organismes/suggestions and refills the list. Without
// JavaScript the list of the chosen département and type works as it is.
(function () {
  'use strict';
  var select = document.querySelector('select[data-agency-typeahead]');
  if (!select || !window.fetch) return;
  var wrapper = document.createElement('div');
  wrapper.className = 'field';
  var label = document.createElement('label');
  label.htmlFor = 'agency-search';
  label.textContent = 'Rechercher un organisme par son nom (dans toute la France)';
  var input = document.createElement('input');
  input.type = 'search';
  input.id = 'agency-search';
  input.autocomplete = 'off';
  input.placeholder = 'ex. CAF Loire-Atlantique, CCAS Rezé…';
  var status = document.createElement('p');
  status.className = 'hint';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  wrapper.appendChild(label);
  wrapper.appendChild(input);
  wrapper.appendChild(status);
  select.parentNode.insertBefore(wrapper, select.parentNode.firstChild);
  var timer;
  var seq = 0;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(function () {
      var mine = ++seq;
      fetch('/organismes/suggestions?q=' + encodeURIComponent(q), { headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : { agencies: [] }; })
        .then(function (data) {
          if (mine !== seq) return;
          while (select.options.length > 1) select.remove(1);
          data.agencies.forEach(function (a) {
            var option = document.createElement('option');
            option.value = a.id;
            option.textContent = a.name + (a.commune ? ' (' + a.commune + ')' : '') + ' – ' + a.departement;
            option.setAttribute('data-type', a.type || '');
            select.appendChild(option);
          });
          if (data.agencies.length) select.selectedIndex = 1;
          if (data.agencies.length) select.dispatchEvent(new Event('change'));
          status.textContent = data.agencies.length ? data.agencies.length + ' organisme(s) trouvé(s) : choisissez dans la liste ci-dessous.' : 'Aucun organisme trouvé : vous pouvez le créer plus bas.';
        })
        .catch(function () { status.textContent = 'La recherche d’organismes ne répond pas : utilisez la liste.'; });
    }, 250);
  });
})();

// The guided add form: fields for a named person only when « une personne nommée » is
// chosen, the « create the organisme » fields and the list exclusive of each other, and the
// topics refolded to the chosen organisme's usual ones. Without JavaScript every field shows.
(function () {
  'use strict';
  var form = document.querySelector('[data-contact-form]') || document.querySelector('form.contact-form');
  if (!form) return;

  var kinds = form.querySelectorAll('[data-kind-choice]');
  function showKind() {
    var service = form.querySelector('[data-kind-choice][value="service_line"]');
    var hide = service && service.checked;
    form.querySelectorAll('[data-agent-only]').forEach(function (el) { el.hidden = hide; });
  }
  kinds.forEach(function (k) { k.addEventListener('change', showKind); });
  showKind();

  var select = form.querySelector('#agencyId');
  var creating = form.querySelector('[data-new-agency]');
  if (select && creating) {
    creating.addEventListener('toggle', function () {
      if (creating.open && select.value) select.value = '';
    });
    select.addEventListener('change', function () {
      if (select.value && creating.open) {
        var name = form.querySelector('#newAgencyName');
        if (name) name.value = '';
        creating.open = false;
      }
    });
  }

  var usual = form.querySelector('[data-usual-topics]');
  var others = form.querySelector('[data-other-topic-list]');
  var othersBox = form.querySelector('[data-other-topics]');
  if (!usual || !others) return;
  var order = Array.prototype.slice.call(form.querySelectorAll('[data-topic-types]')).sort(function (a, b) {
    return Number(a.getAttribute('data-order')) - Number(b.getAttribute('data-order'));
  });
  function refold(type) {
    if (!type) return;
    var shown = 0;
    order.forEach(function (label) {
      var types = (label.getAttribute('data-topic-types') || '').split(' ');
      var isUsual = shown < 6 && (types.indexOf(type) !== -1 || types.indexOf('*') !== -1);
      if (isUsual) shown++;
      (isUsual ? usual : others).appendChild(label);
    });
    if (othersBox && others.querySelector('input:checked')) othersBox.open = true;
  }
  function typeOfChoice() {
    if (select && select.value) {
      var option = select.options[select.selectedIndex];
      return option && option.getAttribute('data-type');
    }
    var newType = form.querySelector('#newAgencyType');
    return newType && newType.value;
  }
  if (select) select.addEventListener('change', function () { refold(typeOfChoice()); });
  var newType = form.querySelector('#newAgencyType');
  if (newType) newType.addEventListener('change', function () { refold(newType.value); });
})();

// The confidentiality screen while typing: the server's own screen, asked when a free-text field
// loses focus, shows at the field what it recognised before anything is sent or stored.
(function () {
  'use strict';
  var form = document.querySelector('[data-contact-form]') || document.querySelector('form.contact-form');
  if (!form || !window.fetch) return;
  var tokenInput = form.querySelector('input[name="_csrf"]');
  var FIELDS = ['agentFirstName', 'agentLastName', 'function', 'service', 'hours', 'tips', 'account', 'note', 'newAgencyName', 'newAgencyCommune'];

  function warningOf(input) {
    var id = input.id + '-warning';
    var el = document.getElementById(id);
    if (!el) {
      el = document.createElement('p');
      el.id = id;
      el.className = 'field-warning';
      el.setAttribute('aria-live', 'polite');
      input.parentNode.insertBefore(el, input);
      el.hidden = true;
    }
    return el;
  }
  function describe(input, id, on) {
    var ids = (input.getAttribute('aria-describedby') || '').split(' ').filter(function (x) { return x && x !== id; });
    if (on) ids.push(id);
    if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
    else input.removeAttribute('aria-describedby');
  }
  function check(input) {
    var el = warningOf(input);
    var text = input.value.trim();
    if (!text) { el.hidden = true; describe(input, el.id, false); return; }
    var body = new URLSearchParams({ field: input.name, text: input.value.slice(0, 2000), _csrf: tokenInput ? tokenInput.value : '' });
    fetch('/contacts/verifier-texte', { method: 'POST', body: body, credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : { warning: null }; })
      .then(function (data) {
        if (input.value.trim() !== text) return;
        var w = data.warning;
        el.hidden = !w;
        el.textContent = w ? w.message : '';
        el.classList.toggle('field-warning--blocking', Boolean(w && w.blocking));
        describe(input, el.id, Boolean(w));
      })
      .catch(function () { /* the server screens again on submit */ });
  }
  FIELDS.forEach(function (name) {
    var input = form.querySelector('[name="' + name + '"]');
    if (input) input.addEventListener('change', function () { check(input); });
  });
})();

// « J’ai appelé » without a reload: the form posts as JSON, the pressed button and the
// « joint par N collègues » line update in place. Without JavaScript (or when the server
// refuses, e.g. the daily limit), the form posts normally and the page says why.
(function () {
  'use strict';
  if (!window.fetch || !window.URLSearchParams) return;
  document.querySelectorAll('form[data-call-form]').forEach(function (form) {
    var status = form.querySelector('[data-call-status]');
    var card = form.closest('article');
    form.addEventListener('submit', function (event) {
      var button = event.submitter;
      if (!button || button.name !== 'outcome') return;
      event.preventDefault();
      var body = new URLSearchParams(new FormData(form));
      body.set('outcome', button.value);
      var buttons = form.querySelectorAll('button[name="outcome"]');
      buttons.forEach(function (b) { b.disabled = true; });
      function postNormally() {
        var hidden = document.createElement('input');
        hidden.type = 'hidden';
        hidden.name = 'outcome';
        hidden.value = button.value;
        form.appendChild(hidden);
        form.submit();
      }
      fetch(form.action, { method: 'POST', body: body, credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          buttons.forEach(function (b) { b.disabled = false; });
          if (!data) { postNormally(); return; }
          buttons.forEach(function (b) { b.setAttribute('aria-pressed', b === button ? 'true' : 'false'); });
          if (status) status.textContent = data.message;
          var line = card && card.querySelector('[data-reached-line]');
          if (line) {
            line.hidden = !data.reached;
            line.textContent = data.reached ? (line.tagName === 'SPAN' ? ' · ' + data.reached : data.reached) : '';
          }
        })
        .catch(function () { buttons.forEach(function (b) { b.disabled = false; }); postNormally(); });
    });
  });
})();

// « Ajouter à / Retirer de mes contacts » without reloading the page: the same form, sent by
// fetch; the button flips and a status line says what happened. Without JavaScript the form
// posts and the server brings the member back where they were.
(function () {
  'use strict';
  if (!window.fetch || !window.URLSearchParams) return;
  document.querySelectorAll('form[data-my-contact]').forEach(function (form) {
    var button = form.querySelector('button[type="submit"]');
    var status = document.createElement('span');
    status.className = 'my-contact-toggle__status';
    status.setAttribute('role', 'status');
    form.parentNode.insertBefore(status, form);
    var mark = button.querySelector('[data-toggle-mark]');
    var text = button.querySelector('[data-toggle-text]');
    function show(inList) {
      var id = form.getAttribute('data-my-contact');
      form.action = '/mes-contacts/' + id + (inList ? '/retirer' : '/ajouter');
      if (mark) mark.textContent = inList ? '★' : '☆';
      if (text) text.textContent = inList ? 'Retirer de mes contacts' : 'Ajouter à mes contacts';
      button.title = inList ? 'Retirer de mes contacts' : 'Ajouter à mes contacts';
      button.setAttribute('aria-pressed', inList ? 'true' : 'false');
    }
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      button.disabled = true;
      fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
        .then(function (res) {
          if (res.ok) {
            show(res.data.inMyContacts);
            status.textContent = res.data.message;
          } else {
            status.textContent = (res.data.error && res.data.error.message) || 'La liste n’a pas pu être modifiée. Réessayez.';
          }
        })
        .catch(function () { status.textContent = 'La liste n’a pas pu être modifiée. Réessayez.'; })
        .then(function () { button.disabled = false; });
    });
  });

  var printButton = document.querySelector('[data-print]');
  if (printButton && window.print) {
    printButton.hidden = false;
    printButton.addEventListener('click', function () { window.print(); });
  }
})();

// Spreadsheet import: the progress bar follows the writing without reloading the page
// (without JavaScript, the page reloads itself every few seconds).
(function () {
  var box = document.querySelector('[data-import-progress]');
  if (!box || !window.fetch) return;
  var bar = box.querySelector('progress');
  var status = box.querySelector('[data-import-status]');
  function poll() {
    fetch(box.getAttribute('data-import-progress'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) return setTimeout(poll, 3000);
        bar.max = p.total || 1;
        bar.value = p.done;
        status.textContent = p.done + ' sur ' + p.total + ' fiches enregistrées.';
        if (p.finished) window.location.replace(box.getAttribute('data-import-page'));
        else setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
