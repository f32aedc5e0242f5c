// Each figure of a chapter is a link to its own file: a click (or a tap on a phone, where
// figures are shrunk to the column) opens it alone, at full size, to zoom into.
document.addEventListener("DOMContentLoaded", () => {
  for (const image of document.querySelectorAll("article img")) {
    if (!image.getAttribute("src").includes("_images/") || image.closest("a")) continue;
    const link = document.createElement("a");
    link.href = image.src;
    link.className = "dlp-figure-link";
    link.style.cursor = "zoom-in";
    image.replaceWith(link);
    link.appendChild(image);
  }
});
