// The map of organizations (src/platform/views/map.tsx): when the map comes near the screen, loads Leaflet and
// the markers (carried in the page, or fetched from data-markers-url), draws them in the hidden container and
// shows it. The page is whole without this script: the places are listed as text beside the container or on a
// page it links to. Popups are built from DOM nodes with textContent, never from HTML strings, so a name cannot
// inject markup.
(function () {
  var containers = document.querySelectorAll('[data-map]');
  if (containers.length === 0 || !window.Promise) return;

  function popupOf(marker) {
    var box = document.createElement('div');
    var link = document.createElement('a');
    link.href = marker.href;
    link.textContent = marker.name;
    var title = document.createElement('strong');
    title.appendChild(link);
    box.appendChild(title);
    var address = document.createElement('div');
    address.textContent = marker.address;
    box.appendChild(address);
    if (marker.note) {
      var note = document.createElement('div');
      note.textContent = marker.note;
      box.appendChild(note);
    }
    return box;
  }

  function markersOf(container) {
    var url = container.getAttribute('data-markers-url');
    if (url) {
      return fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (response) {
          return response.ok ? response.json() : { places: [] };
        })
        .then(function (answer) {
          return answer.places || [];
        });
    }
    var data = container.parentNode.querySelector('script.map-markers');
    try {
      return Promise.resolve(JSON.parse(data ? data.textContent : '[]'));
    } catch (error) {
      return Promise.resolve([]);
    }
  }

  // Leaflet's script and stylesheet once per page, however many maps it has.
  var leaflet = null;
  function loadLeaflet(container) {
    if (leaflet) return leaflet;
    leaflet = new Promise(function (resolve, reject) {
      var link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = container.getAttribute('data-stylesheet');
      var script = document.createElement('script');
      script.src = container.getAttribute('data-script');
      var waiting = 2;
      function done() {
        if (--waiting === 0) (window.L ? resolve : reject)(window.L);
      }
      link.onload = done;
      script.onload = done;
      link.onerror = reject;
      script.onerror = reject;
      document.head.appendChild(link);
      document.head.appendChild(script);
    });
    return leaflet;
  }

  function draw(container, L, markers) {
    if (!markers.length) return;
    container.hidden = false;
    // No fading: a popup is readable at once (and for people who asked for less motion).
    var map = L.map(container, { scrollWheelZoom: false, fadeAnimation: false });
    map.attributionControl.setPrefix('');
    L.tileLayer(container.getAttribute('data-tiles'), {
      maxZoom: 18,
      attribution: '',
    }).addTo(map);
    // Plain text: the attribution control takes HTML.
    var attribution = document.createElement('span');
    attribution.textContent = container.getAttribute('data-attribution') || '';
    map.attributionControl.addAttribution(attribution.innerHTML);
    var points = [];
    markers.forEach(function (marker) {
      var point = [marker.latitude, marker.longitude];
      points.push(point);
      L.marker(point, { title: marker.name, alt: marker.name, keyboard: true })
        .bindPopup(popupOf(marker))
        .addTo(map);
    });
    if (points.length === 1) map.setView(points[0], 14);
    else map.fitBounds(points, { padding: [24, 24], maxZoom: 14 });
  }

  function start(container) {
    Promise.all([loadLeaflet(container), markersOf(container)]).then(
      function (loaded) {
        draw(container, loaded[0], loaded[1]);
      },
      function () {
        // No Leaflet or no markers: the container stays hidden, the list stays.
      },
    );
  }

  // The container is hidden (no box to watch): its block, which holds the list or its link, is watched instead.
  if (!('IntersectionObserver' in window)) {
    Array.prototype.forEach.call(containers, start);
    return;
  }
  var observer = new IntersectionObserver(
    function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        start(entry.target.querySelector('[data-map]'));
      });
    },
    { rootMargin: '400px 0px' },
  );
  Array.prototype.forEach.call(containers, function (container) {
    observer.observe(container.parentNode);
  });
})();
