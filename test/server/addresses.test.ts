import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addressPolicy, addressRefusal, classifyAddress, type AddressKind } from '../../server/lib/addresses';

function expectKinds(cases: Record<string, AddressKind>) {
  for (const [address, kind] of Object.entries(cases)) assert.equal(classifyAddress(address), kind, address);
}

describe('classifyAddress', () => {
  test('IPv4: loopback, private, link-local, CGNAT, unspecified, multicast, metadata, reserved and public', () => {
    expectKinds({
      '127.0.0.1': 'loopback',
      '127.255.255.254': 'loopback',
      '10.0.0.1': 'private',
      '10.255.255.255': 'private',
      '172.16.0.1': 'private',
      '172.31.255.255': 'private',
      '192.168.0.1': 'private',
      '192.168.255.255': 'private',
      '169.254.0.1': 'link_local',
      '169.254.169.254': 'metadata',
      '169.254.170.2': 'metadata',
      '100.64.0.1': 'shared',
      '100.127.255.255': 'shared',
      '100.100.100.200': 'metadata',
      '0.0.0.0': 'unspecified',
      '0.1.2.3': 'unspecified',
      '224.0.0.1': 'multicast',
      '239.255.255.250': 'multicast',
      '255.255.255.255': 'reserved',
      '240.0.0.1': 'reserved',
      '192.0.0.192': 'metadata',
      '198.18.0.1': 'reserved',
      '192.0.2.1': 'reserved',
      '8.8.8.8': 'public',
      '1.1.1.1': 'public',
      '172.15.255.255': 'public',
      '172.32.0.0': 'public',
      '100.63.255.255': 'public',
      '100.128.0.0': 'public',
      '192.169.0.1': 'public',
      '11.0.0.1': 'public',
      '126.255.255.255': 'public',
      '128.0.0.1': 'public',
      '169.253.255.255': 'public',
    });
  });

  test('IPv6: loopback, unspecified, unique local, link-local, multicast and public', () => {
    expectKinds({
      '::1': 'loopback',
      '0:0:0:0:0:0:0:1': 'loopback',
      '[::1]': 'loopback',
      '::': 'unspecified',
      'fc00::1': 'private',
      'fd12:3456:789a::1': 'private',
      'fec0::1': 'private',
      'fe80::1': 'link_local',
      'fe80::1%eth0': 'link_local',
      'febf::1': 'link_local',
      'ff02::1': 'multicast',
      'fd00:ec2::254': 'metadata',
      'FD00:EC2::254': 'metadata',
      '2001:db8::1': 'reserved',
      '100::1': 'reserved',
      '2606:4700:4700::1111': 'public',
      '2a00:1450:4001:80b::200e': 'public',
      'fe00::1': 'public',
    });
  });

  test('IPv4 inside IPv6 is judged by the IPv4 address: mapped, NAT64, 6to4 and IPv4-compatible', () => {
    expectKinds({
      '::ffff:127.0.0.1': 'loopback',
      '::ffff:7f00:1': 'loopback',
      '::FFFF:10.1.2.3': 'private',
      '::ffff:169.254.169.254': 'metadata',
      '::ffff:a9fe:a9fe': 'metadata',
      '::ffff:192.168.1.1': 'private',
      '::ffff:8.8.8.8': 'public',
      '64:ff9b::127.0.0.1': 'loopback',
      '64:ff9b::8.8.8.8': 'public',
      '2002:7f00:1::': 'loopback',
      '2002:0808:0808::1': 'public',
      '::127.0.0.1': 'reserved',
      '::8.8.8.8': 'reserved',
    });
  });

  test('decimal, octal and hex hosts are what the URL parser makes of them; raw, they are not addresses at all', () => {
    const hostOf = (url: string) => new URL(url).hostname;
    for (const url of [
      'http://2130706433/',
      'http://0177.0.0.1/',
      'http://0x7f.0.0.1/',
      'http://127.1/',
      'http://0x7f000001/',
      'http://017700000001/',
      'http://[::ffff:127.0.0.1]/',
    ]) {
      assert.equal(classifyAddress(hostOf(url)), 'loopback', url);
    }
    assert.equal(classifyAddress(hostOf('http://0xa9fea9fe/')), 'metadata');
    assert.equal(classifyAddress(hostOf('http://167772161/')), 'private');
    for (const raw of ['2130706433', '0177.0.0.1', '0x7f.1', '127.1', 'localhost', '', 'not an address', '1.2.3.4.5']) {
      assert.equal(classifyAddress(raw), 'reserved', raw);
    }
  });
});

describe('addressRefusal', () => {
  test('production refuses every non-public address; development allows loopback only', () => {
    const production = addressPolicy(true);
    const development = addressPolicy(false);
    assert.equal(addressRefusal('8.8.8.8', production), null);
    assert.equal(addressRefusal('127.0.0.1', production), 'a loopback address');
    assert.equal(addressRefusal('::ffff:127.0.0.1', production), 'a loopback address');
    assert.equal(addressRefusal('127.0.0.1', development), null);
    assert.equal(addressRefusal('::1', development), null);
    assert.equal(addressRefusal('10.0.0.1', development), 'a private network address');
    assert.equal(addressRefusal('169.254.169.254', development), 'a cloud metadata address');
  });
});
