// Paper is light: while the page prints, it is in the theme's light mode (syntax colours and
// all), then back in the reader's mode. The print rules in dlpractice.css set the theme's
// light colours too, for a browser that prints without running this.
(() => {
  let mode = null;
  window.addEventListener("beforeprint", () => {
    mode = document.documentElement.dataset.theme;
    document.documentElement.dataset.theme = "light";
  });
  window.addEventListener("afterprint", () => {
    if (mode !== null) {
      document.documentElement.dataset.theme = mode;
      mode = null;
    }
  });
})();
