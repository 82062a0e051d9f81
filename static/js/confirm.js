/* Asks before an action that cannot be undone: a submit button with data-confirm="question" submits its
   form only when the user confirms (the browser's own dialog, so keyboards and screen readers handle it). */
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-confirm], input[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
