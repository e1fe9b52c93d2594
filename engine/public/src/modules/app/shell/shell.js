import { LightningElement } from 'lwc';

const ROUTES = ['home', 'clients', 'client', 'compliance'];

function parseHash() {
  const [path, query = ''] = (location.hash.replace(/^#\/?/, '') || 'home').split('?');
  const [page, id] = path.split('/');
  return { page: ROUTES.includes(page) ? page : 'home', id, query };
}

/** Stand-alone shell: sign-in, top navigation and hash routes to the same components Salesforce shows. */
export default class Shell extends LightningElement {
  user;
  checked = false;
  route = parseHash();

  connectedCallback() {
    this.onHash = () => {
      this.route = parseHash();
    };
    this.onSignedOut = () => {
      this.user = undefined;
    };
    window.addEventListener('hashchange', this.onHash);
    window.addEventListener('pms:signed-out', this.onSignedOut);
    fetch('/api/auth/me', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : null))
      .then((me) => {
        this.user = me && me.user ? me.user : undefined;
        this.checked = true;
      })
      .catch(() => {
        this.checked = true;
      });
  }

  disconnectedCallback() {
    window.removeEventListener('hashchange', this.onHash);
    window.removeEventListener('pms:signed-out', this.onSignedOut);
  }

  get signedIn() {
    return !!this.user;
  }
  get needsLogin() {
    return this.checked && !this.user;
  }
  get isHome() {
    return this.route.page === 'home';
  }
  get isClients() {
    return this.route.page === 'clients';
  }
  get isClient() {
    return this.route.page === 'client';
  }
  get isCompliance() {
    return this.route.page === 'compliance';
  }
  get clientId() {
    return this.route.id;
  }
  get userLabel() {
    return this.user ? `${this.user.name} · ${this.user.role.toUpperCase()}` : '';
  }
  get homeClass() {
    return this.navClass('home');
  }
  get clientsClass() {
    return this.navClass(this.isClient ? 'client' : 'clients');
  }
  get complianceClass() {
    return this.navClass('compliance');
  }
  navClass(page) {
    const active = this.route.page === page || (page === 'client' && this.route.page === 'client');
    return `slds-context-bar__item${active || (page === 'client' && this.isClients) ? ' slds-is-active' : ''}`;
  }
  get homeCurrent() {
    return this.isHome ? 'page' : undefined;
  }
  get clientsCurrent() {
    return this.isClients || this.isClient ? 'page' : undefined;
  }
  get complianceCurrent() {
    return this.isCompliance ? 'page' : undefined;
  }

  handleSignedIn(event) {
    this.user = event.detail.user;
  }

  async handleSignOut() {
    const m = /(?:^|;\s*)pms_csrf=([^;]+)/.exec(document.cookie);
    await fetch('/api/auth/logout', { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': m ? decodeURIComponent(m[1]) : '' } }).catch(() => {});
    this.user = undefined;
  }
}
