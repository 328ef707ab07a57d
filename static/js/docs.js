// A click on an editable description opens its editor, unless the click was on a link
// inside it. This was an htmx trigger filter, which needs eval: the CSP forbids it.
document.addEventListener("click", (event) => {
  const doc = event.target.closest(".doc.editable[hx-get]");
  if (doc && !event.target.closest("a")) {
    htmx.trigger(doc, "doc-edit");
  }
});
