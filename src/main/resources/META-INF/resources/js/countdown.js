// Progressive enhancement: next to each deadline, how many days are left in the visitor's own time zone. The change
// takes effect at the start of its date there; the page already shows the last day to act without this script.
(function () {
  var lang = document.documentElement.lang || 'en';
  if (!window.Intl || !Intl.RelativeTimeFormat) {
    return;
  }
  var format = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  var today = new Date();
  today.setHours(0, 0, 0, 0);
  document.querySelectorAll('time[data-deadline]').forEach(function (time) {
    var parts = time.getAttribute('data-deadline').split('-');
    var takesEffect = new Date(Number(parts[0]), Number(parts[1]) - 1, Number(parts[2]));
    var daysLeft = Math.round((takesEffect - today) / 86400000) - 1;
    var countdown = document.createElement('span');
    countdown.className = 'countdown';
    countdown.textContent = ' (' + format.format(daysLeft, 'day') + ')';
    time.after(countdown);
  });
})();
