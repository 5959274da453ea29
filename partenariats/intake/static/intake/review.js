// The import's review page: "voir la source" scrolls the text to the value's passage and
// highlights every piece of it (a passage cut by another one is in several <mark> elements
// sharing its data-source). Without JavaScript the link still jumps to the passage (:target).
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.intake-source-link");
  if (!link) {
    return;
  }
  const source = link.dataset.source;
  const first = document.getElementById(source);
  if (!first) {
    return;
  }
  // The page's address stays the same: the hash would follow the saved form's redirect.
  event.preventDefault();
  document.querySelectorAll("mark.is-current").forEach((mark) => mark.classList.remove("is-current"));
  document.querySelectorAll("mark[data-source]").forEach((mark) => {
    if (mark.dataset.source === source) {
      mark.classList.add("is-current");
    }
  });
  first.scrollIntoView({ block: "center" });
});
