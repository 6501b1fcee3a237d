/* The phone pages of a field check: maps, position, and an upload queue that
   survives a lost connection, a closed tab or a reload.

   Each photo is hashed and put in IndexedDB the moment it is taken; a queue runner
   sends the items one by one while the phone is online, photos before the findings
   of their task. A 2xx removes the item; a 4xx with a reason marks it failed and
   keeps it for the officer; a network error, a 5xx or an expired login leave it
   queued. Plain ES2017, no build step; Leaflet comes from django-leaflet. */
(function () {
  "use strict";

  var cfgNode = document.getElementById("field-config");
  if (!cfgNode) return;
  var cfg = JSON.parse(cfgNode.textContent);
  var DB_NAME = "fazhi-field", STORE = "queue";
  var RETRY_MIN_MS = 2000, RETRY_MAX_MS = 60000, TICK_MS = 5000;
  var PHOTO_TIMEOUT_MS = 300000, SUBMIT_TIMEOUT_MS = 60000;

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // --- ids and hashes ---------------------------------------------------------------

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    // randomUUID needs a secure context; getRandomValues does not.
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) {
      return ("0" + x.toString(16)).slice(-2);
    }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" +
      h.slice(16, 20) + "-" + h.slice(20);
  }

  async function sha256(buffer) {
    if (window.crypto && crypto.subtle && window.isSecureContext) {
      try {
        var digest = await crypto.subtle.digest("SHA-256", buffer);
        return Array.prototype.map.call(new Uint8Array(digest), function (x) {
          return ("0" + x.toString(16)).slice(-2);
        }).join("");
      } catch (e) { /* fall through to the script implementation */ }
    }
    return window.fazhiSha256.hex(buffer);
  }

  // --- IndexedDB --------------------------------------------------------------------

  var memoryQueue = null; // used only where IndexedDB cannot be opened
  var dbPromise = null;

  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
        var req = indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = function () {
          req.result.createObjectStore(STORE, { keyPath: "uid" });
        };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    return dbPromise;
  }

  function tx(mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(STORE, mode), result;
        var req = work(t.objectStore(STORE));
        if (req) req.onsuccess = function () { result = req.result; };
        t.oncomplete = function () { resolve(result); };
        t.onerror = t.onabort = function () { reject(t.error); };
      });
    });
  }

  async function queueAll() {
    if (memoryQueue) return Object.values(memoryQueue);
    try {
      var all = await tx("readonly", function (s) { return s.getAll(); });
      return (all || []).filter(function (i) { return i.user === cfg.user; })
        .sort(function (a, b) { return a.createdAt - b.createdAt; });
    } catch (e) {
      memoryQueue = {};
      notice("本机浏览器无法离线保存照片（可能处于无痕模式），请保持联网直到上传完成。");
      return [];
    }
  }

  function queuePut(item) {
    if (memoryQueue) { memoryQueue[item.uid] = item; return Promise.resolve(); }
    // Only what a structured clone may hold: the bytes as an ArrayBuffer.
    return tx("readwrite", function (s) { return s.put(item); });
  }

  function queueDelete(uid) {
    if (memoryQueue) { delete memoryQueue[uid]; return Promise.resolve(); }
    return tx("readwrite", function (s) { return s.delete(uid); });
  }

  // --- banner -----------------------------------------------------------------------

  var authExpired = false, netTrouble = false, lastNotice = "";

  function notice(text) { lastNotice = text; refreshBanner(); }

  async function refreshBanner() {
    var banner = $("net-banner");
    if (!banner) return;
    var items = await queueAll();
    var n = items.filter(function (i) {
      return i.kind === "photo" && i.state !== "failed";
    }).length;
    var count = "（" + n + " 张待上传）";
    banner.textContent = "";
    banner.className = "net-banner";
    if (authExpired) {
      banner.classList.add("warn");
      banner.append("登录已过期：照片已保存在手机上，请");
      var a = el("a", "", "重新登录");
      a.href = cfg.loginUrl || "/login/";
      banner.append(a, "后自动上传" + count);
    } else if (!navigator.onLine) {
      banner.classList.add("offline");
      banner.textContent = "离线：照片已保存在手机上，联网后自动上传" + count;
    } else if (netTrouble && n) {
      banner.classList.add("warn");
      banner.textContent = "网络不稳定，稍后自动重试" + count;
    } else if (n) {
      banner.textContent = "正在上传" + count;
    } else if (lastNotice) {
      banner.classList.add("warn");
      banner.textContent = lastNotice;
    }
    banner.hidden = !banner.textContent;
  }

  // --- maps and position ------------------------------------------------------------

  var map = null, outlineLayer = null, me = null, meCircle = null, fix = null;

  function mapMake(node) {
    if (!node || !window.L) return null;
    var m = L.map(node, { attributionControl: Boolean(cfg.tileUrl) });
    if (cfg.tileUrl) {
      L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution || "", maxZoom: 19 })
        .addTo(m);
    }
    return m;
  }

  // A patch id comes from the delivered file: Leaflet puts a string tooltip in as
  // HTML, so hand it a node holding the text instead.
  function asText(text) {
    var span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span;
  }

  function mapShow(data, onFeature) {
    map = mapMake($("field-map"));
    if (!map || !data) return;
    outlineLayer = L.geoJSON(data, {
      style: function (f) {
        var high = f && f.properties && f.properties.priority === "high";
        return { color: high ? "#cf222e" : "#b3261e", weight: 3, fillOpacity: 0.15,
          className: "patch-outline" };
      },
      onEachFeature: onFeature
    }).addTo(map);
    var bounds = outlineLayer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 18 });
    else map.setView([27.83, 112.9], 10);
  }

  function positionText(text, cls) {
    var p = $("position");
    if (!p) return;
    p.textContent = text;
    p.className = "position " + (cls || "hint");
  }

  function onFix(pos) {
    var c = pos.coords;
    fix = { lat: c.latitude, lon: c.longitude, acc: c.accuracy, at: Date.now() };
    if (map) {
      var ll = [fix.lat, fix.lon];
      if (!me) {
        meCircle = L.circle(ll, { radius: fix.acc, color: "#0b57d0", weight: 1,
          fillOpacity: 0.1, interactive: false, className: "my-accuracy" }).addTo(map);
        me = L.circleMarker(ll, { radius: 7, color: "#fff", weight: 2,
          fillColor: "#0b57d0", fillOpacity: 1, className: "my-position" }).addTo(map);
        me.bindTooltip("我的位置");
      } else {
        me.setLatLng(ll);
        meCircle.setLatLng(ll).setRadius(fix.acc);
      }
    }
    if (!cfg.outline) return;
    var d = distanceToOutline(cfg.outline, fix.lat, fix.lon);
    var acc = "（定位精度 ±" + Math.round(fix.acc) + " 米）";
    if (d === 0) positionText("您在图斑内" + acc, "near");
    else positionText("距图斑约 " + Math.round(d) + " 米" + acc,
      d > cfg.farM ? "far" : "near");
  }

  function onFixError(err) {
    var why = { 1: "未允许定位（请在浏览器设置中允许本网站使用位置）",
      2: "暂时无法定位（请到开阔处或打开 GPS）", 3: "定位超时，正在重试" }[err.code];
    positionText("无法定位：" + (why || err.message) + "。照片将标注为无定位。", "warn");
  }

  function watchPosition() {
    if (!window.isSecureContext) {
      positionText("定位不可用：手机浏览器只在 HTTPS 页面提供定位，请让管理员启用 HTTPS。" +
        "照片将标注为无定位。", "warn");
      return;
    }
    if (!navigator.geolocation) {
      positionText("本浏览器不支持定位，照片将标注为无定位。", "warn");
      return;
    }
    navigator.geolocation.watchPosition(onFix, onFixError,
      { enableHighAccuracy: true, maximumAge: 10000, timeout: 60000 });
  }

  function freshFix() {
    if (!fix || Date.now() - fix.at > cfg.fixMaxAgeS * 1000) return null;
    return fix;
  }

  // Distance in metres from a point to a GeoJSON polygon (0 inside), on a local
  // flat approximation: good to a metre within a few kilometres. The server's
  // figure, in the batch's projected zone, is the one recorded.
  function distanceToOutline(geo, lat, lon) {
    if (geo.type === "Feature") geo = geo.geometry;
    var polys = geo.type === "Polygon" ? [geo.coordinates] :
      geo.type === "MultiPolygon" ? geo.coordinates : [];
    var kx = 111320 * Math.cos(lat * Math.PI / 180), ky = 110574;
    function xy(p) { return [(p[0] - lon) * kx, (p[1] - lat) * ky]; }
    var best = Infinity, inside = false;
    polys.forEach(function (rings) {
      var inPoly = false;
      rings.forEach(function (ring, r) {
        var pts = ring.map(xy), odd = false;
        for (var i = 0, j = pts.length - 1; i < pts.length; j = i++) {
          var a = pts[i], b = pts[j];
          if ((a[1] > 0) !== (b[1] > 0) &&
            0 < (b[0] - a[0]) * (0 - a[1]) / (b[1] - a[1]) + a[0]) odd = !odd;
          best = Math.min(best, segDist(a, b));
        }
        if (r === 0) inPoly = odd; else if (odd) inPoly = false;
      });
      inside = inside || inPoly;
    });
    return inside ? 0 : best;
  }

  function segDist(a, b) {
    var dx = b[0] - a[0], dy = b[1] - a[1], len = dx * dx + dy * dy;
    var t = len ? Math.max(0, Math.min(1, -(a[0] * dx + a[1] * dy) / len)) : 0;
    return Math.hypot(a[0] + t * dx, a[1] + t * dy);
  }

  // --- heading ----------------------------------------------------------------------

  var heading = null;

  function onOrientation(e) {
    if (typeof e.webkitCompassHeading === "number") heading = e.webkitCompassHeading;
    else if (e.absolute && typeof e.alpha === "number") heading = (360 - e.alpha) % 360;
  }

  function watchHeading() {
    if ("ondeviceorientationabsolute" in window) {
      window.addEventListener("deviceorientationabsolute", onOrientation);
    } else if ("DeviceOrientationEvent" in window) {
      window.addEventListener("deviceorientation", onOrientation);
    }
  }

  function askHeadingPermission() {
    // iOS 13+ asks once, and only from a tap.
    var D = window.DeviceOrientationEvent;
    if (D && typeof D.requestPermission === "function") {
      D.requestPermission().catch(function () { /* no heading then */ });
    }
  }

  // --- taking photos ----------------------------------------------------------------

  var thumbs = {}; // uid -> object URL

  function takenAt(file) {
    var now = Date.now(), t = file.lastModified;
    // A camera capture is stamped now; a picked file keeps its own time.
    return new Date(t && t <= now + 60000 && t > now - 864e5 * 365 ? t : now)
      .toISOString();
  }

  async function photoQueue(file) {
    var bytes = await file.arrayBuffer();
    var where = freshFix();
    var item = {
      uid: uuid(), kind: "photo", user: cfg.user, task: cfg.task,
      url: cfg.urls.photos, createdAt: Date.now(), state: "queued", error: "",
      name: file.name || "photo.jpg", type: file.type || "image/jpeg", bytes: bytes,
      sha256: await sha256(bytes), taken_at: takenAt(file), purpose: "check",
      latitude: where ? where.lat : null, longitude: where ? where.lon : null,
      accuracy_m: where ? where.acc : null,
      heading: heading === null ? null : Math.round(heading * 10) / 10
    };
    await queuePut(item);
    return item;
  }

  async function onPhotos(ev) {
    var files = Array.prototype.slice.call(ev.target.files || []);
    ev.target.value = "";
    for (var i = 0; i < files.length; i++) {
      try {
        await photoQueue(files[i]);
      } catch (e) {
        var full = e && e.name === "QuotaExceededError";
        notice(full ? "手机存储空间不足，照片未能保存，请清理空间后重拍。" :
          "照片未能保存在手机上：" + (e && e.message ? e.message : e));
      }
      await render();
    }
    pump(true);
  }

  // --- rendering --------------------------------------------------------------------

  var STATE_LABELS = { queued: "待上传", uploading: "上传中", failed: "失败" };

  function thumbFor(item) {
    if (!thumbs[item.uid]) {
      thumbs[item.uid] = URL.createObjectURL(new Blob([item.bytes], { type: item.type }));
    }
    return thumbs[item.uid];
  }

  function queueLi(item, position) {
    var state = uploading === item.uid ? "uploading" : item.state;
    var li = el("li", "photo " + state);
    li.dataset.uid = item.uid;
    var img = el("img");
    img.src = thumbFor(item);
    img.alt = "待上传的照片 " + position;
    li.append(img, el("span", "photo-state", STATE_LABELS[state] +
      (state === "failed" && item.error ? "（" + item.error + "）" : "")));
    li.append(el("span", "photo-place", item.latitude === null ? "无定位" :
      "定位 ±" + Math.round(item.accuracy_m || 0) + " 米"));
    if (state === "failed") {
      var retry = el("button", "small", "重试");
      retry.type = "button";
      retry.addEventListener("click", function () { itemRetry(item); });
      var drop = el("button", "small secondary", "删除");
      drop.type = "button";
      drop.addEventListener("click", function () { itemDrop(item); });
      li.append(retry, drop);
    }
    return li;
  }

  async function render() {
    var items = await queueAll();
    var list = $("photo-queue");
    if (list) {
      var mine = items.filter(function (i) {
        return i.kind === "photo" && i.task === cfg.task;
      });
      list.textContent = "";
      mine.forEach(function (item, k) { list.append(queueLi(item, k + 1)); });
      Object.keys(thumbs).forEach(function (uid) {
        if (!mine.some(function (i) { return i.uid === uid; })) {
          URL.revokeObjectURL(thumbs[uid]);
          delete thumbs[uid];
        }
      });
    }
    renderSubmit(items);
    refreshBanner();
  }

  function renderSubmit(items) {
    var form = $("findings-form");
    if (!form) return;
    var sub = items.find(function (i) { return i.kind === "submit" && i.task === cfg.task; });
    var state = $("submit-state");
    var pending = Boolean(sub && sub.state !== "failed");
    Array.prototype.forEach.call(form.elements, function (e) { e.disabled = pending; });
    showError(sub && sub.state === "failed" ? sub.error : "");
    if (!sub) { state.textContent = ""; return; }
    var stuck = items.some(function (i) {
      return i.kind === "photo" && i.task === cfg.task && i.state === "failed";
    });
    if (sub.state === "failed") state.textContent = "";
    else if (stuck) state.textContent = "有照片上传失败：请重试或删除该照片，之后才会提交核查结果。";
    else state.textContent = "核查结果已保存在手机上，照片上传完后自动提交。";
  }

  function showError(text) {
    var p = $("findings-error");
    if (!p) return;
    p.textContent = text || "";
    p.hidden = !text;
  }

  function photoLi(p, position) {
    var li = el("li", "photo done" + (p.far ? " far" : ""));
    li.dataset.uid = p.client_uid;
    var img = el("img");
    img.src = p.image_url;
    img.alt = "现场照片 " + position;
    img.loading = "lazy";
    li.append(img, el("span", "photo-state", "已上传"),
      el("span", "photo-place", p.located ? (p.distance_m === 0 ? "在图斑内" :
        "距图斑 " + Math.round(p.distance_m) + " 米") : "无定位"));
    if (p.far) li.append(el("span", "mark-far", "远离图斑"));
    return li;
  }

  async function refreshUploaded() {
    if (!cfg.urls || !$("photo-list")) return;
    try {
      var r = await fetch(cfg.urls.photos, { credentials: "same-origin",
        headers: { Accept: "application/json" } });
      if (!r.ok) return;
      var data = await r.json();
      var list = $("photo-list");
      list.textContent = "";
      data.photos.forEach(function (p, k) { list.append(photoLi(p, k + 1)); });
    } catch (e) { /* offline: the list stays as it was */ }
  }

  // --- the queue runner -------------------------------------------------------------

  var busy = false, uploading = null, retryAt = 0, delay = RETRY_MIN_MS;

  function csrfToken() {
    var name = (cfg.csrfCookie || "csrftoken") + "=";
    var found = document.cookie.split(";").map(function (c) { return c.trim(); })
      .find(function (c) { return c.indexOf(name) === 0; });
    if (found) return decodeURIComponent(found.slice(name.length));
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function nextItem(items) {
    var live = items.filter(function (i) { return i.state !== "failed"; });
    var photo = live.find(function (i) { return i.kind === "photo"; });
    if (photo) return photo;
    // Findings go after every photo of their task; a failed photo holds them back.
    return live.find(function (i) {
      return i.kind === "submit" && !items.some(function (p) {
        return p.kind === "photo" && p.task === i.task;
      });
    });
  }

  function body(item) {
    var fd = new FormData();
    if (item.kind === "submit") {
      fd.append("findings", item.findings);
      fd.append("observed_use", item.observed_use);
      return fd;
    }
    fd.append("file", new Blob([item.bytes], { type: item.type }), item.name);
    ["sha256", "taken_at", "purpose", "latitude", "longitude", "accuracy_m",
      "heading"].forEach(function (k) {
      fd.append(k, item[k] === null || item[k] === undefined ? "" : String(item[k]));
    });
    fd.append("client_uid", item.uid);
    return fd;
  }

  async function send(item) {
    var ctrl = new AbortController();
    var timer = setTimeout(function () { ctrl.abort(); },
      item.kind === "photo" ? PHOTO_TIMEOUT_MS : SUBMIT_TIMEOUT_MS);
    try {
      var r = await fetch(item.url, { method: "POST", body: body(item),
        credentials: "same-origin", signal: ctrl.signal,
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" } });
      var data = null;
      if ((r.headers.get("Content-Type") || "").indexOf("application/json") === 0) {
        data = await r.json();
      }
      return { status: r.status, data: data };
    } finally {
      clearTimeout(timer);
    }
  }

  // What to do with an answer: "done", "failed" (with reason), "auth", "retry".
  function verdict(res, kind) {
    var s = res.status, data = res.data;
    var expected = data && (kind === "photo" ? data.photo : data.task);
    if (s >= 200 && s < 300) return expected ? ["done"] : ["retry"];
    if (s === 401) return ["auth"];
    // A 403 without our JSON is Django's CSRF refusal: the page's token is stale.
    if (s === 403 && !(data && data.error)) return ["auth"];
    if (s === 408 || s === 429 || s >= 500) return ["retry"];
    if (s === 413) return ["failed", "照片太大，服务器拒绝接收（HTTP 413）"];
    return ["failed", data && data.error ? data.error : "服务器拒绝（HTTP " + s + "）"];
  }

  async function pump(now) {
    if (now) retryAt = 0;
    if (busy || authExpired || !navigator.onLine || Date.now() < retryAt) {
      refreshBanner();
      return;
    }
    busy = true;
    try {
      for (;;) {
        var item = nextItem(await queueAll());
        if (!item || !navigator.onLine) break;
        uploading = item.uid;
        await render();
        var outcome;
        try {
          outcome = verdict(await send(item), item.kind);
        } catch (e) {
          outcome = ["retry"];
        }
        uploading = null;
        if (!(await settle(item, outcome))) break;
      }
    } finally {
      busy = false;
      uploading = null;
      await render();
    }
  }

  // Record an answer; tell whether the runner may go on with the next item.
  async function settle(item, outcome) {
    if (outcome[0] === "done") {
      await queueDelete(item.uid);
      netTrouble = false;
      delay = RETRY_MIN_MS;
      if (item.kind === "submit") submitted(item);
      if (item.task === cfg.task) refreshUploaded();
      return true;
    }
    if (outcome[0] === "failed") {
      item.state = "failed";
      item.error = outcome[1];
      await queuePut(item);
      return true;
    }
    if (outcome[0] === "auth") {
      authExpired = true;
      return false;
    }
    netTrouble = true;
    retryAt = Date.now() + delay;
    delay = Math.min(delay * 2, RETRY_MAX_MS);
    return false;
  }

  async function itemRetry(item) {
    item.state = "queued";
    item.error = "";
    await queuePut(item);
    await render();
    pump(true);
  }

  async function itemDrop(item) {
    if (!window.confirm("删除后这张照片将不再上传，确定删除？")) return;
    await queueDelete(item.uid);
    await render();
  }

  // --- findings ---------------------------------------------------------------------

  function draftKey() { return "fazhi-field-draft-" + cfg.user + "-" + cfg.task; }

  function draftSave() {
    try {
      localStorage.setItem(draftKey(), JSON.stringify({
        findings: $("id_findings").value, observed_use: $("id_observed_use").value }));
    } catch (e) { /* no storage: the draft lives only on the page */ }
  }

  function draftLoad(items) {
    var sub = items.find(function (i) { return i.kind === "submit" && i.task === cfg.task; });
    var d = sub;
    if (!d) {
      try { d = JSON.parse(localStorage.getItem(draftKey()) || "null"); } catch (e) { d = null; }
    }
    if (!d) return;
    $("id_findings").value = d.findings || "";
    $("id_observed_use").value = d.observed_use || "";
  }

  async function onSubmit(ev) {
    ev.preventDefault();
    var findings = $("id_findings").value.trim();
    var use = $("id_observed_use").value.trim();
    if (!findings) { showError("请填写现场情况"); return; }
    if (!use) { showError("请填写现状用途"); return; }
    var items = await queueAll();
    var queued = items.filter(function (i) { return i.kind === "photo" && i.task === cfg.task; });
    if (!queued.length && !$("photo-list").children.length) {
      showError("请至少拍摄一张现场照片");
      return;
    }
    var old = items.filter(function (i) { return i.kind === "submit" && i.task === cfg.task; });
    for (var k = 0; k < old.length; k++) await queueDelete(old[k].uid);
    await queuePut({ uid: uuid(), kind: "submit", user: cfg.user, task: cfg.task,
      url: cfg.urls.submit, createdAt: Date.now(), state: "queued", error: "",
      findings: findings, observed_use: use });
    await render();
    pump(true);
  }

  function submitted(item) {
    try { localStorage.removeItem(draftKey()); } catch (e) { /* nothing kept */ }
    if (item.task !== cfg.task) return;
    var form = $("findings-form");
    if (form) {
      Array.prototype.forEach.call(form.elements, function (e) { e.disabled = true; });
    }
    var state = $("submit-state");
    if (state) state.textContent = "已提交，图斑待判定。";
    var badge = $("task-state");
    if (badge) { badge.textContent = "已提交 · 待判定"; badge.className = "state state-submitted"; }
    var button = document.querySelector(".photo-button");
    if (button) button.hidden = true;
    var input = $("photo-input");
    if (input) input.disabled = true;
  }

  // --- start ------------------------------------------------------------------------

  async function start() {
    if (cfg.page === "list") {
      mapShow(cfg.features, function (feature, layer) {
        layer.bindTooltip(asText(feature.properties.code));
        layer.on("click", function () { window.location.href = feature.properties.url; });
      });
    } else {
      mapShow(cfg.outline);
    }
    watchPosition();
    var input = $("photo-input");
    if (input) {
      watchHeading();
      input.addEventListener("click", askHeadingPermission);
      input.addEventListener("change", onPhotos);
      // On a slow phone the photo may be taken before this script ran: keep it.
      if (input.files && input.files.length) onPhotos({ target: input });
    }
    var form = $("findings-form");
    if (form) {
      draftLoad(await queueAll());
      form.addEventListener("input", draftSave);
      form.addEventListener("submit", onSubmit);
    }
    window.addEventListener("online", function () { netTrouble = false; pump(true); });
    window.addEventListener("offline", refreshBanner);
    // Back from logging in again in another tab: try the queue once more.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && authExpired) {
        authExpired = false;
        pump(true);
      }
    });
    setInterval(pump, TICK_MS);
    await render();
    document.body.dataset.fieldReady = "1";  // the browser tests wait for it
    pump(true);
  }

  // Exposed for the browser test and for support staff at the console.
  window.fazhiField = { pump: pump, queueAll: queueAll, sha256: sha256 };
  start();
})();
