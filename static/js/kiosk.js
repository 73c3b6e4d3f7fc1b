/* The kiosk starts again after a while without a touch: the "Start again" form is sent,
   marked as idle, so the server forgets the person (it also checks the time itself). */
(function () {
  "use strict";
  var seconds = parseInt(document.body.getAttribute("data-idle-seconds"), 10);
  var form = document.getElementById("kiosk-restart");
  if (!seconds || !form) {
    return;
  }
  var timer = null;
  function restart() {
    form.elements.idle.value = "1";
    form.submit();
  }
  function wait() {
    window.clearTimeout(timer);
    timer = window.setTimeout(restart, seconds * 1000);
  }
  ["pointerdown", "keydown", "input", "touchstart", "scroll"].forEach(function (name) {
    document.addEventListener(name, wait, { passive: true, capture: true });
  });
  wait();
}());
