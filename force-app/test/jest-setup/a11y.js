/* global expect */
/**
 * toBeAccessible(): an axe-free stand-in for @sa11y/jest (not installed here). It walks the rendered
 * tree through every shadow root and fails on the checks below, which cover what our components risk:
 *  - a button, link or role=tab/option without an accessible name;
 *  - an input/select/textarea without a label (label[for], wrapping label, aria-label, aria-labelledby);
 *  - an element with role=img (charts) without aria-label;
 *  - a positive tabindex; a duplicate id within one shadow root;
 *  - aria-pressed/expanded/selected/busy with a value other than true/false (mixed for pressed);
 *  - a table without header cells.
 */
function walk(root, out = []) {
  for (const el of root.querySelectorAll('*')) {
    out.push({ el, root });
    if (el.shadowRoot) walk(el.shadowRoot, out);
  }
  return out;
}

function text(el) {
  return (el.textContent || '').replace(/\s+/g, ' ').trim();
}

function hasName(el) {
  return !!(text(el) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.getAttribute('title'));
}

function problemsOf(host) {
  const problems = [];
  const nodes = walk(host.shadowRoot || host);
  const idsByRoot = new Map();
  for (const { el, root } of nodes) {
    const tag = el.tagName.toLowerCase();
    const role = el.getAttribute('role');
    const where = `<${tag}${el.className && typeof el.className === 'string' ? ` class="${el.className}"` : ''}>`;
    if ((tag === 'button' || (tag === 'a' && el.hasAttribute('href')) || role === 'tab' || role === 'option' || role === 'button') && !hasName(el)) {
      problems.push(`${where} has no accessible name`);
    }
    if ((tag === 'input' && el.type !== 'hidden') || tag === 'select' || tag === 'textarea') {
      const id = el.getAttribute('id');
      const labelled =
        el.getAttribute('aria-label') ||
        el.getAttribute('aria-labelledby') ||
        el.closest('label') ||
        (id && [...root.querySelectorAll('label')].some((l) => l.getAttribute('for') === id));
      if (!labelled) problems.push(`${where} has no label`);
    }
    if (role === 'img' && !el.getAttribute('aria-label')) problems.push(`${where} role=img without aria-label`);
    const tabindex = el.getAttribute('tabindex');
    if (tabindex !== null && Number(tabindex) > 0) problems.push(`${where} has positive tabindex ${tabindex}`);
    for (const a of ['aria-expanded', 'aria-selected', 'aria-busy', 'aria-pressed']) {
      const v = el.getAttribute(a);
      if (v !== null && !['true', 'false'].includes(v) && !(a === 'aria-pressed' && v === 'mixed')) problems.push(`${where} ${a}="${v}"`);
    }
    if (tag === 'table' && !el.querySelector('th')) problems.push(`${where} has no header cells`);
    const id = el.getAttribute('id');
    if (id) {
      const seen = idsByRoot.get(root) || new Set();
      if (seen.has(id)) problems.push(`duplicate id "${id}"`);
      seen.add(id);
      idsByRoot.set(root, seen);
    }
  }
  return problems;
}

expect.extend({
  toBeAccessible(received) {
    const problems = problemsOf(received);
    return {
      pass: problems.length === 0,
      message: () => (problems.length ? `Accessibility problems:\n  ${problems.join('\n  ')}` : 'expected accessibility problems, found none'),
    };
  },
});
