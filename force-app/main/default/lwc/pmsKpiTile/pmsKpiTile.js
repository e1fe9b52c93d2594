import { LightningElement, api } from 'lwc';
import { prefersReducedMotion } from 'c/pmsFormat';

/**
 * A KPI tile: label, value and a caption (period · method · as-of). The value counts up from 0 over
 * 600 ms the first time it arrives, unless the user prefers reduced motion; screen readers get the
 * final value at once (the animated figure is aria-hidden).
 */
export default class PmsKpiTile extends LightningElement {
  @api label;
  @api caption;
  @api secondary;
  @api tone = 'neutral';
  /** Formats the counted number into the displayed text (the final text is `value`). */
  @api formatter;
  _value = '';
  _target = null;
  shown = '';
  frame;

  @api
  get value() {
    return this._value;
  }
  set value(v) {
    this._value = v === null || v === undefined ? '—' : String(v);
    this.shown = this._value;
  }

  /** The numeric target of the counter (display only); with `formatter` the tile animates to it. */
  @api
  get target() {
    return this._target;
  }
  set target(n) {
    this._target = n === null || n === undefined || Number.isNaN(Number(n)) ? null : Number(n);
    this.animate();
  }

  get valueClass() {
    return `value slds-text-heading_large${this.tone === 'positive' ? ' slds-text-color_success' : this.tone === 'negative' ? ' slds-text-color_error' : ''}`;
  }

  animate() {
    if (this.frame) cancelAnimationFrame(this.frame);
    if (this._target === null || typeof this.formatter !== 'function' || prefersReducedMotion() || typeof requestAnimationFrame !== 'function') {
      this.shown = this._value;
      return;
    }
    const target = this._target;
    const started = performance.now();
    const step = (now) => {
      const t = Math.min(1, (now - started) / 600);
      const eased = 1 - Math.pow(1 - t, 3);
      this.shown = t >= 1 ? this._value : this.formatter(target * eased);
      if (t < 1) this.frame = requestAnimationFrame(step);
    };
    this.frame = requestAnimationFrame(step);
  }

  disconnectedCallback() {
    if (this.frame) cancelAnimationFrame(this.frame);
  }
}
