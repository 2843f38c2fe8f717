// The map of organizations (src/platform/views/map.tsx): draws Leaflet in the hidden container and shows it.
// The page is whole without this script: the places are listed as text beside the container. Popups are built
// from DOM nodes with textContent, never from HTML strings, so a name cannot inject markup.
(function () {
  var L = window.L;
  var containers = document.querySelectorAll('[data-map]');
  if (!L || containers.length === 0) return;

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

  function draw(container) {
    var data = container.parentNode.querySelector('script.map-markers');
    var markers;
    try {
      markers = JSON.parse(data ? data.textContent : '[]');
    } catch (error) {
      return;
    }
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

  // Leaflet's stylesheet only for pages that draw a map, and the map once it is there.
  var stylesheet = containers[0].getAttribute('data-stylesheet');
  var link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = stylesheet;
  link.onload = function () {
    Array.prototype.forEach.call(containers, draw);
  };
  document.head.appendChild(link);
})();
