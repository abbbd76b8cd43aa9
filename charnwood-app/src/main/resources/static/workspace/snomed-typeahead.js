// Suggests SNOMED CT concepts for the coded fields of a form as the person types, from the typeahead endpoint,
// inside each field's ECL constraint. Choosing a suggestion fills in the concept's code, so the server need not
// search again; without this script the server resolves the typed term itself.
for (const input of document.querySelectorAll('input.app-snomed-term[data-ecl]')) {
  const code = input.form && input.form.querySelector(`input[type=hidden][name="${input.dataset.codeField}"]`)
  if (!code) continue
  const list = document.createElement('datalist')
  list.id = `${input.id}-suggestions`
  input.after(list)
  input.setAttribute('list', list.id)
  const known = new Map()
  let timer
  input.addEventListener('input', () => {
    const chosen = known.get(input.value)
    code.value = chosen || ''
    clearTimeout(timer)
    const q = input.value.trim()
    if (chosen || q.length < 3) return
    timer = setTimeout(async () => {
      const url = `/api/terminology/search?q=${encodeURIComponent(q)}&ecl=${encodeURIComponent(input.dataset.ecl)}&limit=10`
      try {
        const response = await fetch(url, { headers: { Accept: 'application/json' } })
        if (!response.ok) return
        const hits = await response.json()
        list.replaceChildren(...hits.map(hit => {
          known.set(hit.display, hit.code)
          const option = document.createElement('option')
          option.value = hit.display
          return option
        }))
      } catch (e) {
        // Suggestions are an extra: the server still resolves what was typed.
      }
    }, 250)
  })
}
