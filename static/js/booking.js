// The booking form's time menus follow the space and the day chosen: that day's opening hours,
// by half hours, as the server offers them for the space and day it was given (without script,
// the server still checks whatever is sent). A residency runs day and night: its hours hide.
(function () {
  "use strict";
  const form = document.querySelector(".booking-form");
  const data = document.getElementById("opening-hours");
  if (!form || !data) return;
  const hours = JSON.parse(data.textContent);
  const STEP = 30;
  const space = form.elements.space;
  const day = form.elements.day;
  const start = form.elements.start;
  const end = form.elements.end;

  function minutes(text) {
    const parts = text.split(":").map(Number);
    return parts[0] * 60 + parts[1];
  }

  function written(total) {
    return String(Math.floor(total / 60)).padStart(2, "0") + ":" + String(total % 60).padStart(2, "0");
  }

  // The same choice as BookingForm.day_hours: the space's hours that weekday, else all its
  // week's, else every space's.
  function dayHours() {
    const spaces = hours[space.value] ? [hours[space.value]] : Object.values(hours);
    if (spaces.length === 1 && day.value) {
      const weekday = (new Date(day.value + "T12:00:00").getDay() + 6) % 7; // Monday is 0
      if (spaces[0][weekday]) return spaces[0][weekday];
    }
    const every = spaces.flatMap(function (week) { return Object.values(week); });
    if (!every.length) return ["07:00", "22:00"];
    return [
      every.map(function (h) { return h[0]; }).sort()[0],
      every.map(function (h) { return h[1]; }).sort().pop(),
    ];
  }

  function fill(select, times, wanted) {
    select.replaceChildren.apply(select, times.map(function (time) {
      return new Option(time, time, false, time === wanted);
    }));
  }

  function update() {
    const bounds = dayHours();
    const times = [];
    for (let t = Math.ceil(minutes(bounds[0]) / STEP) * STEP; t <= minutes(bounds[1]); t += STEP) {
      times.push(written(t));
    }
    if (times.length < 2) return;
    const starts = times.slice(0, -1);
    const ends = times.slice(1);
    const startWas = start.value;
    const endWas = end.value;
    const newStart = starts.includes(startWas) ? startWas : starts[0];
    fill(start, starts, newStart);
    let newEnd = endWas;
    if (!ends.includes(endWas) || endWas <= newStart) {
      const hourLater = written(minutes(newStart) + 60);
      newEnd = ends.includes(hourLater) ? hourLater : ends[ends.length - 1];
    }
    fill(end, ends, newEnd);
  }

  space.addEventListener("change", update);
  day.addEventListener("change", update);

  const times = form.querySelector(".booking-times");
  const repeat = form.querySelector(".booking-repeat");
  function kindChanged() {
    const chosen = form.querySelector('input[name="kind"]:checked');
    const residency = Boolean(chosen) && chosen.value === "residency";
    if (times) times.hidden = residency;
    if (repeat) repeat.hidden = residency;
  }
  form.querySelectorAll('input[name="kind"]').forEach(function (radio) {
    radio.addEventListener("change", kindChanged);
  });
  kindChanged();
})();
