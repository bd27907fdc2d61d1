// The vision's text editor: a goal title (optional) and a body, sent to the server as the person types
// (at most every `delay` ms while typing, at once when the field is left, Ctrl+Enter is pressed or the tab is
// hidden), so that a reload or a sleeping laptop loses nothing. Python replaces the text only by raising `seq`.
const memory = new WeakMap()

export default function (component) {
  const { data, parentElement, setStateValue } = component
  const find = (selector) => parentElement.querySelector(selector)
  const title = find(".hd-title")
  const body = find(".hd-body")
  const status = find(".hd-status")
  if (!title || !body || !status) return
  const labels = data.labels || {}
  find(".hd-title-label").textContent = labels.title || ""
  find(".hd-body-label").textContent = labels.body || ""
  find(".hd-hint").textContent = labels.hint || ""
  find(".hd-title-row").hidden = data.title === null
  title.setAttribute("aria-label", labels.title || "")
  body.setAttribute("aria-label", labels.body || "")
  body.rows = data.rows || 8

  let mine = memory.get(parentElement)
  if (!mine) {
    mine = { seq: null, sent: null, timer: null, flush: () => {} }
    memory.set(parentElement, mine)
  }
  const current = () => ({ title: data.title === null ? "" : title.value, body: body.value })
  if (mine.seq !== data.seq) {
    title.value = data.title ?? ""
    body.value = data.body ?? ""
    mine.seq = data.seq
    mine.sent = JSON.stringify(current())
  }
  const showStatus = () => {
    const pending = JSON.stringify(current()) !== mine.sent
    status.textContent = pending ? labels.typing : data.saved || labels.idle
  }
  const send = () => {
    clearTimeout(mine.timer)
    mine.timer = null
    const value = current()
    const text = JSON.stringify(value)
    if (text !== mine.sent) {
      mine.sent = text
      setStateValue("text", value)
    }
    showStatus()
  }
  const typed = () => {
    if (!mine.timer) mine.timer = setTimeout(send, data.delay || 1500)
    showStatus()
  }
  title.oninput = typed
  body.oninput = typed
  title.onblur = send
  body.onblur = send
  title.onkeydown = (event) => {
    if (event.key === "Enter") send()
  }
  body.onkeydown = (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) send()
  }
  mine.flush = send
  if (!mine.onHide) {
    mine.onHide = () => {
      if (document.visibilityState === "hidden") mine.flush()
    }
    mine.onLeave = () => mine.flush()
    document.addEventListener("visibilitychange", mine.onHide)
    window.addEventListener("pagehide", mine.onLeave)
  }
  showStatus()
  return () => {
    clearTimeout(mine.timer)
    document.removeEventListener("visibilitychange", mine.onHide)
    window.removeEventListener("pagehide", mine.onLeave)
    memory.delete(parentElement)
  }
}
