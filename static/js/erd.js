// Pan, zoom and find for ERDs (templates/catalog/diagram.html), on svg-pan-zoom
// (static/vendor/svg-pan-zoom-3.6.2.min.js). Wired by data- attributes only, so it
// runs under a script-src 'self' policy; diagrams swapped in by htmx are set up too.
(function () {
  "use strict";

  // 1 SVG point per CSS pixel: graphviz's 10 pt labels read as 10 px text.
  var READABLE = 1;
  var OPENING = 0.7; // the whole drawing opens fitted when it reads at this scale or more
  var MOVED = 4; // pixels a press may move and still count as a click on a box

  function tableName(node) {
    var link = node.querySelector("a");
    var title = link && (link.getAttribute("xlink:title") || link.getAttribute("title"));
    return title ? title.split("\n")[0] : "";
  }

  function tables(svg) {
    var found = [];
    svg.querySelectorAll("g.node").forEach(function (node) {
      var name = tableName(node);
      if (name && name !== "Legend") found.push({ name: name, node: node });
    });
    return found;
  }

  function match(list, wanted) {
    wanted = wanted.trim().toLowerCase();
    if (!wanted) return null;
    var exact = null, bare = null, part = null;
    list.forEach(function (t) {
      var name = t.name.toLowerCase();
      var short = name.slice(name.lastIndexOf(".") + 1);
      if (name === wanted) exact = exact || t;
      else if (short === wanted) bare = bare || t;
      else if (name.indexOf(wanted) >= 0) part = part || t;
    });
    return exact || bare || part;
  }

  function setup(frame) {
    if (frame.dataset.erdReady || typeof window.svgPanZoom !== "function") return;
    var svg = frame.querySelector("svg.erd");
    if (!svg) return;
    frame.dataset.erdReady = "1";
    var box = frame.closest(".diagram") || frame.parentNode;
    var zoomLabel = box.querySelector("[data-erd-zoom]");
    var list = tables(svg);

    svg.setAttribute("width", "100%");
    svg.setAttribute("height", "100%");
    var pz = window.svgPanZoom(svg, {
      fit: true,
      center: true,
      minZoom: 0.02,
      maxZoom: 40,
      zoomScaleSensitivity: 0.25,
      dblClickZoomEnabled: false,
      onZoom: show,
    });

    function show() {
      if (zoomLabel) zoomLabel.textContent = Math.round(pz.getSizes().realZoom * 100) + "%";
    }

    function zoomToReal(real) {
      var sizes = pz.getSizes();
      pz.zoom((pz.getZoom() * real) / sizes.realZoom);
    }

    // From the drawing's coordinates, not the screen's: svg-pan-zoom redraws on the next
    // animation frame, so screen positions lag behind a zoom made just before.
    function centreOn(node) {
      var viewport = svg.querySelector(".svg-pan-zoom_viewport");
      var box = node.getBBox();
      var point = svg.createSVGPoint();
      point.x = box.x + box.width / 2;
      point.y = box.y + box.height / 2;
      point = point.matrixTransform(viewport.getCTM().inverse().multiply(node.getCTM()));
      var sizes = pz.getSizes();
      pz.pan({ x: sizes.width / 2 - point.x * sizes.realZoom, y: sizes.height / 2 - point.y * sizes.realZoom });
    }

    function highlight(node) {
      svg.querySelectorAll(".erd-hit").forEach(function (n) { n.classList.remove("erd-hit"); });
      node.classList.add("erd-hit");
    }

    // Open at a readable scale: the whole drawing when it fits legibly, else 100 %
    // centred on the focus table (neighbourhoods) or on the middle of the drawing.
    var focus = frame.dataset.focus ? match(list, frame.dataset.focus) : null;
    if (pz.getSizes().realZoom < OPENING) {
      // A neighbourhood opens a little smaller, so the focus shows with its neighbours.
      zoomToReal(focus ? OPENING : READABLE);
      if (focus) centreOn(focus.node);
      else pz.center();
    }
    if (focus) focus.node.classList.add("erd-focus");
    show();

    box.querySelectorAll("[data-erd-action]").forEach(function (button) {
      button.addEventListener("click", function () {
        var action = button.dataset.erdAction;
        if (action === "in") pz.zoomIn();
        else if (action === "out") pz.zoomOut();
        else if (action === "fit") { pz.resetZoom(); pz.fit(); pz.center(); }
        else if (action === "actual") { zoomToReal(READABLE); if (focus) centreOn(focus.node); }
        show();
        frame.focus();
      });
    });

    var find = box.querySelector("[data-erd-find]");
    if (find) {
      var input = find.querySelector("input");
      var options = find.querySelector("datalist");
      var status = find.querySelector("[data-erd-find-status]");
      if (options) {
        list.slice().sort(function (a, b) { return a.name < b.name ? -1 : 1; }).forEach(function (t) {
          var o = document.createElement("option");
          o.value = t.name;
          options.appendChild(o);
        });
      }
      find.addEventListener("submit", function (event) {
        event.preventDefault();
        var hit = match(list, input.value);
        if (!hit) {
          if (status) status.textContent = "No table “" + input.value + "” in this diagram.";
          return;
        }
        if (status) status.textContent = "";
        highlight(hit.node);
        if (pz.getSizes().realZoom < READABLE) zoomToReal(READABLE);
        centreOn(hit.node);
        show();
      });
    }

    // A drag that ends over a box must not follow its link; a click still does.
    var down = null;
    svg.addEventListener("mousedown", function (e) { down = { x: e.clientX, y: e.clientY }; }, true);
    svg.addEventListener("click", function (e) {
      if (down && Math.abs(e.clientX - down.x) + Math.abs(e.clientY - down.y) > MOVED) {
        e.preventDefault();
        e.stopPropagation();
      }
      down = null;
    }, true);

    frame.addEventListener("keydown", function (e) {
      if (e.target !== frame) return;
      var step = 60;
      var keys = {
        "+": function () { pz.zoomIn(); }, "=": function () { pz.zoomIn(); },
        "-": function () { pz.zoomOut(); },
        "0": function () { pz.resetZoom(); pz.fit(); pz.center(); },
        ArrowLeft: function () { pz.panBy({ x: step, y: 0 }); },
        ArrowRight: function () { pz.panBy({ x: -step, y: 0 }); },
        ArrowUp: function () { pz.panBy({ x: 0, y: step }); },
        ArrowDown: function () { pz.panBy({ x: 0, y: -step }); },
      };
      if (keys[e.key]) { e.preventDefault(); keys[e.key](); show(); }
    });

    frame.erd = pz; // for tests and the console
  }

  function scan(root) {
    (root || document).querySelectorAll("[data-erd]").forEach(setup);
  }

  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (e) { scan(e.detail.elt.parentNode || document); });
})();
