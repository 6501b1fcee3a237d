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
  // Colours come with the features (monitoring/maps.py), and so does the legend.
  function style(feature) {
    var p = feature.properties || {};
    if (p.role === "layer") {
      return { color: p.colour || "#2e86c1", weight: 1, fillOpacity: 0.15, dashArray: "4 3" };
    }
    return { color: p.colour || "#d68910", weight: 2, fillOpacity: 0.25 };
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
  // The legend: one line per colour on the map, written as text (layer names come
  // from imported files).
  var rows = data.legend || [];
  if (rows.length) {
    var Legend = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "map-legend");
        box.setAttribute("role", "list");
        box.setAttribute("aria-label", "图例");
        var title = L.DomUtil.create("strong", "", box);
        title.textContent = "图例";
        rows.forEach(function (row) {
          var line = L.DomUtil.create("div", "map-legend-row", box);
          line.setAttribute("role", "listitem");
          var swatch = L.DomUtil.create("span", "map-legend-swatch " + row.kind, line);
          swatch.style.borderColor = row.colour;
          swatch.style.backgroundColor = row.colour;
          var text = L.DomUtil.create("span", "", line);
          text.textContent = row.label;
        });
        return box;
      }
    });
    new Legend().addTo(map);
  }
})();
