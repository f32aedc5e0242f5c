// Sphinx's search shows, under each result, a snippet of the page's [role="main"] element.
// In this theme that element also holds the article's header (the download menu's ".ipynb
// .md .pdf", the buttons' labels) and the page's contents (the sidebar, and a list shown
// only in print), so every snippet began with "....pdf" and went on with section titles.
// On the search page (the only one that loads searchtools.js: book/_templates/layout.html)
// they are removed from a page before its text is taken. Elsewhere this does nothing.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") return;
  const pageText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page
      .querySelectorAll(".bd-header-article, .bd-sidebar-secondary, .onlyprint")
      .forEach((aside) => aside.remove());
    return pageText(page.documentElement.outerHTML, anchor);
  };
});
