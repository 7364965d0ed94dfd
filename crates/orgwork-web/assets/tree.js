// orgwork's tree of units, for the keyboard: one Tab stop per unit (its link). The arrow
// towards the line's end opens a unit's sub-units, the other closes them, or, on a closed
// or childless unit, goes to its parent. Without this script the tree still works: each
// unit's summary is then a Tab stop of its own, and opens with Enter or Space.
(function () {
  function setup(root) {
    root.querySelectorAll('.tree details > summary').forEach(function (s) {
      s.tabIndex = -1;
      var link = s.querySelector('a');
      if (link) link.setAttribute('aria-expanded', String(s.parentElement.open));
    });
  }
  document.addEventListener('DOMContentLoaded', function () { setup(document); });
  document.addEventListener('htmx:afterSwap', function (e) { setup(e.target); });
  document.addEventListener('toggle', function (e) {
    var d = e.target;
    if (!d.matches || !d.matches('.tree details')) return;
    var link = d.querySelector(':scope > summary a');
    if (link) link.setAttribute('aria-expanded', String(d.open));
  }, true);
  document.addEventListener('keydown', function (e) {
    var link = e.target.closest && e.target.closest('.tree a');
    if (!link) return;
    var rtl = document.documentElement.dir === 'rtl';
    var opens = rtl ? 'ArrowLeft' : 'ArrowRight';
    var closes = rtl ? 'ArrowRight' : 'ArrowLeft';
    var summary = link.closest('summary');
    var details = summary && summary.parentElement;
    // The toggle event comes later, as a task of its own: the state is said at once.
    if (e.key === opens && details && !details.open) {
      details.open = true;
      link.setAttribute('aria-expanded', 'true');
      e.preventDefault();
    } else if (e.key === closes) {
      if (details && details.open) {
        details.open = false;
        link.setAttribute('aria-expanded', 'false');
      } else {
        var li = link.closest('li');
        var up = li && li.parentElement && li.parentElement.closest('details');
        var parent = up && up.querySelector(':scope > summary a');
        if (parent) parent.focus();
      }
      e.preventDefault();
    }
  });
})();
