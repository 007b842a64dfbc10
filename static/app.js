// Champion Rota's only script: progressive enhancement around htmx, with focus kept where the eye goes.
// The pages work without it; CSP allows no inline script, so this file holds all behaviour.
(function () {
  'use strict'
  document.body.classList.add('js-enabled', 'govuk-frontend-supported')

  function focusFirst(root) {
    var target = root.querySelector('[data-focus-after-swap]') || root.querySelector('[data-focus-on-load]')
    if (target) {
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1')
      target.focus()
      return true
    }
    return false
  }

  // An error summary on a fresh page gets focus, as in the GOV.UK pattern.
  var summary = document.querySelector('[data-focus-on-load]')
  if (summary) summary.focus()

  // Refusals and mistakes come back as 4xx with a fragment meant to be seen (a full session, a
  // clash, a form error): show it where it was aimed (or where HX-Retarget says) instead of
  // dropping it, which is htmx's default for error statuses.
  document.body.addEventListener('htmx:beforeSwap', function (event) {
    var xhr = event.detail && event.detail.xhr
    if (!xhr || xhr.status < 400) return
    if (xhr.status < 500 || xhr.getResponseHeader('HX-Retarget')) {
      event.detail.shouldSwap = true
      event.detail.isError = false
    }
  })

  // A polled region (data-poll) is not replaced while someone is working inside it: the poll waits.
  document.body.addEventListener('htmx:beforeRequest', function (event) {
    var elt = event.detail && event.detail.elt
    if (elt && elt.hasAttribute && elt.hasAttribute('data-poll') && elt.contains(document.activeElement)) event.preventDefault()
  })

  // After an htmx swap, focus moves to what changed (marked data-focus-after-swap), else the swapped region.
  document.body.addEventListener('htmx:afterSettle', function (event) {
    var target = event.detail && event.detail.target
    if (!target) return
    if (!focusFirst(target) && target.hasAttribute('data-focus-self')) {
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1')
      target.focus()
    }
  })
})()

// Calendar links: a "Copy" button next to each read-only link (hidden without JavaScript, where
// selecting the text works as usual). The button says when it worked, for screen readers too.
;(function () {
  'use strict'
  var buttons = document.querySelectorAll('[data-copy]')
  Array.prototype.forEach.call(buttons, function (button) {
    var input = document.getElementById(button.getAttribute('data-copy'))
    if (!input || !navigator.clipboard) return
    var label = button.textContent
    button.hidden = false
    button.setAttribute('aria-live', 'polite')
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(input.value).then(function () {
        button.textContent = 'Copied'
        setTimeout(function () { button.textContent = label }, 3000)
      }, function () {
        input.focus()
        input.select()
      })
    })
  })
})()

// The find page's "Filter" disclosure: from tablet width up the fields always show, so open it
// there (the stylesheet does this by itself in browsers with ::details-content).
;(function () {
  'use strict'
  var filters = document.getElementById('filters')
  if (!filters || !window.matchMedia) return
  var wide = window.matchMedia('(min-width: 40.0625em)')
  function apply() { if (wide.matches) filters.open = true }
  apply()
  if (wide.addEventListener) wide.addEventListener('change', apply)
})()
