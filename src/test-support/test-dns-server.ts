import { createSocket } from "node:dgram";

/**
 * A local DNS server over UDP for resolver tests, speaking just enough of RFC 1035: it answers
 * A queries for the names it knows (with their TTL), NXDOMAIN for the others, no records for
 * other types; or, when told to, swallows every query and never answers (a resolver that hangs).
 */
export interface TestDnsServer {
  /** `127.0.0.1:<port>`, for OUTBOUND_DNS_SERVERS. */
  readonly address: string;
  /** Names asked, in order, with their type (A = 1, AAAA = 28). */
  readonly queries: readonly { readonly name: string; readonly type: number }[];
  close(): Promise<void>;
}

export interface TestDnsZone {
  /** Name → IPv4 addresses. */
  readonly records?: Readonly<Record<string, readonly string[]>>;
  readonly ttlSeconds?: number;
  /** Never answer anything. */
  readonly swallow?: boolean;
}

const TYPE_A = 1;
const CLASS_IN = 1;

export async function startDnsServer(zone: TestDnsZone): Promise<TestDnsServer> {
  const socket = createSocket("udp4");
  const queries: { name: string; type: number }[] = [];
  socket.on("message", (message, peer) => {
    const question = readQuestion(message);
    if (question === undefined) return;
    queries.push({ name: question.name, type: question.type });
    if (zone.swallow === true) return;
    const addresses = zone.records?.[question.name.toLowerCase()];
    socket.send(answer(message, question, addresses, zone.ttlSeconds ?? 60), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

interface Question {
  readonly name: string;
  readonly type: number;
  /** Where the question section ends: the answer copies it as it was. */
  readonly end: number;
}

function readQuestion(message: Buffer): Question | undefined {
  if (message.length < 12 || message.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let offset = 12;
  for (let length = message[offset] ?? 0; length > 0; length = message[offset] ?? 0) {
    labels.push(message.subarray(offset + 1, offset + 1 + length).toString("latin1"));
    offset += 1 + length;
  }
  const end = offset + 5;
  if (end > message.length) return undefined;
  return { name: labels.join("."), type: message.readUInt16BE(offset + 1), end };
}

function answer(query: Buffer, question: Question, addresses: readonly string[] | undefined, ttl: number): Buffer {
  const records = question.type === TYPE_A ? (addresses ?? []) : [];
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  // QR, RD copied from the query, RA; RCODE 3 (NXDOMAIN) for a name this zone lacks.
  header.writeUInt16BE(0x8000 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | (addresses === undefined ? 3 : 0), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  const answers = records.map((address) => {
    const record = Buffer.alloc(16);
    record.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    record.writeUInt16BE(TYPE_A, 2);
    record.writeUInt16BE(CLASS_IN, 4);
    record.writeUInt32BE(ttl, 6);
    record.writeUInt16BE(4, 10);
    address.split(".").forEach((part, i) => record.writeUInt8(Number(part), 12 + i));
    return record;
  });
  return Buffer.concat([header, query.subarray(12, question.end), ...answers]);
}
