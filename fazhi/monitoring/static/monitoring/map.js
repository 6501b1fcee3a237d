// Draw the page's patch and layer outlines with Leaflet, offline: no tiles unless
// the bureau configured its own source (settings MAP_TILE_URL).
(function () {
  "use strict";
  var holder = document.getElementById("map");
  var data = JSON.parse(document.getElementById("map-data").textContent);
  if (!holder || !window.L) { return; }
  var map = L.map(holder, { preferCanvas: true, attributionControl: !!data.tiles });
  if (data.tiles) {
    L.tileLayer(data.tiles, { attribution: data.attribution || "", maxZoom: 19 }).addTo(map);
  }
  var colours = { high: "#c0392b", normal: "#d68910", low: "#1e8449" };
  function style(feature) {
    var p = feature.properties || {};
    if (p.role === "layer") {
      return { color: p.colour || "#2e86c1", weight: 1, fillOpacity: 0.15, dashArray: "4 3" };
    }
    return { color: colours[p.priority] || "#d68910", weight: 2, fillOpacity: 0.25 };
  }
  // Patch ids and layer names come from imported files: Leaflet puts a string
  // tooltip in as HTML, so hand it a node holding the text instead.
  function asText(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }
  function each(feature, layer) {
    var p = feature.properties || {};
    var label = p.role === "layer" ? (p.layer + "：" + p.code) : ("图斑 " + p.code + "（" + p.state + "）");
    layer.bindTooltip(asText(label));
    if (p.url) { layer.on("click", function () { window.location.href = p.url; }); }
  }
  var shapes = L.geoJSON(data.features, { style: style, onEachFeature: each }).addTo(map);
  var bounds = shapes.getBounds();
  if (bounds.isValid()) { map.fitBounds(bounds, { padding: [16, 16] }); }
  else { map.setView([27.78, 112.9], 10); }
  L.control.scale({ imperial: false }).addTo(map);
})();
