// Catalog filters: folded on phones (the results come first), always open beside the results on wide screens.
// Without this script the filters still work; they are simply folded until opened.
(function () {
  var filters = document.querySelector('details.catalog__toggle');
  if (filters && window.matchMedia('(min-width: 64rem)').matches) filters.open = true;
})();
