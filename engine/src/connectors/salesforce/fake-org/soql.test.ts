import { describe, expect, it } from 'vitest';
import { parseSoql, SoqlError } from './soql.js';
import { OrgData, toId18 } from './org-data.js';

describe('fake org SOQL subset', () => {
  it('parses fields, relationship paths, WHERE with AND/OR/NOT/IN/LIKE, ORDER BY and LIMIT/OFFSET', () => {
    expect(
      parseSoql(
        "SELECT Id, Owner.Manager.Name FROM Account WHERE (Name LIKE 'Sha%' OR NOT PAN__c = null) AND Type IN ('Client', 'Prospect') AND SystemModstamp >= 2025-01-01T00:00:00.000+05:30 ORDER BY Name DESC NULLS LAST, Id LIMIT 10 OFFSET 5",
      ),
    ).toMatchObject({
      fields: ['Id', 'Owner.Manager.Name'],
      object: 'Account',
      where: { kind: 'and', right: { kind: 'compare', field: 'SystemModstamp', op: '>=', value: { kind: 'datetime', value: Date.parse('2024-12-31T18:30:00.000Z') } } },
      orderBy: [
        { field: 'Name', direction: 'DESC', nulls: 'LAST' },
        { field: 'Id', direction: 'ASC', nulls: 'FIRST' },
      ],
      limit: 10,
      offset: 5,
    });
  });

  it.each([
    'SELECT Id FROM Account WHERE SystemModstamp > 2025-01-01T00:00:00.000+0000',
    'SELECT Id Account',
    "SELECT Id FROM Account WHERE Name = 'unterminated",
    'SELECT Id FROM Account LIMIT -1',
    'SELECT COUNT() FROM Account',
  ])('rejects %s', (soql) => {
    expect(() => parseSoql(soql)).toThrow(SoqlError);
  });

  it('evaluates queries against org data, with dotted paths and ordering', () => {
    const org = new OrgData({ personAccounts: true, now: () => Date.parse('2025-01-02T00:00:00Z') });
    const manager = org.insert('User', { Username: 'head@pms.example', LastName: 'Head' });
    const rm = org.insert('User', { Username: 'rm@pms.example', LastName: 'Nair', ManagerId: manager.Id });
    org.insert('Account', { Name: 'Zeta Corp', OwnerId: rm.Id });
    const person = org.insert('Account', { IsPersonAccount: true, FirstName: 'Asha', LastName: 'Iyer', PersonEmail: 'asha@example.in', OwnerId: rm.Id });
    const rows = org.runQuery(parseSoql("SELECT Name, IsPersonAccount, Owner.Manager.LastName FROM Account WHERE Owner.Username = 'rm@pms.example' ORDER BY Name"), {
      apiVersion: 62,
      includeDeleted: false,
    });
    expect(rows.map((r) => [r.Name, r.IsPersonAccount, (r.Owner as { Manager: { LastName: string } }).Manager.LastName])).toEqual([
      ['Asha Iyer', true, 'Head'],
      ['Zeta Corp', false, 'Head'],
    ]);
    const contact = org.get('Contact', person.PersonContactId as string)!;
    expect(contact).toMatchObject({ AccountId: person.Id, IsPersonAccount: true, Name: 'Asha Iyer' });
    expect(() => org.runQuery(parseSoql('SELECT Nope FROM Account'), { apiVersion: 62, includeDeleted: false })).toThrow(/No such column 'Nope'/);
  });

  it('makes 18-character Ids with the case-safe suffix Salesforce uses', () => {
    expect(toId18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
  });
});
