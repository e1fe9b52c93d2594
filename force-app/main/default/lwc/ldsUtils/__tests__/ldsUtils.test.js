import { errorStatus, reduceErrors } from 'c/ldsUtils';

describe('ldsUtils', () => {
  it('reduces Apex, UI API, JS and engine errors to messages', () => {
    expect(reduceErrors([{ body: { message: 'Apex failed' } }, new Error('JS failed'), { body: [{ message: 'a' }, { message: 'b' }] }])).toEqual(['Apex failed', 'JS failed', 'a', 'b']);
    expect(reduceErrors({ body: { pageErrors: [{ message: 'page' }] } })).toEqual(['page']);
  });

  it('reads the HTTP status from the controller\'s "[404] …" message or the adapter\'s status', () => {
    expect(errorStatus({ body: { message: '[404] Client not found' } })).toBe(404);
    expect(errorStatus({ status: 403, body: { code: 'FORBIDDEN', message: 'no' } })).toBe(403);
  });
});
