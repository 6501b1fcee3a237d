// Draw a project's outline on the offline map: click its corners, then 完成 writes
// the polygon (CGCS2000 lon/lat GeoJSON) into the form's 项目范围 box. No tiles,
// nothing fetched; an outline already in the box is shown and may be redrawn.
(function () {
  "use strict";
  var holder = document.getElementById("outline-map");
  var box = document.getElementById("id_polygon");
  if (!holder || !box || !window.L) { return; }
  var status = document.getElementById("outline-status");
  var map = L.map(holder, { attributionControl: false }).setView([27.86, 112.85], 11);
  L.control.scale({ imperial: false }).addTo(map);
  var points = [];
  var line = L.polyline([], { color: "#c0392b", weight: 2 }).addTo(map);
  var shape = null;

  function say(text) { status.textContent = text; }
  function redraw() { line.setLatLngs(points); }
  function show(geometry) {
    if (shape) { map.removeLayer(shape); }
    shape = L.geoJSON(geometry, { style: { color: "#c0392b", weight: 2, fillOpacity: 0.2 } }).addTo(map);
    map.fitBounds(shape.getBounds(), { padding: [16, 16] });
  }
  try {
    var existing = box.value.trim() ? JSON.parse(box.value) : null;
    if (existing) { show(existing.geometry || existing); }
  } catch (e) { /* the box holds text the form will refuse with its own message */ }

  map.on("click", function (e) {
    points.push(e.latlng);
    redraw();
    say("已点 " + points.length + " 个拐点");
  });
  document.getElementById("outline-done").addEventListener("click", function () {
    if (points.length < 3) { say("至少点三个拐点才能围成范围"); return; }
    var ring = points.map(function (p) {
      return [Math.round(p.lng * 1e8) / 1e8, Math.round(p.lat * 1e8) / 1e8];
    });
    ring.push(ring[0]);
    var geometry = { type: "Polygon", coordinates: [ring] };
    box.value = JSON.stringify(geometry);
    show(geometry);
    points = [];
    redraw();
    say("已写入项目范围（" + (ring.length - 1) + " 个拐点）");
  });
  document.getElementById("outline-clear").addEventListener("click", function () {
    points = [];
    redraw();
    if (shape) { map.removeLayer(shape); shape = null; }
    box.value = "";
    say("已清除，请重新点击拐点");
  });
})();
