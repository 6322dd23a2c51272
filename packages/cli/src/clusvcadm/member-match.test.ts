import { describe, expect, test } from 'vitest';
import { member } from '../../testing/cluster-status.js';
import { matchMember } from './member-match.js';

const members = [member(1), member(2), member(3), member(4, { name: 'db1.example.com' })];
const kindAndName = (name: string) => {
  const m = matchMember(members, name);
  return 'member' in m ? `${m.kind} ${m.member.name}` : m.kind;
};

describe("clusvcadm's member lookup", () => {
  test('an exact name wins; a unique longest prefix is the closest match', () => {
    expect(kindAndName('node2.magedu.com')).toBe('exact node2.magedu.com');
    expect(kindAndName('node3')).toBe('closest node3.magedu.com');
    expect(kindAndName('db')).toBe('closest db1.example.com');
  });

  test('no shared prefix is no match; two equally close names are ambiguous', () => {
    expect(kindAndName('web1')).toBe('none');
    expect(kindAndName('node')).toBe('ambiguous');
    expect(kindAndName('node9')).toBe('ambiguous');
  });
});
