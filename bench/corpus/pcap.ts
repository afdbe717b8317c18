/**
 * A small packet capture (libpcap's file format, Ethernet frames) for the corpus's sniffglue runs: a DNS
 * query over UDP and an HTTP request over TCP, with fixed timestamps, so both builds dissect the same bytes.
 */

function ipv4Checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** An Ethernet frame carrying an IPv4 packet with the given transport header and payload. */
function frame(protocol: number, src: number[], dst: number[], transport: Buffer): Buffer {
  const ip = Buffer.alloc(20);
  ip.writeUInt8(0x45, 0); // version 4, 5 words
  ip.writeUInt16BE(20 + transport.length, 2);
  ip.writeUInt8(64, 8); // TTL
  ip.writeUInt8(protocol, 9);
  Buffer.from(src).copy(ip, 12);
  Buffer.from(dst).copy(ip, 16);
  ip.writeUInt16BE(ipv4Checksum(ip), 10);
  const ethernet = Buffer.from([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00]);
  return Buffer.concat([ethernet, ip, transport]);
}

function udp(srcPort: number, dstPort: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(srcPort, 0);
  h.writeUInt16BE(dstPort, 2);
  h.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([h, payload]);
}

function tcp(srcPort: number, dstPort: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(srcPort, 0);
  h.writeUInt16BE(dstPort, 2);
  h.writeUInt32BE(1000, 4); // sequence number
  h.writeUInt32BE(2000, 8); // acknowledgement number
  h.writeUInt8(5 << 4, 12); // 5 words, no options
  h.writeUInt8(0x18, 13); // PSH ACK
  h.writeUInt16BE(65535, 14);
  return Buffer.concat([h, payload]);
}

/** A DNS query for `name`'s A record. */
function dnsQuery(name: string): Buffer {
  const labels = name.split(".").flatMap((l) => [l.length, ...Buffer.from(l)]);
  return Buffer.from([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, ...labels, 0, 0, 1, 0, 1]);
}

export function capture(): Buffer {
  const client = [10, 0, 0, 2];
  const packets = [
    frame(17, client, [10, 0, 0, 1], udp(40000, 53, dnsQuery("example.com"))),
    frame(
      6,
      client,
      [93, 184, 216, 34],
      tcp(
        40001,
        80,
        Buffer.from("GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: crateflake\r\n\r\n"),
      ),
    ),
  ];
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16); // snapshot length
  header.writeUInt32LE(1, 20); // link type: Ethernet
  const records = packets.map((p, i) => {
    const r = Buffer.alloc(16);
    r.writeUInt32LE(1_700_000_000 + i, 0);
    r.writeUInt32LE(p.length, 8);
    r.writeUInt32LE(p.length, 12);
    return Buffer.concat([r, p]);
  });
  return Buffer.concat([header, ...records]);
}
