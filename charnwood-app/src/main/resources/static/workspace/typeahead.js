// Turns each coded field's text box into a combobox (WAI-ARIA 1.2 pattern, list autocomplete): as the person types,
// matches within the field's constraint come from /api/terminology/search; arrow keys move through them, Enter or a
// click chooses one, Escape closes the list. Choosing fills the hidden code; typing again clears it, so the server
// looks the text up afresh. Without this script the form still works: the server resolves the text typed.
let counter = 0

function enhance (group) {
  const input = group.querySelector('[data-typeahead-input]')
  const code = group.querySelector('[data-typeahead-code]')
  if (!input || !code) return
  const ecl = group.getAttribute('data-typeahead')
  const id = input.id + '-listbox'
  const list = document.createElement('ul')
  list.id = id
  list.className = 'app-typeahead__list'
  list.setAttribute('role', 'listbox')
  list.setAttribute('aria-label', 'Matches')
  list.hidden = true
  const status = document.createElement('div')
  status.className = 'nhsuk-u-visually-hidden'
  status.setAttribute('role', 'status')
  status.setAttribute('aria-live', 'polite')
  input.insertAdjacentElement('afterend', list)
  list.insertAdjacentElement('afterend', status)
  input.setAttribute('role', 'combobox')
  input.setAttribute('aria-autocomplete', 'list')
  input.setAttribute('aria-expanded', 'false')
  input.setAttribute('aria-controls', id)

  let options = []
  let active = -1
  let timer = null
  let asked = 0

  const close = () => {
    list.hidden = true
    input.setAttribute('aria-expanded', 'false')
    input.removeAttribute('aria-activedescendant')
    active = -1
  }

  const highlight = (index) => {
    active = index
    Array.from(list.children).forEach((li, i) => li.setAttribute('aria-selected', i === index ? 'true' : 'false'))
    if (index >= 0) {
      input.setAttribute('aria-activedescendant', list.children[index].id)
      list.children[index].scrollIntoView({ block: 'nearest' })
    } else {
      input.removeAttribute('aria-activedescendant')
    }
  }

  const choose = (index) => {
    const option = options[index]
    if (!option) return
    input.value = option.display
    code.value = option.code
    // A choice from the list replaces the radios the server offered for the text typed before.
    const radios = group.querySelector('[data-typeahead-choices]')
    if (radios) radios.remove()
    close()
    status.textContent = option.display + ' chosen'
  }

  const show = (rows) => {
    options = rows
    list.replaceChildren()
    rows.forEach((row, i) => {
      const li = document.createElement('li')
      li.id = id + '-' + (counter++)
      li.className = 'app-typeahead__option'
      li.setAttribute('role', 'option')
      li.setAttribute('aria-selected', 'false')
      li.setAttribute('data-code', row.code)
      li.setAttribute('data-display', row.display)
      li.textContent = row.display
      if (row.matched) {
        const also = document.createElement('span')
        also.className = 'app-typeahead__matched'
        also.textContent = ' (' + row.matched + ')'
        li.appendChild(also)
      }
      li.addEventListener('mousedown', (event) => { event.preventDefault(); choose(i) })
      list.appendChild(li)
    })
    if (rows.length === 0) {
      close()
      status.textContent = 'No matches'
      return
    }
    list.hidden = false
    input.setAttribute('aria-expanded', 'true')
    active = -1
    status.textContent = rows.length + (rows.length === 1 ? ' match' : ' matches') + ' available. Use the up and down arrow keys to choose.'
  }

  const search = async () => {
    const q = input.value.trim()
    if (q.length < 2) { close(); return }
    const mine = ++asked
    try {
      const url = '/api/terminology/search?limit=10&q=' + encodeURIComponent(q) + '&ecl=' + encodeURIComponent(ecl)
      const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      if (!response.ok || mine !== asked) return
      show(await response.json())
    } catch (e) {
      // the server will look the text up when the form is sent
    }
  }

  input.addEventListener('input', () => {
    code.value = ''
    clearTimeout(timer)
    timer = setTimeout(search, 200)
  })
  input.addEventListener('keydown', (event) => {
    const open = !list.hidden && options.length > 0
    if (event.key === 'ArrowDown') {
      event.preventDefault()
      if (!open) { search(); return }
      highlight(active < options.length - 1 ? active + 1 : 0)
    } else if (event.key === 'ArrowUp') {
      if (!open) return
      event.preventDefault()
      highlight(active > 0 ? active - 1 : options.length - 1)
    } else if (event.key === 'Enter') {
      if (open && active >= 0) { event.preventDefault(); choose(active) }
    } else if (event.key === 'Escape') {
      if (open) { event.preventDefault(); close() }
    }
  })
  input.addEventListener('blur', () => setTimeout(close, 150))
}

document.querySelectorAll('[data-typeahead]').forEach(enhance)
