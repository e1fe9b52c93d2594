// Stand-alone stand-in for lightning/platformResourceLoader: one <script>/<link> per URL, loaded once.
const loaded = new Map();

export function loadScript(_component, url) {
  if (!loaded.has(url)) {
    loaded.set(
      url,
      new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = url;
        s.onload = () => resolve();
        s.onerror = () => {
          loaded.delete(url);
          reject(new Error(`Could not load ${url}`));
        };
        document.head.appendChild(s);
      }),
    );
  }
  return loaded.get(url);
}

export function loadStyle(_component, url) {
  if (!loaded.has(url)) {
    loaded.set(
      url,
      new Promise((resolve, reject) => {
        const l = document.createElement('link');
        l.rel = 'stylesheet';
        l.href = url;
        l.onload = () => resolve();
        l.onerror = () => reject(new Error(`Could not load ${url}`));
        document.head.appendChild(l);
      }),
    );
  }
  return loaded.get(url);
}
