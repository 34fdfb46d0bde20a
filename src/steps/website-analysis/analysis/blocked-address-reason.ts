import { BlockList, isIP } from "node:net";

type Range = readonly [label: string, network: string, prefix: number];

/**
 * Every range a server-side fetch must never reach on a user's behalf. IPv4 rules also match the
 * IPv4-mapped IPv6 form (`::ffff:127.0.0.1`, `::ffff:7f00:1`): BlockList compares those as IPv4.
 */
const IPV4_RANGES: readonly Range[] = [
  ["unspecified", "0.0.0.0", 8],
  ["private", "10.0.0.0", 8],
  ["shared (CGNAT)", "100.64.0.0", 10],
  ["loopback", "127.0.0.0", 8],
  // Includes 169.254.169.254, the cloud metadata service.
  ["link-local", "169.254.0.0", 16],
  ["private", "172.16.0.0", 12],
  ["reserved", "192.0.0.0", 24],
  ["private", "192.168.0.0", 16],
  ["reserved", "198.18.0.0", 15],
  ["multicast", "224.0.0.0", 4],
  // Includes the broadcast address 255.255.255.255.
  ["reserved", "240.0.0.0", 4],
];

const IPV6_RANGES: readonly Range[] = [
  ["unspecified", "::", 128],
  ["loopback", "::1", 128],
  // The deprecated IPv4-compatible form (`::7f00:1`) routes nowhere legitimate today.
  ["reserved", "::", 96],
  ["reserved", "100::", 64],
  // Teredo tunnels wrap an arbitrary, obfuscated IPv4 destination.
  ["reserved", "2001::", 32],
  ["private", "64:ff9b:1::", 48],
  ["private", "fc00::", 7],
  ["link-local", "fe80::", 10],
  ["private", "fec0::", 10],
  ["multicast", "ff00::", 8],
];

const RULES: readonly (readonly [string, BlockList])[] = [
  ...IPV4_RANGES.map(([label, network, prefix]) => [label, subnet(network, prefix, "ipv4")] as const),
  ...IPV6_RANGES.map(([label, network, prefix]) => [label, subnet(network, prefix, "ipv6")] as const),
];

/**
 * Why a resolved address must not be fetched (`"loopback"`, `"private"`, …), or null when it is a
 * public unicast address. Anything that is not an IP address at all is refused too.
 */
export function blockedAddressReason(address: string): string | null {
  const bare = address.split("%")[0] ?? "";
  const family = isIP(bare);
  if (family === 0) return "not an IP address";
  const type = family === 4 ? "ipv4" : "ipv6";
  const rule = RULES.find(([, list]) => list.check(bare, type));
  if (rule !== undefined) return rule[0];
  const embedded = family === 6 ? embeddedIpv4(bare) : null;
  return embedded === null ? null : blockedAddressReason(embedded);
}

function subnet(network: string, prefix: number, type: "ipv4" | "ipv6"): BlockList {
  const list = new BlockList();
  list.addSubnet(network, prefix, type);
  return list;
}

/**
 * NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses carry an IPv4 destination inside them; a
 * private one there reaches the private host just the same.
 */
function embeddedIpv4(address: string): string | null {
  const hextets = ipv6Hextets(address);
  if (hextets === null) return null;
  if (hextets[0] === 0x64 && hextets[1] === 0xff9b && hextets.slice(2, 6).every((h) => h === 0)) {
    return dotted(hextets[6] ?? 0, hextets[7] ?? 0);
  }
  if (hextets[0] === 0x2002) return dotted(hextets[1] ?? 0, hextets[2] ?? 0);
  return null;
}

function ipv6Hextets(address: string): number[] | null {
  const [head = "", tail, ...rest] = address.toLowerCase().split("::");
  if (rest.length > 0) return null;
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  if (left === null || right === null) return null;
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return null;
  return [...left, ...new Array<number>(missing).fill(0), ...right];
}

/** Hex groups, with a trailing dotted IPv4 part turned into its two groups. */
function groups(part: string): number[] | null {
  if (part === "") return [];
  const result: number[] = [];
  for (const group of part.split(":")) {
    if (isIP(group) === 4) {
      const [a = 0, b = 0, c = 0, d = 0] = group.split(".").map(Number);
      result.push(a * 256 + b, c * 256 + d);
    } else if (/^[0-9a-f]{1,4}$/.test(group)) {
      result.push(Number.parseInt(group, 16));
    } else {
      return null;
    }
  }
  return result;
}

function dotted(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}
