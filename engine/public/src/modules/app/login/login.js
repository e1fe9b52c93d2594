import { LightningElement } from 'lwc';

/** Sign-in form: POST /api/auth/login sets the HttpOnly session cookie and the CSRF cookie. */
export default class Login extends LightningElement {
  error = '';
  busy = false;

  async handleSubmit(event) {
    event.preventDefault();
    const email = this.template.querySelector('input[name="email"]').value.trim();
    const password = this.template.querySelector('input[name="password"]').value;
    this.busy = true;
    this.error = '';
    try {
      const res = await fetch('/api/auth/login', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      const body = await res.json().catch(() => null);
      if (!res.ok) {
        this.error = (body && body.error && body.error.message) || `Sign-in failed (${res.status})`;
        return;
      }
      this.dispatchEvent(new CustomEvent('signedin', { detail: { user: body.user } }));
    } catch (e) {
      this.error = `The engine cannot be reached (${e.message})`;
    } finally {
      this.busy = false;
    }
  }
}
