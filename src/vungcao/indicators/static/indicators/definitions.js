// The pages that define a province's own indicators and groups of units (indicators/views_definitions.py).
// A group's list of units is filtered as one types (a name with or without diacritics, or a code), ticked
// in bulk and counted; an indicator's formula fields are shown for the operation chosen, and only for a
// derived indicator (a field refused by the server stays shown). Without script, every unit and every field
// is shown and both forms work the same.
(function () {
  "use strict";

  // As the server folds names (vungcao.engine.text.fold): no diacritics, đ as d, lower case, single spaces.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  function unitPicker(picker) {
    var filter = picker.querySelector("[data-unit-filter]");
    var count = picker.querySelector("[data-ticked-count]");
    var items = Array.prototype.slice.call(picker.querySelectorAll("[data-unit-search]"));
    function boxes(shownOnly) {
      return items.filter(function (item) { return !shownOnly || !item.hidden; })
        .map(function (item) { return item.querySelector("input[type=checkbox]"); });
    }
    function counted() {
      count.textContent = boxes(false).filter(function (box) { return box.checked; }).length;
    }
    filter.addEventListener("input", function () {
      var words = fold(filter.value).split(" ").filter(Boolean);
      items.forEach(function (item) {
        var text = item.getAttribute("data-unit-search");
        item.hidden = !words.every(function (word) { return text.indexOf(word) !== -1; });
      });
    });
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // Enter filters; it does not send the form
    });
    picker.querySelector("[data-tick-shown]").addEventListener("click", function () {
      boxes(true).forEach(function (box) { box.checked = true; });
      counted();
    });
    picker.querySelector("[data-untick-all]").addEventListener("click", function () {
      boxes(false).forEach(function (box) { box.checked = false; });
      counted();
    });
    picker.addEventListener("change", counted);
    picker.querySelector("[data-unit-picker-tools]").hidden = false;
    counted();
  }

  function formulaFields(form) {
    var kind = form.querySelector("[name=kind]");
    var op = form.querySelector("[name=formula_op]");
    var parts = Array.prototype.slice.call(form.querySelectorAll("[data-formula-op]"));
    function show(field, visible) {
      var answer = field.closest("dd");
      var refused = answer.querySelector(".errors") !== null;
      answer.hidden = !visible && !refused;
      answer.previousElementSibling.hidden = answer.hidden;
    }
    function update() {
      var derived = kind.value === "derived";
      show(op, derived);
      parts.forEach(function (field) {
        show(field, derived && field.getAttribute("data-formula-op") === op.value);
      });
    }
    kind.addEventListener("change", update);
    op.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-unit-picker]"), unitPicker);
    var indicator = document.getElementById("indicator-form");
    if (indicator && indicator.querySelector("[name=formula_op]")) { formulaFields(indicator); }
  });
}());
