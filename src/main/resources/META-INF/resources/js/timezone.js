// Progressive enhancement: offer the browser's own time zone when the field is empty. The form works without it.
document.querySelectorAll('input[data-browser-time-zone]').forEach(function (input) {
  if (!input.value && window.Intl) {
    input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
  }
});
