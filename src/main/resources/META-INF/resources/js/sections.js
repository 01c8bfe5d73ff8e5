// Sections of the page that are not the matrix (the demo controls, later the coverage view) are modules of
// their own, found in the markup: <section id="NAME" data-module="js/NAME.js" hidden></section>. Each module
// exports mount(section, page); the page object gives it the status as it arrives, a tick every second, and
// the freshness rule, so a section can be added without touching the rest. See docs/page.md.

const MODULE = /^js\/[a-z0-9-]+\.js$/;

export function loadSections(page) {
  for (const section of document.querySelectorAll('section[data-module]')) {
    const path = section.dataset.module;
    if (!MODULE.test(path)) {
      console.error('section ' + section.id + ': module path ' + path + ' is not js/NAME.js');
      continue;
    }
    import('./' + path.slice(3)).then(m => m.mount(section, page)).catch(e => {
      console.error('section ' + section.id + ' failed to load', e);
    });
  }
}
