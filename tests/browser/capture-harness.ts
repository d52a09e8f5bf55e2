// Browser-side harness for the live-capture UI test: mounts the registered capture
// start section, or the watch page when the path is /watch/<cid>, with a StartPageContext
// that records openProfile calls on window.
import { registeredPages, registeredStartSections } from '../../web/src/registry.js';
import '../../web/src/views/capture/index.js';

declare global {
  interface Window {
    __opened: string[];
  }
}
window.__opened = [];
const app = document.getElementById('app')!;
const nav = {
  openProfile: (id: string) => void window.__opened.push(id),
  refreshList: () => undefined,
  navigate: (path: string) => location.assign(path),
};
const page = registeredPages().find((p) => p.match(location.pathname));
if (page) page.mount(app, page.match(location.pathname)!, nav);
else
  registeredStartSections()
    .find((s) => s.id === 'capture')!
    .mount(app, nav);
