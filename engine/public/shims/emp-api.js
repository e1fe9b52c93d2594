// Stand-alone stand-in for lightning/empApi: the engine's own event stream replaces Platform Events.
// Not yet delivering events: subscribe resolves and never calls back (see docs/salesforce-setup.md).
export function subscribe(channel) {
  return Promise.resolve({ channel, id: 0 });
}
export function unsubscribe() {
  return Promise.resolve(true);
}
export function onError() {}
export function isEmpEnabled() {
  return Promise.resolve(false);
}
