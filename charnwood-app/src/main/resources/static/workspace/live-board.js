// Keeps a board current without reloading the page: every 30 seconds the same page is fetched and the board
// replaced, unless someone is using a control on it. Without JavaScript the board is as fresh as its last load.
const board = document.querySelector('[data-live-board]')
if (board) {
  setInterval(async () => {
    if (board.contains(document.activeElement) && document.activeElement !== document.body) return
    try {
      const response = await fetch(window.location.href, { headers: { Accept: 'text/html' }, credentials: 'same-origin' })
      if (!response.ok) return
      const page = new DOMParser().parseFromString(await response.text(), 'text/html')
      const fresh = page.querySelector('[data-live-board]')
      if (fresh) board.innerHTML = fresh.innerHTML
    } catch (e) {
      // offline for a moment: keep showing the last board
    }
  }, 30000)
}
