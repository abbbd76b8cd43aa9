// Keeps a board current without reloading the page. The server says when something on the board changed, by
// server-sent events (data-events names the stream); the page is then fetched again and the board replaced.
// Where EventSource is missing, or the browser gives up on the stream, the board is fetched every 30 seconds
// instead. A board being used (a control on it has focus) is left alone until focus leaves it. Without
// JavaScript the board is as fresh as its last load. These requests are marked as the page's own (the event
// stream by its type, fetches by a header) so they do not count as someone using the workstation: the session
// still times out when nobody touches it, and the page then reloads, which takes the person to sign in.
const board = document.querySelector('[data-live-board]')
if (board) {
  let pending = false
  let timer = null
  let polling = null

  const inUse = () => board.contains(document.activeElement) && document.activeElement !== document.body

  const refresh = async () => {
    if (inUse()) { pending = true; return }
    pending = false
    try {
      const response = await fetch(window.location.href,
        { headers: { Accept: 'text/html', 'X-Background-Refresh': 'board' }, credentials: 'same-origin' })
      // Sent to sign in (the session timed out or ended): show the person the sign-in page rather than a stale board.
      if (response.redirected || response.status === 401) {
        window.location.reload()
        return
      }
      if (!response.ok) return
      const page = new DOMParser().parseFromString(await response.text(), 'text/html')
      const fresh = page.querySelector('[data-live-board]')
      if (!fresh) return
      // Only a board that changed is replaced, so a control someone is about to use stays where it is.
      const table = (element) => { const t = element.querySelector('table'); return t ? t.outerHTML : '' }
      if (table(fresh) === table(board)) {
        const when = fresh.querySelector('#board-updated')
        const here = board.querySelector('#board-updated')
        if (when && here) here.textContent = when.textContent
      } else {
        board.innerHTML = fresh.innerHTML
      }
    } catch (e) {
      // offline for a moment: keep showing the last board
    }
  }

  // One set of observations is several changes in a moment: one fetch answers them all.
  const soon = () => { clearTimeout(timer); timer = setTimeout(refresh, 400) }

  const poll = () => { if (!polling) polling = setInterval(refresh, 30000) }

  board.addEventListener('focusout', () => { if (pending) soon() })

  const stream = board.getAttribute('data-events')
  if (stream && 'EventSource' in window) {
    const source = new EventSource(stream, { withCredentials: true })
    let opened = false
    source.addEventListener('ready', () => {
      // After a reconnection changes may have been missed while the stream was down.
      if (opened) soon()
      opened = true
      board.setAttribute('data-live', 'events')
    })
    source.addEventListener('board', soon)
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        // Closed for good, e.g. refused because the session timed out: look now rather than in 30 seconds.
        board.setAttribute('data-live', 'polling')
        poll()
        soon()
      }
    })
  } else {
    board.setAttribute('data-live', 'polling')
    poll()
  }
}
